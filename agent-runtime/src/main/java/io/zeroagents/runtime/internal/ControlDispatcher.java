package io.zeroagents.runtime.internal;

import io.zeroagents.AgentAddress;
import io.zeroagents.AgentFunction;
import io.zeroagents.AgentMethod;
import io.zeroagents.AgentTimeoutException;
import io.zeroagents.BindOptions;
import io.zeroagents.Codec;
import io.zeroagents.Pattern;
import io.zeroagents.RemoteAgentException;
import io.zeroagents.RequestOptions;
import io.zeroagents.SocketHandler;
import io.zeroagents.Transport;
import io.zeroagents.UnknownAgentException;
import io.zeroagents.nameserver.protocol.AddressEntry;
import io.zeroagents.runtime.internal.control.Bind;
import io.zeroagents.runtime.internal.control.ControlRequest;
import io.zeroagents.runtime.internal.control.ControlRequest.OperationCase;
import io.zeroagents.runtime.internal.control.ControlRequestOrBuilder;
import io.zeroagents.runtime.internal.control.ControlResponse;
import io.zeroagents.runtime.internal.control.Execute;
import io.zeroagents.runtime.internal.control.Mode;
import io.zeroagents.runtime.internal.control.NamedCode;
import io.zeroagents.runtime.internal.control.Payload;
import io.zeroagents.runtime.internal.control.SetAttr;
import io.zeroagents.runtime.internal.control.SocketList;
import io.zeroagents.runtime.internal.control.TimerList;
import io.zeroagents.serialization.CodecRegistry;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The host side of each control operation (control.proto): runs the operation a request carries as
 * a direct call on the agent's {@link AgentCore}, in the request's mode, and turns its result or
 * failure into the answer. {@link ControlEndpoint} decides on which thread, and sends the answer.
 *
 * <p>The modes do what {@link LocalProxy}'s do: a safe request runs on the agent's loop, an unsafe
 * one runs attribute and method work on the calling thread, a one-way one is queued on the loop
 * without waiting (its failure is logged, as nobody is left to hear it).
 *
 * <p>Who may do what. Whoever reaches the control endpoint (with CURVE: any authorized key) is a
 * <em>member</em>; an <em>admin</em> carries the host's admin token, or comes with a CURVE key
 * listed in the key directory's {@code admins} file ({@link ControlAccess}). A member's request
 * for an admin's operation is answered {@code FORBIDDEN}, naming the operation, the agent and how
 * to become an admin, before anything runs ({@link #refusal}):
 * <table>
 *   <caption>Roles on the control endpoint</caption>
 *   <tr><th scope="col">Who</th><th scope="col">May</th></tr>
 *   <tr><td>member</td><td>{@code ping}, {@code is_running}, {@code addr}, {@code has_socket},
 *     {@code sockets}; {@code send}, {@code request}, {@code recv}, {@code send_recv} through the
 *     agent's sockets; {@code list_timers}; {@code log}; {@code call} of a method the agent's own
 *     class declares or that was added to it</td></tr>
 *   <tr><td>admin</td><td>also {@code kill}, {@code shutdown}, {@code stop}, {@code resume};
 *     {@code bind}, {@code connect}, {@code subscribe}, {@code unsubscribe}, {@code close},
 *     {@code close_all}; {@code get_attr} (it reads private fields), {@code set_attr},
 *     {@code set_attrs}; {@code set_methods}, {@code execute}; {@code set_logger}; {@code each},
 *     {@code after}, {@code stop_timer}, {@code stop_all_timers}; {@code call} of a method the
 *     framework declares ({@code BaseAgent}'s, {@code Object}'s, or one of the agent's overriding
 *     them)</td></tr>
 * </table>
 * A failure's stack, and the list of methods when a call names one the agent lacks, go to admins
 * only ({@link ControlErrors}); members get the error code and message.
 */
final class ControlDispatcher {
    private static final Logger LOG = LogManager.getLogger(ControlDispatcher.class);

    /**
     * Safe operations that only run on the agent's loop and wait for nothing else. They are queued
     * to the loop straight from the serving thread and answered from it, without a worker thread in
     * between: two thread switches fewer per call (benchmarks: a remote call took 8x a raw REQ/REP
     * round trip, the hops between threads most of it).
     */
    private static final Set<OperationCase> ON_LOOP = EnumSet.of(OperationCase.PING, OperationCase.CALL,
            OperationCase.GET_ATTR, OperationCase.SET_ATTR, OperationCase.SEND, OperationCase.ADDR,
            OperationCase.HAS_SOCKET, OperationCase.LIST_TIMERS);

    private final Function<String, Optional<AgentCore>> agents;
    private final Payloads payloads;
    private final String endpoint;
    private final long spinNanos;
    private final ControlAccess access;

    /**
     * @param agents    this host's agents by name
     * @param endpoint  the control endpoint's address, for error messages
     * @param spinNanos how long an agent's loop polls after a call from another process ({@link AgentLoop#ranRemoteCall})
     * @param access    who is an admin of the host
     */
    ControlDispatcher(Function<String, Optional<AgentCore>> agents, CodecRegistry codecs, String endpoint,
                      long spinNanos, ControlAccess access) {
        this.agents = agents;
        this.payloads = new Payloads(codecs);
        this.endpoint = endpoint;
        this.spinNanos = spinNanos;
        this.access = access;
    }

    /** The operation's name as logs, loop tasks and timeout messages show it, e.g. {@code get_attr}. */
    static String operation(ControlRequestOrBuilder request) {
        return request.getOperationCase().name().toLowerCase(Locale.ROOT);
    }

    /** Whether the agent the request is for runs on this host. */
    boolean runsHere(ControlRequest request) {
        return agents.apply(request.getAgent()).isPresent();
    }

    /**
     * The answer to a request for an admin's operation ({@link ControlAccess#adminOnly}) from a
     * caller that is not an admin; null when it may run. Asked before anything else is done with
     * the request; a {@code call} of the framework's methods is refused where it runs.
     *
     * @param clientKey the CURVE public key the request came with, or null
     */
    @Nullable ControlResponse refusal(ControlRequest request, @Nullable String clientKey) {
        if (!ControlAccess.adminOnly(request.getOperationCase()) || access.isAdmin(request, clientKey)) {
            return null;
        }
        return ControlErrors.failure(request.getRequestId(),
                access.forbidden("'" + operation(request) + "'", null, request, clientKey), false);
    }

    /**
     * Carries out a request on the calling thread and answers it; never throws. Whether its
     * operation needs an admin the caller is not is {@link #refusal}'s to say, first.
     *
     * @param clientKey the CURVE public key the request came with, or null
     */
    ControlResponse handle(ControlRequest request, @Nullable String clientKey) {
        try {
            AgentCore core = agents.apply(request.getAgent()).orElseThrow(() -> new UnknownAgentException(
                    "No agent named '" + request.getAgent() + "' runs on agent host " + endpoint));
            return dispatch(request, core, clientKey).setRequestId(request.getRequestId()).setOk(true).build();
        } catch (RuntimeException e) {
            return failure(request, clientKey, e);
        }
    }

    /** The answer to a request whose operation threw: with the stack and details if the caller is an admin. */
    private ControlResponse failure(ControlRequest request, @Nullable String clientKey, RuntimeException e) {
        return ControlErrors.failure(request.getRequestId(), e, access.isAdmin(request, clientKey));
    }

    /**
     * Queues a safe operation that runs on the loop alone ({@link #ON_LOOP}) on its agent's loop,
     * to be answered from there; {@code null} for any other request (or an agent not here), which
     * the caller hands to {@link #handle} on a thread of its own. As a safe call from a worker would,
     * it fails with a timeout, and never runs, if the loop has not taken it within the agent's
     * timeout or before its caller stops waiting ({@code callerDeadline}), which also bounds a send
     * it waits in. The future always completes normally, with the answer.
     */
    @Nullable CompletableFuture<ControlResponse> runOnLoop(ControlRequest request, long callerDeadline,
                                                          @Nullable String clientKey) {
        if (request.getMode() != Mode.SAFE || !ON_LOOP.contains(request.getOperationCase())) {
            return null;
        }
        Optional<AgentCore> found = agents.apply(request.getAgent());
        if (found.isEmpty()) {
            return null;
        }
        AgentCore core = found.get();
        String operation = operation(request);
        long timeout = core.timeout().toMillis();
        long queuedAt = System.nanoTime();
        // The age is checked when the loop takes the call rather than with a timer per call: a
        // timer's thread woke once per call. A loop that never takes it leaves the caller to its own
        // limit, which includes this one.
        return core.post(operation, () -> {
            try {
                long now = System.nanoTime();
                if (now - queuedAt > TimeUnit.MILLISECONDS.toNanos(timeout)) {
                    throw new AgentTimeoutException("Agent '" + core.name() + "' did not run '" + operation
                            + "' within " + timeout + " ms: its loop is busy or blocked");
                }
                if (callerDeadline != AgentLoop.NO_CALLER_DEADLINE && now - callerDeadline >= 0) {
                    throw new AgentTimeoutException("Agent '" + core.name() + "' did not run '" + operation
                            + "' before its caller stopped waiting (" + request.getCallerWaitMs()
                            + " ms): its loop is busy or blocked");
                }
                return dispatch(request, core, clientKey);
            } finally {
                // Here rather than where the answer is sent: that may run on this thread or another.
                core.ranRemoteCall(spinNanos);
            }
        }, callerDeadline).handle((response, failure) -> {
            if (failure == null) {
                return response.setRequestId(request.getRequestId()).setOk(true).build();
            }
            RuntimeException e = failure instanceof RuntimeException runtime ? runtime
                    : new RemoteAgentException("Agent '" + core.name() + "' failed: " + failure, failure);
            return failure(request, clientKey, e);
        });
    }

    /**
     * Runs one operation on {@code core}; the caller sets the request id and outcome. The switch
     * names every case, so the compiler refuses an operation added to control.proto without its
     * branch here.
     *
     * @param clientKey the CURVE public key the request came with, or null: a call of the
     *                  framework's methods is an admin's
     */
    ControlResponse.Builder dispatch(ControlRequest request, AgentCore core, @Nullable String clientKey) {
        ControlResponse.Builder response = ControlResponse.newBuilder();
        return switch (request.getOperationCase()) {
            case PING -> {
                String pong = onLoop(core, request, () -> core.onLoop("ping", () -> "pong"));
                yield response.setPong(pong == null ? "pong" : pong);
            }
            case IS_RUNNING -> response.setRunning(core.isRunning());
            case BIND -> {
                Bind bind = request.getBind();
                Pattern pattern = pattern(bind.getPattern(), request);
                BindOptions options = bindOptions(bind, request);
                yield address(response, bind.getAlias(), onLoop(core, request,
                        () -> core.bind(pattern, bind.getAlias(), options)));
            }
            case CONNECT -> {
                var connect = request.getConnect();
                AgentAddress address = address(connect.hasAddress(), connect.getAddress(), request);
                yield done(response, onLoop(core, request, () -> connect.hasHandlerMethod()
                        ? core.connect(address, connect.getAlias(), SocketHandler.method(connect.getHandlerMethod()))
                        : core.connect(address, connect.getAlias())));
            }
            case SEND -> {
                var send = request.getSend();
                Payload message = required(send.hasMessage(), send.getMessage(), "message", request);
                yield perform(core, request,
                        () -> core.sendEncoded(send.getAlias(), send.getTopic(), Payloads.encoded(message)));
            }
            case REQUEST -> {
                var ask = request.getRequest();
                Payload message = required(ask.hasMessage(), ask.getMessage(), "message", request);
                RequestOptions.Builder options = RequestOptions.builder();
                if (ask.hasHandlerMethod()) {
                    options.handler(ask.getHandlerMethod());
                }
                if (ask.hasWaitNanos()) {
                    options.waitAtMost(Duration.ofNanos(ask.getWaitNanos()));
                }
                RequestOptions built = options.build();
                yield perform(core, request,
                        () -> core.sendRequestEncoded(ask.getAlias(), Payloads.encoded(message), built));
            }
            // A receive answers what it received, whatever the mode: there is nothing to queue it for.
            case RECV -> response.setValue(Payloads.of(core.recvEncoded(request.getRecv().getAlias(),
                    Duration.ofMillis(Math.max(1, request.getRecv().getTimeoutMs())))));
            case SEND_RECV -> {
                var sendRecv = request.getSendRecv();
                Payload message = required(sendRecv.hasMessage(), sendRecv.getMessage(), "message", request);
                yield response.setValue(Payloads.of(core.sendRecvEncoded(sendRecv.getAlias(), Payloads.encoded(message),
                        Duration.ofMillis(Math.max(1, sendRecv.getTimeoutMs())))));
            }
            case SUBSCRIBE -> perform(core, request,
                    () -> core.subscribe(request.getSubscribe().getAlias(), request.getSubscribe().getTopic()));
            case UNSUBSCRIBE -> perform(core, request,
                    () -> core.unsubscribe(request.getUnsubscribe().getAlias(), request.getUnsubscribe().getTopic()));
            case ADDR -> address(response, request.getAddr().getAlias(),
                    onLoop(core, request, () -> core.addr(request.getAddr().getAlias())));
            case HAS_SOCKET -> {
                Boolean has = onLoop(core, request, () -> core.hasSocket(request.getHasSocket().getAlias()));
                yield response.setHasSocket(has != null && has);
            }
            case SOCKETS -> {
                Map<String, AgentAddress> sockets = onLoop(core, request, core::sockets);
                SocketList.Builder list = SocketList.newBuilder();
                if (sockets != null) {
                    sockets.forEach((alias, address) -> list.addAddresses(AddressWire.toEntry(alias, address)));
                }
                yield response.setSockets(list);
            }
            case CLOSE -> {
                var close = request.getClose();
                yield perform(core, request, () -> {
                    if (close.hasLingerMs()) {
                        core.close(close.getAlias(), Duration.ofMillis(close.getLingerMs()));
                    } else {
                        core.close(close.getAlias());
                    }
                });
            }
            case CLOSE_ALL -> {
                var closeAll = request.getCloseAll();
                yield perform(core, request, () -> {
                    if (closeAll.hasLingerMs()) {
                        core.closeAll(Duration.ofMillis(closeAll.getLingerMs()));
                    } else {
                        core.closeAll();
                    }
                });
            }
            case GET_ATTR -> {
                String name = request.getGetAttr().getName();
                yield value(response, anyThread(core, request, () -> core.getAttr(name),
                        () -> core.attributes().get(name)));
            }
            case SET_ATTR -> {
                Map<String, @Nullable Object> values = attributes(List.of(request.getSetAttr()), request);
                yield setAttributes(response, core, request, values);
            }
            case SET_ATTRS -> setAttributes(response, core, request,
                    attributes(request.getSetAttrs().getAttributesList(), request));
            case SET_METHODS -> {
                Map<String, AgentMethod> methods = new LinkedHashMap<>();
                for (NamedCode method : request.getSetMethods().getMethodsList()) {
                    methods.put(method.getName(), payloads.code(required(method.hasCode(), method.getCode(), "code",
                            request), AgentMethod.class));
                }
                yield done(response, anyThread(core, request, () -> nothing(() -> core.setMethods(methods)),
                        () -> nothing(() -> methods.forEach(core.methods()::add))));
            }
            case CALL -> {
                String method = request.getCall().getMethod();
                @Nullable Object[] args = payloads.decodeAll(request.getCall().getArgsList());
                if (core.methods().callsFramework(method, args) && !access.isAdmin(request, clientKey)) {
                    throw access.forbidden("'call' of '" + method + "'", "'" + method + "' is a method of the"
                            + " framework (BaseAgent's or Object's), which operates the agent as admins do", request,
                            clientKey);
                }
                yield value(response, anyThread(core, request, () -> core.call(method, args),
                        () -> core.methods().call(method, args)));
            }
            case EXECUTE -> value(response, execute(core, request));
            case EACH -> {
                var each = request.getEach();
                @Nullable Object[] args = payloads.decodeAll(each.getArgsList());
                yield timer(response, onLoop(core, request,
                        () -> core.each(timerAlias(each.getAlias()), Duration.ofNanos(each.getPeriodNanos()),
                                each.getMethod(), args)));
            }
            case AFTER -> {
                var after = request.getAfter();
                @Nullable Object[] args = payloads.decodeAll(after.getArgsList());
                yield timer(response, onLoop(core, request,
                        () -> core.after(timerAlias(after.getAlias()), Duration.ofNanos(after.getDelayNanos()),
                                after.getMethod(), args)));
            }
            case STOP_TIMER -> perform(core, request, () -> core.stopTimer(request.getStopTimer().getAlias()));
            case STOP_ALL_TIMERS -> perform(core, request, core::stopAllTimers);
            case LIST_TIMERS -> {
                List<String> timers = onLoop(core, request, core::listTimers);
                yield response.setTimers(TimerList.newBuilder().addAllAliases(timers == null ? List.of() : timers));
            }
            case SET_LOGGER -> {
                var setLogger = request.getSetLogger();
                AgentAddress logger = address(setLogger.hasAddress(), setLogger.getAddress(), request);
                yield perform(core, request, () -> core.setLogger(logger));
            }
            // A log record is queued by the agent's log itself, from any thread.
            case LOG -> {
                core.log(request.getLog().getLevel(), request.getLog().getMessage());
                yield response;
            }
            case STOP -> perform(core, request, core::stop);
            case RESUME -> perform(core, request, core::resume);
            // The endpoint answers shutdown and kill before it runs them (the agent's process may end
            // with it), so the mode changes nothing here.
            case SHUTDOWN -> {
                core.shutdown();
                yield response;
            }
            case KILL -> {
                core.kill();
                yield response;
            }
            case OPERATION_NOT_SET -> throw new ControlErrors.BadRequest("Control request " + request.getRequestId()
                    + " for agent '" + request.getAgent() + "' carries no operation this host knows (control"
                    + " protocol version " + ControlEndpoint.VERSION + ")");
        };
    }

    /**
     * An operation of the agent's loop, as the request's mode runs it: a one-way request queues it
     * and returns {@code null} at once, logging a failure; the others wait for its result.
     */
    private static <T> @Nullable T onLoop(AgentCore core, ControlRequest request, Supplier<T> operation) {
        if (request.getMode() == Mode.ONEWAY) {
            String name = operation(request);
            core.post(name, operation::get).whenComplete((result, failure) -> {
                if (failure != null) {
                    LOG.warn("One-way call '{}' to agent '{}' failed: {}", name, core.name(), failure.toString());
                }
            });
            return null;
        }
        return operation.get();
    }

    /** {@link #onLoop} for an operation without a result; answers nothing. */
    private static ControlResponse.Builder perform(AgentCore core, ControlRequest request, Runnable operation) {
        onLoop(core, request, () -> nothing(operation));
        return ControlResponse.newBuilder();
    }

    private static @Nullable Void nothing(Runnable operation) {
        operation.run();
        return null;
    }

    /**
     * Attribute and method work: an unsafe request runs it on this thread ({@code here}), the others
     * as {@link #onLoop} runs {@code safe}.
     */
    private static <T> @Nullable T anyThread(AgentCore core, ControlRequest request, Supplier<T> safe, Callable<T> here) {
        return request.getMode() == Mode.UNSAFE ? core.callHere(here) : onLoop(core, request, safe);
    }

    private @Nullable Object execute(AgentCore core, ControlRequest request) {
        Execute execute = request.getExecute();
        Payload code = required(execute.hasCode(), execute.getCode(), "code", request);
        @Nullable Object[] args = payloads.decodeAll(execute.getArgsList());
        return switch (execute.getKind()) {
            case FUNCTION -> {
                AgentFunction function = payloads.code(code, AgentFunction.class);
                yield anyThread(core, request, () -> core.executeAsFunction(function, args), () -> function.apply(args));
            }
            case METHOD -> {
                AgentMethod method = payloads.code(code, AgentMethod.class);
                yield anyThread(core, request, () -> core.executeAsMethod(method, args), () -> method.invoke(core, args));
            }
            case KIND_UNSPECIFIED, UNRECOGNIZED -> throw bad(request, "says neither FUNCTION nor METHOD");
        };
    }

    /** A timer's alias as the request carries it: empty asks the agent to generate one. */
    private static @Nullable String timerAlias(String alias) {
        return alias.isEmpty() ? null : alias;
    }

    /** Attribute values decoded in order, each into its codec's natural type. */
    private Map<String, @Nullable Object> attributes(List<SetAttr> attributes, ControlRequest request) {
        Map<String, @Nullable Object> values = new LinkedHashMap<>();
        for (SetAttr attribute : attributes) {
            values.put(attribute.getName(), payloads.decode(required(attribute.hasValue(), attribute.getValue(),
                    "value", request), Object.class));
        }
        return values;
    }

    private static ControlResponse.Builder setAttributes(ControlResponse.Builder response, AgentCore core,
                                                         ControlRequest request, Map<String, @Nullable Object> values) {
        return done(response, anyThread(core, request, () -> nothing(() -> core.setAttrs(values)),
                () -> nothing(() -> values.forEach(core.attributes()::set))));
    }

    private static BindOptions bindOptions(Bind bind, ControlRequest request) {
        BindOptions.Builder options = BindOptions.builder();
        if (bind.hasTransport()) {
            try {
                options.transport(Transport.parse(bind.getTransport()));
            } catch (IllegalArgumentException e) {
                throw bad(request, e.getMessage());
            }
        }
        if (bind.hasAddress()) {
            options.address(bind.getAddress());
        }
        if (bind.hasCodec()) {
            options.codec(Codec.of(bind.getCodec()));
        }
        if (bind.hasHandlerMethod()) {
            options.handler(SocketHandler.method(bind.getHandlerMethod()));
        }
        return options.raw(bind.getRaw()).build();
    }

    private static Pattern pattern(String name, ControlRequest request) {
        try {
            return Pattern.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw bad(request, "names no pattern: '" + name + "'");
        }
    }

    private static AgentAddress address(boolean present, AddressEntry entry, ControlRequest request) {
        required(present, entry, "address", request);
        try {
            return AddressWire.fromEntry(entry);
        } catch (IllegalArgumentException e) {
            throw bad(request, "carries no usable address (" + e.getMessage() + ")");
        }
    }

    /** {@code field}, which the operation cannot do without. */
    private static <T> T required(boolean present, T field, String name, ControlRequest request) {
        if (!present) {
            throw bad(request, "has no " + name);
        }
        return field;
    }

    private static ControlErrors.BadRequest bad(ControlRequest request, String what) {
        return new ControlErrors.BadRequest("Control operation '" + operation(request) + "' for agent '"
                + request.getAgent() + "' " + what);
    }

    private static ControlResponse.Builder address(ControlResponse.Builder response, String alias,
                                                   @Nullable AgentAddress address) {
        return address == null ? response : response.setAddress(AddressWire.toEntry(alias, address));
    }

    private ControlResponse.Builder value(ControlResponse.Builder response, @Nullable Object value) {
        return response.setValue(payloads.encode(value));
    }

    private static ControlResponse.Builder timer(ControlResponse.Builder response, @Nullable String alias) {
        return alias == null ? response : response.setTimer(alias);
    }

    /** The answer to an operation whose result the proxy does not need. */
    private static ControlResponse.Builder done(ControlResponse.Builder response, @Nullable Object ignored) {
        return response;
    }
}
