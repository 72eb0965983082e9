package io.zeroagents.runtime.internal;

import io.zeroagents.AgentAddress;
import io.zeroagents.AgentException;
import io.zeroagents.AgentFunction;
import io.zeroagents.AgentMethod;
import io.zeroagents.AgentTimeoutException;
import io.zeroagents.BindOptions;
import io.zeroagents.Codec;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.RemoteAgentException;
import io.zeroagents.RequestOptions;
import io.zeroagents.SocketHandler;
import io.zeroagents.Transport;
import io.zeroagents.UnknownAgentException;
import io.zeroagents.runtime.internal.control.ControlRequest;
import io.zeroagents.runtime.internal.control.ControlResponse;
import io.zeroagents.runtime.internal.control.Mode;
import io.zeroagents.serialization.CodecRegistry;
import io.zeroagents.serialization.EncodedPayload;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The host side of each control operation (control.proto): runs the operation a request names on
 * the agent, in the request's mode, and turns its result or failure into the answer.
 * {@link ControlEndpoint} decides on which thread, and sends the answer.
 */
final class ControlDispatcher {
    /**
     * Safe operations that only run on the agent's loop and wait for nothing else. They are queued
     * to the loop straight from the serving thread and answered from it, without a worker thread in
     * between: two thread switches fewer per call (benchmarks: a remote call took 8x a raw REQ/REP
     * round trip, the hops between threads most of it).
     */
    private static final Set<String> ON_LOOP = Set.of("ping", "call", "get_attr", "set_attr", "send", "addr",
            "has_socket", "list_timers");

    private final Function<String, Optional<AgentCore>> agents;
    private final Payloads payloads;
    private final String endpoint;
    private final long spinNanos;

    /**
     * @param agents    this host's agents by name
     * @param endpoint  the control endpoint's address, for error messages
     * @param spinNanos how long an agent's loop polls after a call from another process ({@link AgentLoop#ranRemoteCall})
     */
    ControlDispatcher(Function<String, Optional<AgentCore>> agents, CodecRegistry codecs, String endpoint,
                      long spinNanos) {
        this.agents = agents;
        this.payloads = new Payloads(codecs);
        this.endpoint = endpoint;
        this.spinNanos = spinNanos;
    }

    /** Whether the agent the request is for runs on this host. */
    boolean runsHere(ControlRequest request) {
        return agents.apply(request.getAgent()).isPresent();
    }

    /**
     * Queues a safe operation that runs on the loop alone ({@link #ON_LOOP}) on its agent's loop,
     * to be answered from there; {@code null} for any other request (or an agent not here), which
     * the caller hands to {@link #handle} on a thread of its own. As a safe call from a worker would,
     * it fails with a timeout, and never runs, if the loop has not taken it within the agent's
     * timeout or before its caller stops waiting ({@code callerDeadline}), which also bounds a send
     * it waits in. The future always completes normally, with the answer.
     */
    @Nullable CompletableFuture<ControlResponse> runOnLoop(ControlRequest request, long callerDeadline) {
        if (request.getMode() != Mode.SAFE || !ON_LOOP.contains(request.getOperation())) {
            return null;
        }
        Optional<AgentCore> found = agents.apply(request.getAgent());
        if (found.isEmpty()) {
            return null;
        }
        AgentCore core = found.get();
        LocalProxy proxy = new LocalProxy(core, LocalProxy.Mode.SAFE);
        long timeout = core.timeout().toMillis();
        long queuedAt = System.nanoTime();
        // The age is checked when the loop takes the call rather than with a timer per call: a
        // timer's thread woke once per call. A loop that never takes it leaves the caller to its own
        // limit, which includes this one.
        return core.post(request.getOperation(), () -> {
            try {
                long now = System.nanoTime();
                if (now - queuedAt > TimeUnit.MILLISECONDS.toNanos(timeout)) {
                    throw new AgentTimeoutException("Agent '" + core.name() + "' did not run '"
                            + request.getOperation() + "' within " + timeout + " ms: its loop is busy or blocked");
                }
                if (callerDeadline != AgentLoop.NO_CALLER_DEADLINE && now - callerDeadline >= 0) {
                    throw new AgentTimeoutException("Agent '" + core.name() + "' did not run '"
                            + request.getOperation() + "' before its caller stopped waiting ("
                            + request.getCallerWaitMs() + " ms): its loop is busy or blocked");
                }
                return run(request, core, proxy, false);
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
            return failure(request, e);
        });
    }

    /** Carries out a request on the calling thread and answers it; never throws. */
    ControlResponse handle(ControlRequest request) {
        try {
            AgentCore core = agents.apply(request.getAgent()).orElseThrow(() -> new UnknownAgentException(
                    "No agent named '" + request.getAgent() + "' runs on agent host " + endpoint));
            LocalProxy.Mode mode = switch (request.getMode()) {
                case UNSAFE -> LocalProxy.Mode.UNSAFE;
                case ONEWAY -> LocalProxy.Mode.ONEWAY;
                default -> LocalProxy.Mode.SAFE;
            };
            return run(request, core, new LocalProxy(core, mode), mode == LocalProxy.Mode.ONEWAY).setRequestId(
                    request.getRequestId()).setOk(true).build();
        } catch (RuntimeException e) {
            return failure(request, e);
        }
    }

    /** Runs one operation; the params layout of each is the one RemoteProxy writes. */
    private ControlResponse.Builder run(ControlRequest request, AgentCore core, Proxy proxy, boolean oneway) {
        List<String> params = request.getParamsList();
        ControlResponse.Builder response = ControlResponse.newBuilder();
        Duration timeout = Duration.ofMillis(Math.max(1, request.getTimeoutMs()));
        switch (request.getOperation()) {
            case "ping" -> response.addStrings(proxy.ping());
            case "is_running" -> response.addStrings(String.valueOf(core.isRunning()));
            case "bind" -> {
                BindOptions.Builder options = BindOptions.builder();
                if (!params.get(2).isEmpty()) {
                    options.transport(Transport.parse(params.get(2)));
                }
                if (!params.get(3).isEmpty()) {
                    options.address(params.get(3));
                }
                if (!params.get(4).isEmpty()) {
                    options.codec(Codec.of(params.get(4)));
                }
                if (!params.get(5).isEmpty()) {
                    options.handler(SocketHandler.method(params.get(5)));
                }
                options.raw(Boolean.parseBoolean(params.get(6)));
                addAddress(response, proxy.bind(Pattern.valueOf(params.get(0)), params.get(1), options.build()));
            }
            case "connect" -> {
                AgentAddress address = AddressWire.fromStrings(params, 2);
                if (params.get(1).isEmpty()) {
                    proxy.connect(address, params.get(0));
                } else {
                    proxy.connect(address, params.get(0), SocketHandler.method(params.get(1)));
                }
            }
            case "send_request" -> {
                RequestOptions.Builder options = RequestOptions.builder();
                if (!params.get(1).isEmpty()) {
                    options.handler(params.get(1));
                }
                if (!params.get(2).isEmpty()) {
                    options.waitAtMost(Duration.ofNanos(Long.parseLong(params.get(2))));
                }
                core.sendRequestEncoded(params.get(0), Payloads.encoded(request.getValues(0)), options.build());
            }
            case "set_method" -> proxy.setMethod(params.get(0), payloads.code(request.getValues(0), AgentMethod.class));
            case "execute_function", "execute_method" -> {
                Object[] args = payloads.decodeAll(request.getValuesList().subList(1, request.getValuesCount()));
                Object result = request.getOperation().equals("execute_function")
                        ? proxy.executeAsFunction(payloads.code(request.getValues(0), AgentFunction.class), args)
                        : proxy.executeAsMethod(payloads.code(request.getValues(0), AgentMethod.class), args);
                response.setResult(payloads.encode(result));
            }
            case "subscribe" -> proxy.subscribe(params.get(0), params.get(1));
            case "unsubscribe" -> proxy.unsubscribe(params.get(0), params.get(1));
            case "set_logger" -> proxy.setLogger(AddressWire.fromStrings(params, 0));
            case "log" -> proxy.log(params.get(0), params.get(1));
            case "stop" -> proxy.stop();
            case "resume" -> proxy.resume();
            // The endpoint answers shutdown and kill before it runs them (the agent's process may end
            // with it), so the mode changes nothing here.
            case "shutdown" -> core.shutdown();
            case "kill" -> core.kill();
            case "send" -> {
                EncodedPayload message = Payloads.encoded(request.getValues(0));
                if (oneway) {
                    core.post("send", () -> {
                        core.sendEncoded(params.get(0), params.get(1), message);
                        return null;
                    });
                } else {
                    core.sendEncoded(params.get(0), params.get(1), message);
                }
            }
            case "recv" -> response.setResult(Payloads.of(core.recvEncoded(params.get(0), timeout)));
            case "send_recv" -> response.setResult(Payloads.of(core.sendRecvEncoded(params.get(0),
                    Payloads.encoded(request.getValues(0)), timeout)));
            case "set_attr" -> proxy.setAttr(params.get(0), payloads.decode(request.getValues(0), Object.class));
            case "get_attr" -> response.setResult(payloads.encode(proxy.getAttr(params.get(0))));
            case "call" -> {
                Object[] args = payloads.decodeAll(request.getValuesList());
                response.setResult(payloads.encode(proxy.call(params.get(0), args)));
            }
            case "addr" -> addAddress(response, proxy.addr(params.get(0)));
            case "has_socket" -> response.addStrings(String.valueOf(proxy.hasSocket(params.get(0))));
            case "sockets" -> {
                Map<String, AgentAddress> sockets = proxy.sockets();
                if (sockets != null) {
                    sockets.forEach((alias, address) -> addAddress(response.addStrings(alias), address));
                }
            }
            case "close" -> {
                if (params.size() > 1) {
                    proxy.close(params.get(0), Duration.ofMillis(Long.parseLong(params.get(1))));
                } else {
                    proxy.close(params.get(0));
                }
            }
            case "close_all" -> {
                if (params.isEmpty()) {
                    proxy.closeAll();
                } else {
                    proxy.closeAll(Duration.ofMillis(Long.parseLong(params.get(0))));
                }
            }
            case "each_method", "after_method" -> {
                Duration time = Duration.ofNanos(Long.parseLong(params.get(0)));
                Object[] args = payloads.decodeAll(request.getValuesList());
                String alias = request.getOperation().equals("each_method")
                        ? proxy.each(time, params.get(1), args) : proxy.after(time, params.get(1), args);
                if (alias != null) {
                    response.addStrings(alias);
                }
            }
            case "stop_timer" -> proxy.stopTimer(params.get(0));
            case "stop_all_timers" -> proxy.stopAllTimers();
            case "list_timers" -> {
                List<String> timers = proxy.listTimers();
                if (timers != null) {
                    response.addAllStrings(timers);
                }
            }
            default -> throw new AgentException("Unknown control operation '" + request.getOperation()
                    + "' for agent '" + core.name() + "'");
        }
        return response;
    }

    private static void addAddress(ControlResponse.Builder response, @Nullable AgentAddress address) {
        if (address != null) {
            response.addAllStrings(AddressWire.toStrings(address));
        }
    }

    /** The answer to {@code request} when its operation threw {@code e}. */
    static ControlResponse failure(ControlRequest request, RuntimeException e) {
        Throwable shown = e instanceof io.zeroagents.RemoteAgentException && e.getCause() != null ? e.getCause() : e;
        StringWriter trace = new StringWriter();
        shown.printStackTrace(new PrintWriter(trace));
        String type = e instanceof AgentException ? e.getClass().getSimpleName() : "RemoteAgentException";
        return ControlResponse.newBuilder().setRequestId(request.getRequestId()).setOk(false).setErrorType(type)
                .setErrorMessage(String.valueOf(e.getMessage())).setRemoteStack(trace.toString()).build();
    }
}
