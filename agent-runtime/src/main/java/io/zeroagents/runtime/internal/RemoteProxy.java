package io.zeroagents.runtime.internal;

import io.zeroagents.AgentAddress;
import io.zeroagents.AgentException;
import io.zeroagents.AgentFunction;
import io.zeroagents.AgentMethod;
import io.zeroagents.BindOptions;
import io.zeroagents.MessageEncodingException;
import io.zeroagents.MessageHandler;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.RequestOptions;
import io.zeroagents.SocketHandler;
import io.zeroagents.TimerAction;
import io.zeroagents.nameserver.protocol.AddressEntry;
import io.zeroagents.runtime.internal.control.Addr;
import io.zeroagents.runtime.internal.control.After;
import io.zeroagents.runtime.internal.control.Bind;
import io.zeroagents.runtime.internal.control.Call;
import io.zeroagents.runtime.internal.control.Close;
import io.zeroagents.runtime.internal.control.CloseAll;
import io.zeroagents.runtime.internal.control.Connect;
import io.zeroagents.runtime.internal.control.ControlRequest;
import io.zeroagents.runtime.internal.control.ControlResponse;
import io.zeroagents.runtime.internal.control.Each;
import io.zeroagents.runtime.internal.control.Execute;
import io.zeroagents.runtime.internal.control.GetAttr;
import io.zeroagents.runtime.internal.control.HasSocket;
import io.zeroagents.runtime.internal.control.IsRunning;
import io.zeroagents.runtime.internal.control.Kill;
import io.zeroagents.runtime.internal.control.ListTimers;
import io.zeroagents.runtime.internal.control.Log;
import io.zeroagents.runtime.internal.control.Mode;
import io.zeroagents.runtime.internal.control.NamedCode;
import io.zeroagents.runtime.internal.control.Payload;
import io.zeroagents.runtime.internal.control.Ping;
import io.zeroagents.runtime.internal.control.Recv;
import io.zeroagents.runtime.internal.control.Request;
import io.zeroagents.runtime.internal.control.Resume;
import io.zeroagents.runtime.internal.control.Send;
import io.zeroagents.runtime.internal.control.SendRecv;
import io.zeroagents.runtime.internal.control.SetAttr;
import io.zeroagents.runtime.internal.control.SetAttrs;
import io.zeroagents.runtime.internal.control.SetLogger;
import io.zeroagents.runtime.internal.control.SetMethods;
import io.zeroagents.runtime.internal.control.Shutdown;
import io.zeroagents.runtime.internal.control.Sockets;
import io.zeroagents.runtime.internal.control.Stop;
import io.zeroagents.runtime.internal.control.StopAllTimers;
import io.zeroagents.runtime.internal.control.StopTimer;
import io.zeroagents.runtime.internal.control.Subscribe;
import io.zeroagents.runtime.internal.control.Unsubscribe;
import io.zeroagents.serialization.CodecRegistry;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A proxy to an agent of another process, through its host's control endpoint (control.proto):
 * each call one request message of the operation it makes.
 *
 * <p>Messages, attribute values, arguments and results travel encoded by the serialization
 * codecs ({@link Payloads}); this side decodes results into the types the caller names, and a
 * failure comes back as the exception class the host threw ({@link ControlErrors}). Java lambdas
 * (message handlers, timer actions) do not travel: those calls throw
 * {@link UnsupportedOperationException} and say what to do instead; added methods and executed code
 * travel as Java serialization, where both processes allow it.
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

    private ControlRequest.Builder request() {
        return ControlRequest.newBuilder().setAgent(name).setMode(mode);
    }

    private ControlResponse call(ControlRequest.Builder request) {
        return call(request, Duration.ZERO);
    }

    /** Sends a request, waiting the proxy timeout plus what the operation itself may wait. */
    private ControlResponse call(ControlRequest.Builder request, Duration ownWait) {
        ControlResponse response = client.call(request, timeout.plus(ownWait), name);
        if (!response.getOk()) {
            throw ControlErrors.exception(response);
        }
        return response;
    }

    private <T> @Nullable T decode(ControlResponse response, Class<T> type) {
        return payloads.decode(response.getValue(), type);
    }

    /** The address an answer carries; none when a one-way request was answered before it ran. */
    private static @Nullable AgentAddress address(ControlResponse response) {
        return response.hasAddress() ? AddressWire.fromEntry(response.getAddress()) : null;
    }

    private UnsupportedOperationException noLambdas(String what) {
        return new UnsupportedOperationException("Agent '" + name + "' runs in another process (" + client.endpoint()
                + "): a Java " + what + " cannot be sent there. Use SocketHandler.method(name) for handlers, or set up"
                + " timers and methods inside that process (onInit, or a method of the agent's class called by name)");
    }

    private @Nullable String handlerMethod(@Nullable SocketHandler handler) {
        if (handler == null) {
            return null;
        }
        if (handler instanceof SocketHandler.ByMethod byMethod) {
            return byMethod.methodName();
        }
        throw noLambdas("handler");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String ping() {
        return call(request().setPing(Ping.getDefaultInstance())).getPong();
    }

    @Override
    public boolean isRunning() {
        // A host that does not answer soon is taken for gone: this must not hang for a full timeout.
        Duration limit = timeout.compareTo(IS_RUNNING_LIMIT) < 0 ? timeout : IS_RUNNING_LIMIT;
        try {
            ControlResponse response = client.call(request().setIsRunning(IsRunning.getDefaultInstance()), limit, name);
            return response.getOk() && response.getRunning();
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
        Bind.Builder bind = Bind.newBuilder().setPattern(pattern.name()).setAlias(alias).setRaw(options.raw());
        String method = handlerMethod(options.handler());
        if (method != null) {
            bind.setHandlerMethod(method);
        }
        if (options.transport() != null) {
            bind.setTransport(options.transport().name());
        }
        if (options.address() != null) {
            bind.setAddress(options.address());
        }
        if (options.codec() != null) {
            bind.setCodec(options.codec().id());
        }
        return address(call(request().setBind(bind)));
    }

    @Override
    public AgentAddress connect(AgentAddress address, String alias) {
        return connectWith(address, alias, null);
    }

    @Override
    public AgentAddress connect(AgentAddress address, String alias, SocketHandler handler) {
        return connectWith(address, alias, handlerMethod(handler));
    }

    private AgentAddress connectWith(AgentAddress address, String alias, @Nullable String method) {
        Connect.Builder connect = Connect.newBuilder().setAlias(alias).setAddress(AddressWire.toEntry("", address));
        if (method != null) {
            connect.setHandlerMethod(method);
        }
        call(request().setConnect(connect));
        return address.twin();
    }

    @Override
    public void request(String alias, Object request, RequestOptions options) {
        if (options.onNoReply() != null) {
            throw noLambdas("an onNoReply handler");
        }
        Request.Builder ask = Request.newBuilder().setAlias(alias).setMessage(payloads.encode(request));
        String method = handlerMethod(options.handler());
        if (method != null) {
            ask.setHandlerMethod(method);
        }
        if (options.waitAtMost() != null) {
            ask.setWaitNanos(options.waitAtMost().toNanos());
        }
        call(request().setRequest(ask));
    }

    @Override
    public void subscribe(String alias, String topic) {
        call(request().setSubscribe(Subscribe.newBuilder().setAlias(alias).setTopic(topic)));
    }

    @Override
    public <T> void subscribe(String alias, String topic, Class<T> type, MessageHandler<? super T> handler) {
        throw noLambdas("a topic handler");
    }

    @Override
    public void unsubscribe(String alias, String topic) {
        call(request().setUnsubscribe(Unsubscribe.newBuilder().setAlias(alias).setTopic(topic)));
    }

    @Override
    public void send(String alias, Object message) {
        send(alias, "", message);
    }

    @Override
    public void send(String alias, String topic, Object message) {
        call(request().setSend(Send.newBuilder().setAlias(alias).setTopic(topic).setMessage(payloads.encode(message))));
    }

    @Override
    public <T> T recv(String alias, Class<T> type) {
        return recv(alias, type, timeout);
    }

    @Override
    public <T> T recv(String alias, Class<T> type, Duration wait) {
        return decode(call(request().setRecv(Recv.newBuilder().setAlias(alias).setTimeoutMs(wait.toMillis())), wait),
                type);
    }

    @Override
    public <T> T sendRecv(String alias, Object request, Class<T> type) {
        return decode(call(request().setSendRecv(SendRecv.newBuilder().setAlias(alias)
                .setMessage(payloads.encode(request)).setTimeoutMs(timeout.toMillis())), timeout), type);
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
        return eachTimer("", period, method, args);
    }

    @Override
    public String after(Duration delay, String method, @Nullable Object... args) {
        return afterTimer("", delay, method, args);
    }

    @Override
    public String each(String alias, Duration period, String method, @Nullable Object... args) {
        return eachTimer(AgentTimers.checkedAlias(name, alias), period, method, args);
    }

    @Override
    public String after(String alias, Duration delay, String method, @Nullable Object... args) {
        return afterTimer(AgentTimers.checkedAlias(name, alias), delay, method, args);
    }

    /** Schedules a method call every period; an empty alias asks the agent to generate one. */
    private String eachTimer(String alias, Duration period, String method, @Nullable Object[] args) {
        return timer(call(request().setEach(Each.newBuilder().setPeriodNanos(period.toNanos()).setMethod(method)
                .setAlias(alias).addAllArgs(payloads.encodeAll(args)))));
    }

    /** Schedules one method call after a delay; an empty alias asks the agent to generate one. */
    private String afterTimer(String alias, Duration delay, String method, @Nullable Object[] args) {
        return timer(call(request().setAfter(After.newBuilder().setDelayNanos(delay.toNanos()).setMethod(method)
                .setAlias(alias).addAllArgs(payloads.encodeAll(args)))));
    }

    /** The new timer's alias; none when a one-way request was answered before it ran. */
    private static @Nullable String timer(ControlResponse response) {
        return response.hasTimer() ? response.getTimer() : null;
    }

    @Override
    public void stopTimer(String alias) {
        call(request().setStopTimer(StopTimer.newBuilder().setAlias(alias)));
    }

    @Override
    public void stopAllTimers() {
        call(request().setStopAllTimers(StopAllTimers.getDefaultInstance()));
    }

    @Override
    public List<String> listTimers() {
        return List.copyOf(call(request().setListTimers(ListTimers.getDefaultInstance())).getTimers().getAliasesList());
    }

    @Override
    public void setAttr(String attribute, @Nullable Object value) {
        call(request().setSetAttr(attribute(attribute, value)));
    }

    /** Sets them all in one request, in the map's order, as one task of the agent's loop. */
    @Override
    public void setAttrs(Map<String, ?> attributes) {
        SetAttrs.Builder set = SetAttrs.newBuilder();
        attributes.forEach((attribute, value) -> set.addAttributes(attribute(attribute, value)));
        call(request().setSetAttrs(set));
    }

    private SetAttr attribute(String attribute, @Nullable Object value) {
        return SetAttr.newBuilder().setName(attribute).setValue(payloads.encode(value)).build();
    }

    @Override
    public @Nullable Object getAttr(String attribute) {
        return getAttr(attribute, Object.class);
    }

    @Override
    public <T> @Nullable T getAttr(String attribute, Class<T> type) {
        return decode(call(request().setGetAttr(GetAttr.newBuilder().setName(attribute))), type);
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
        return decode(call(request().setCall(Call.newBuilder().setMethod(method).addAllArgs(payloads.encodeAll(args)))),
                resultType);
    }

    @Override
    public AgentAddress addr(String alias) {
        return address(call(request().setAddr(Addr.newBuilder().setAlias(alias))));
    }

    @Override
    public boolean hasSocket(String alias) {
        return call(request().setHasSocket(HasSocket.newBuilder().setAlias(alias))).getHasSocket();
    }

    /** Waits for the agent's sockets whatever this proxy's mode: a one-way answer carries none. */
    @Override
    public String aliasOf(AgentAddress address) {
        return mode == Mode.ONEWAY ? safe().aliasOf(address) : Proxy.super.aliasOf(address);
    }

    @Override
    public Map<String, AgentAddress> sockets() {
        Map<String, AgentAddress> sockets = new LinkedHashMap<>();
        ControlResponse response = call(request().setSockets(Sockets.getDefaultInstance()));
        for (AddressEntry entry : response.getSockets().getAddressesList()) {
            sockets.put(entry.getAlias(), AddressWire.fromEntry(entry));
        }
        return Collections.unmodifiableMap(sockets);
    }

    @Override
    public void close(String alias) {
        call(request().setClose(Close.newBuilder().setAlias(alias)));
    }

    @Override
    public void close(String alias, Duration linger) {
        call(request().setClose(Close.newBuilder().setAlias(alias).setLingerMs(linger.toMillis())));
    }

    @Override
    public void closeAll() {
        call(request().setCloseAll(CloseAll.getDefaultInstance()));
    }

    @Override
    public void closeAll(Duration linger) {
        call(request().setCloseAll(CloseAll.newBuilder().setLingerMs(linger.toMillis())));
    }

    @Override
    public void setMethod(AgentMethod... methods) {
        setMethods(AgentMethods.byReferenceName(name, methods));
    }

    /**
     * Sends methods as code: Java serialization, which both sides allow only for the classes on
     * their {@code zeroagents.serialization.java.allow} list; off by default. All in one request,
     * added in one task of the agent's loop.
     */
    @Override
    public void setMethods(Map<String, ? extends AgentMethod> methods) {
        SetMethods.Builder set = SetMethods.newBuilder();
        methods.forEach((method, body) -> set.addMethods(NamedCode.newBuilder().setName(method)
                .setCode(code(body, "method"))));
        call(request().setSetMethods(set));
    }

    @Override
    public @Nullable Object executeAsFunction(AgentFunction function, @Nullable Object... args) {
        return execute(Execute.Kind.FUNCTION, code(function, "function"), args);
    }

    @Override
    public @Nullable Object executeAsMethod(AgentMethod method, @Nullable Object... args) {
        return execute(Execute.Kind.METHOD, code(method, "method"), args);
    }

    private @Nullable Object execute(Execute.Kind kind, Payload code, @Nullable Object[] args) {
        return decode(call(request().setExecute(Execute.newBuilder().setKind(kind).setCode(code)
                .addAllArgs(payloads.encodeAll(args)))), Object.class);
    }

    private Payload code(Object lambda, String what) {
        try {
            return payloads.code(lambda);
        } catch (MessageEncodingException e) {
            throw new UnsupportedOperationException("Agent '" + name + "' runs in another process (" + client.endpoint()
                    + "): a Java " + what + " travels there only as Java serialization, which is off. Allow the"
                    + " classes involved with -Dzeroagents.serialization.java.allow (in both processes), or use a"
                    + " method of the agent's class by name", e);
        }
    }

    @Override
    public void setLogger(AgentAddress loggerAddress) {
        call(request().setSetLogger(SetLogger.newBuilder().setAddress(AddressWire.toEntry("", loggerAddress))));
    }

    @Override
    public void log(String level, String message) {
        call(request().setLog(Log.newBuilder().setLevel(level).setMessage(message)));
    }

    @Override
    public void stop() {
        call(request().setStop(Stop.getDefaultInstance()));
    }

    @Override
    public void resume() {
        call(request().setResume(Resume.getDefaultInstance()));
    }

    /** Returns once the agent's host accepted the kill; an agent in its own process ends with it. */
    @Override
    public void kill() {
        call(request().setKill(Kill.getDefaultInstance()));
    }

    /** Returns once the agent's host accepted the stop; the agent stops right after. */
    @Override
    public void shutdown() {
        call(request().setShutdown(Shutdown.getDefaultInstance()));
    }

    @Override
    public String toString() {
        return "Proxy[" + name + ", " + mode.name().toLowerCase(Locale.ROOT) + ", remote " + client.endpoint() + "]";
    }
}
