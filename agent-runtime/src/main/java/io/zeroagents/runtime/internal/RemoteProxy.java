package io.zeroagents.runtime.internal;

import io.zeroagents.AgentAddress;
import io.zeroagents.AgentException;
import io.zeroagents.AgentFunction;
import io.zeroagents.AgentMethod;
import io.zeroagents.AgentNotRunningException;
import io.zeroagents.AgentTimeoutException;
import io.zeroagents.BindOptions;
import io.zeroagents.DuplicateAgentNameException;
import io.zeroagents.MessageDecodingException;
import io.zeroagents.MessageEncodingException;
import io.zeroagents.MessageHandler;
import io.zeroagents.Pattern;
import io.zeroagents.PatternMismatchException;
import io.zeroagents.Proxy;
import io.zeroagents.RemoteAgentException;
import io.zeroagents.RequestOptions;
import io.zeroagents.SocketHandler;
import io.zeroagents.TimerAction;
import io.zeroagents.UnknownAgentException;
import io.zeroagents.UnknownAliasException;
import io.zeroagents.runtime.internal.control.ControlRequest;
import io.zeroagents.runtime.internal.control.ControlResponse;
import io.zeroagents.runtime.internal.control.Mode;
import io.zeroagents.runtime.internal.control.Payload;
import io.zeroagents.serialization.CodecRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A proxy to an agent of another process, through its host's control endpoint (control.proto).
 *
 * <p>Messages, attribute values, arguments and results travel encoded by the serialization
 * codecs; this side decodes results into the types the caller names. Java lambdas (message
 * handlers, timer actions, added methods) do not travel: those calls throw
 * {@link UnsupportedOperationException} and say what to do instead.
 */
final class RemoteProxy implements Proxy {
    private static final Duration IS_RUNNING_LIMIT = Duration.ofSeconds(2);
    private final String name;
    private final ControlClient client;
    private final Mode mode;
    private final CodecRegistry codecs;
    private final Payloads payloads;
    private final Duration timeout;

    RemoteProxy(String name, ControlClient client, Mode mode, CodecRegistry codecs, Duration timeout) {
        this.name = name;
        this.client = client;
        this.mode = mode;
        this.codecs = codecs;
        this.payloads = new Payloads(codecs);
        this.timeout = timeout;
    }

    private ControlRequest.Builder request(String operation, String... params) {
        return ControlRequest.newBuilder().setAgent(name).setMode(mode).setOperation(operation).addAllParams(List.of(params));
    }

    private ControlResponse call(ControlRequest.Builder request) {
        return call(request, Duration.ZERO);
    }

    /** Sends a request, waiting the proxy timeout plus what the operation itself may wait. */
    private ControlResponse call(ControlRequest.Builder request, Duration ownWait) {
        ControlResponse response = client.call(request, timeout.plus(ownWait), name);
        if (!response.getOk()) {
            throw failure(response);
        }
        return response;
    }

    private Payload encode(@Nullable Object value) {
        return payloads.encode(value);
    }

    private <T> @Nullable T decode(Payload payload, Class<T> type) {
        return payloads.decode(payload, type);
    }

    private static AgentAddress address(List<String> strings, int from) {
        return AddressWire.fromStrings(strings, from);
    }

    /** Re-creates the remote exception's type here, with the remote stack as its cause. */
    private RuntimeException failure(ControlResponse response) {
        String message = response.getErrorMessage();
        RemoteStackTrace cause = new RemoteStackTrace(response.getRemoteStack());
        return switch (response.getErrorType()) {
            case "UnknownAliasException" -> new UnknownAliasException(message, cause);
            case "UnknownAgentException" -> new UnknownAgentException(message, cause);
            case "PatternMismatchException" -> new PatternMismatchException(message, cause);
            case "AgentTimeoutException" -> new AgentTimeoutException(message, cause);
            case "AgentNotRunningException" -> new AgentNotRunningException(message, cause);
            case "DuplicateAgentNameException" -> new DuplicateAgentNameException(message, cause);
            case "MessageDecodingException" -> new MessageDecodingException(message, cause);
            case "MessageEncodingException" -> new MessageEncodingException(message, cause);
            case "AgentException" -> new AgentException(message, cause);
            default -> new RemoteAgentException(message, cause);
        };
    }

    private UnsupportedOperationException noLambdas(String what) {
        return new UnsupportedOperationException("Agent '" + name + "' runs in another process (" + client.endpoint()
                + "): a Java " + what + " cannot be sent there. Use SocketHandler.method(name) for handlers, or set up"
                + " timers and methods inside that process (onInit, or a method of the agent's class called by name)");
    }

    private static @Nullable String handlerMethod(@Nullable SocketHandler handler, RemoteProxy proxy) {
        if (handler == null) {
            return null;
        }
        if (handler instanceof SocketHandler.ByMethod byMethod) {
            return byMethod.methodName();
        }
        throw proxy.noLambdas("handler");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String ping() {
        return call(request("ping")).getStrings(0);
    }

    @Override
    public boolean isRunning() {
        // A host that does not answer soon is taken for gone: this must not hang for a full timeout.
        Duration limit = timeout.compareTo(IS_RUNNING_LIMIT) < 0 ? timeout : IS_RUNNING_LIMIT;
        try {
            ControlResponse response = client.call(request("is_running"), limit, name);
            return response.getOk() && Boolean.parseBoolean(response.getStrings(0));
        } catch (AgentException e) {
            return false;
        }
    }

    @Override
    public Proxy safe() {
        return withMode(Mode.SAFE);
    }

    @Override
    public Proxy unsafe() {
        return withMode(Mode.UNSAFE);
    }

    @Override
    public Proxy oneway() {
        return withMode(Mode.ONEWAY);
    }

    private Proxy withMode(Mode wanted) {
        return wanted == mode ? this : new RemoteProxy(name, client, wanted, codecs, timeout);
    }

    @Override
    public <T> T as(Class<T> type) {
        return TypedProxy.create(type, "Proxy[" + name + " as " + type.getSimpleName() + ", remote]",
                (method, args) -> call(Boxing.box(method.getReturnType()), method.getName(), args));
    }

    @Override
    public AgentAddress bind(Pattern pattern, String alias, BindOptions options) {
        String method = handlerMethod(options.handler(), this);
        ControlResponse response = call(request("bind", pattern.name(), alias,
                options.transport() == null ? "" : options.transport().name(),
                options.address() == null ? "" : options.address(),
                options.codec() == null ? "" : options.codec().id(),
                method == null ? "" : method, String.valueOf(options.raw())));
        return address(response.getStringsList(), 0);
    }

    @Override
    public AgentAddress connect(AgentAddress address, String alias) {
        return connectWith(address, alias, "");
    }

    @Override
    public AgentAddress connect(AgentAddress address, String alias, SocketHandler handler) {
        String method = handlerMethod(handler, this);
        return connectWith(address, alias, method == null ? "" : method);
    }

    private AgentAddress connectWith(AgentAddress address, String alias, String method) {
        ControlRequest.Builder request = request("connect", alias, method);
        AddressWire.toStrings(address).forEach(request::addParams);
        call(request);
        return address.twin();
    }

    @Override
    public void request(String alias, Object request, RequestOptions options) {
        if (options.onNoReply() != null) {
            throw noLambdas("an onNoReply handler");
        }
        String method = handlerMethod(options.handler(), this);
        Duration wait = options.waitAtMost();
        call(request("send_request", alias, method == null ? "" : method,
                wait == null ? "" : String.valueOf(wait.toNanos())).addValues(encode(request)));
    }

    @Override
    public void subscribe(String alias, String topic) {
        call(request("subscribe", alias, topic));
    }

    @Override
    public <T> void subscribe(String alias, String topic, Class<T> type, MessageHandler<? super T> handler) {
        throw noLambdas("a topic handler");
    }

    @Override
    public void unsubscribe(String alias, String topic) {
        call(request("unsubscribe", alias, topic));
    }

    @Override
    public void send(String alias, Object message) {
        send(alias, "", message);
    }

    @Override
    public void send(String alias, String topic, Object message) {
        call(request("send", alias, topic).addValues(encode(message)));
    }

    @Override
    public <T> T recv(String alias, Class<T> type) {
        return recv(alias, type, timeout);
    }

    @Override
    public <T> T recv(String alias, Class<T> type, Duration wait) {
        ControlResponse response = call(request("recv", alias).setTimeoutMs(wait.toMillis()), wait);
        return decode(response.getResult(), type);
    }

    @Override
    public <T> T sendRecv(String alias, Object request, Class<T> type) {
        ControlResponse response = call(request("send_recv", alias).addValues(encode(request))
                .setTimeoutMs(timeout.toMillis()), timeout);
        return decode(response.getResult(), type);
    }

    @Override
    public String each(Duration period, TimerAction action) {
        throw noLambdas("timer action");
    }

    @Override
    public String each(Duration period, TimerAction action, String alias) {
        throw noLambdas("timer action");
    }

    @Override
    public String after(Duration delay, TimerAction action) {
        throw noLambdas("timer action");
    }

    @Override
    public String after(Duration delay, TimerAction action, String alias) {
        throw noLambdas("timer action");
    }

    @Override
    public String each(Duration period, String method, @Nullable Object... args) {
        return timer("each_method", period, method, args);
    }

    @Override
    public String after(Duration delay, String method, @Nullable Object... args) {
        return timer("after_method", delay, method, args);
    }

    private String timer(String operation, Duration time, String method, @Nullable Object[] args) {
        return call(request(operation, String.valueOf(time.toNanos()), method)
                .addAllValues(payloads.encodeAll(args))).getStrings(0);
    }

    @Override
    public void stopTimer(String alias) {
        call(request("stop_timer", alias));
    }

    @Override
    public void stopAllTimers() {
        call(request("stop_all_timers"));
    }

    @Override
    public List<String> listTimers() {
        return List.copyOf(call(request("list_timers")).getStringsList());
    }

    @Override
    public void setAttr(String attribute, @Nullable Object value) {
        call(request("set_attr", attribute).addValues(encode(value)));
    }

    @Override
    public void setAttrs(Map<String, ?> attributes) {
        attributes.forEach(this::setAttr);
    }

    @Override
    public @Nullable Object getAttr(String attribute) {
        return getAttr(attribute, Object.class);
    }

    @Override
    public <T> @Nullable T getAttr(String attribute, Class<T> type) {
        return decode(call(request("get_attr", attribute)).getResult(), type);
    }

    @Override
    public void setMethod(String method, AgentMethod body) {
        setMethods(Map.of(method, body));
    }

    @Override
    public @Nullable Object call(String method, @Nullable Object... args) {
        return call(Object.class, method, args);
    }

    @Override
    public <T> @Nullable T call(Class<T> resultType, String method, @Nullable Object... args) {
        return decode(call(request("call", method).addAllValues(payloads.encodeAll(args))).getResult(), resultType);
    }

    @Override
    public AgentAddress addr(String alias) {
        return address(call(request("addr", alias)).getStringsList(), 0);
    }

    @Override
    public boolean hasSocket(String alias) {
        return Boolean.parseBoolean(call(request("has_socket", alias)).getStrings(0));
    }

    @Override
    public Map<String, AgentAddress> sockets() {
        List<String> strings = call(request("sockets")).getStringsList();
        Map<String, AgentAddress> sockets = new LinkedHashMap<>();
        for (int i = 0; i + AddressWire.STRINGS < strings.size(); i += AddressWire.STRINGS + 1) {
            sockets.put(strings.get(i), address(strings, i + 1));
        }
        return java.util.Collections.unmodifiableMap(sockets);
    }

    @Override
    public void close(String alias) {
        call(request("close", alias));
    }

    @Override
    public void close(String alias, Duration linger) {
        call(request("close", alias, String.valueOf(linger.toMillis())));
    }

    @Override
    public void closeAll() {
        call(request("close_all"));
    }

    @Override
    public void closeAll(Duration linger) {
        call(request("close_all", String.valueOf(linger.toMillis())));
    }

    @Override
    public void setMethod(AgentMethod... methods) {
        setMethods(AgentMethods.byReferenceName(name, methods));
    }

    /**
     * Sends methods as code: Java serialization, which both sides allow only for the classes on
     * their {@code zeroagents.serialization.java.allow} list; off by default.
     */
    @Override
    public void setMethods(Map<String, ? extends AgentMethod> methods) {
        methods.forEach((method, body) -> call(request("set_method", method).addValues(code(body, "method"))));
    }

    @Override
    public @Nullable Object executeAsFunction(AgentFunction function, @Nullable Object... args) {
        return execute("execute_function", code(function, "function"), args);
    }

    @Override
    public @Nullable Object executeAsMethod(AgentMethod method, @Nullable Object... args) {
        return execute("execute_method", code(method, "method"), args);
    }

    private @Nullable Object execute(String operation, Payload code, @Nullable Object[] args) {
        return decode(call(request(operation).addValues(code).addAllValues(payloads.encodeAll(args))).getResult(),
                Object.class);
    }

    private Payload code(Object lambda, String what) {
        try {
            return payloads.code(lambda);
        } catch (io.zeroagents.MessageEncodingException e) {
            throw new UnsupportedOperationException("Agent '" + name + "' runs in another process (" + client.endpoint()
                    + "): a Java " + what + " travels there only as Java serialization, which is off. Allow the"
                    + " classes involved with -Dzeroagents.serialization.java.allow (in both processes), or use a"
                    + " method of the agent's class by name", e);
        }
    }

    @Override
    public void setLogger(AgentAddress loggerAddress) {
        ControlRequest.Builder request = request("set_logger");
        AddressWire.toStrings(loggerAddress).forEach(request::addParams);
        call(request);
    }

    @Override
    public void log(String level, String message) {
        call(request("log", level, message));
    }

    @Override
    public void stop() {
        call(request("stop"));
    }

    @Override
    public void resume() {
        call(request("resume"));
    }

    /** Returns once the agent's host accepted the kill; an agent in its own process ends with it. */
    @Override
    public void kill() {
        call(request("kill"));
    }

    /** Returns once the agent's host accepted the stop; the agent stops right after. */
    @Override
    public void shutdown() {
        call(request("shutdown"));
    }

    @Override
    public String toString() {
        return "Proxy[" + name + ", " + mode.name().toLowerCase(java.util.Locale.ROOT) + ", remote " + client.endpoint() + "]";
    }

    /** The stack of an exception thrown in another process, as text: the cause of the local one. */
    static final class RemoteStackTrace extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RemoteStackTrace(String remoteStack) {
            super("remote stack trace:\n" + remoteStack, null, false, false);
        }
    }
}
