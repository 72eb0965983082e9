package io.zeroagents.runtime.internal;

import io.zeroagents.nameserver.internal.MailboxRaceGuard;
import io.zeroagents.nameserver.security.CurveKeys;

import com.google.protobuf.InvalidProtocolBufferException;
import io.zeroagents.AgentAddress;
import io.zeroagents.AgentMethod;
import io.zeroagents.AgentFunction;
import io.zeroagents.AgentException;
import io.zeroagents.AgentTimeoutException;
import io.zeroagents.BindOptions;
import io.zeroagents.Codec;
import io.zeroagents.Pattern;
import io.zeroagents.RequestOptions;
import io.zeroagents.Proxy;
import io.zeroagents.RemoteAgentException;
import io.zeroagents.SocketHandler;
import io.zeroagents.Transport;
import io.zeroagents.UnknownAgentException;
import io.zeroagents.runtime.internal.control.ControlRequest;
import io.zeroagents.runtime.internal.control.ControlResponse;
import io.zeroagents.runtime.internal.control.Mode;
import io.zeroagents.serialization.CodecRegistry;
import io.zeroagents.serialization.EncodedPayload;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * An agent host's control endpoint: the ROUTER socket through which proxies of other processes
 * operate this host's agents (control.proto).
 *
 * <p>One thread serves the socket. Each request runs on a virtual thread, because a safe call waits
 * for its agent's loop and one slow agent must not hold up the others; answers come back through
 * a queue and a selector wake-up. A safe call that only needs its agent's loop is queued on the
 * loop directly, and the loop sends the answer itself when the socket is free: every use of the
 * socket holds {@code socketLock}, which also gives JeroMQ the memory barrier it asks for when a
 * socket changes threads.
 *
 * <p>After a request or an answer the serving thread keeps polling the socket for a while
 * ({@code zeroagents.control.spin.micros}) before it sleeps: a proxy making calls one after another
 * then finds it awake. Waking a sleeping thread took tens of microseconds on a virtual machine,
 * which made a remote proxy call half as slow again as a raw REQ/REP round trip. An endpoint that
 * receives nothing never spins. For the same reason an agent's loop that runs calls from here one
 * after another polls as long after each ({@link AgentLoop#ranRemoteCall}).
 */
final class ControlEndpoint implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(ControlEndpoint.class);
    static final int VERSION = 1;
    /** What a caller's wait keeps back for the answer to travel to it: at most this, at most a quarter. */
    private static final long ANSWER_TRANSIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Longer waits are taken for this long, so a deadline cannot overflow. */
    private static final long MAX_CALLER_WAIT_MILLIS = TimeUnit.DAYS.toMillis(1);
    /** Room for a request's or response's own fields around one payload of the frame limit. */
    private static final long ENVELOPE_ROOM = 64 * 1024;

    private record Reply(byte[] peer, byte[] frame, @Nullable CompletableFuture<Void> sent) {
    }

    private final Function<String, Optional<AgentCore>> agents;
    private final Payloads payloads;
    private final ZMQ.Socket socket;
    private final Selector selector;
    private final String endpoint;
    private final Thread thread;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Queue<Reply> replies = new ConcurrentLinkedQueue<>();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean running = true;
    private final ReentrantLock socketLock = new ReentrantLock();
    /** Set, holding the lock, when the serving thread closes the socket. */
    private boolean socketClosed;
    private final long spinNanos;
    /** When a request last came or an answer last left: the serving thread polls until spinNanos after. */
    private volatile long lastTraffic;
    /** Whether the serving thread polls rather than sleeps: it then holds the lock only a moment at a time. */
    private volatile boolean spinning;
    /** How many times the serving thread went to sleep in its selector; written by that thread only. */
    private volatile long sleeps;

    ControlEndpoint(String host, @Nullable String advertisedHost, ZContext context, CodecRegistry codecs,
                    long maxMessageBytes, Function<String, Optional<AgentCore>> agents, @Nullable CurveKeys curve,
                    Duration spin) {
        this.agents = agents;
        this.spinNanos = spin.toNanos();
        this.lastTraffic = System.nanoTime() - spinNanos;
        this.payloads = new Payloads(codecs);
        this.socket = MailboxRaceGuard.createSocket(context, SocketType.ROUTER);
        socket.setLinger(0);
        socket.setMaxMsgSize(maxMessageBytes);
        if (curve != null) {
            curve.serve(socket);
        }
        try {
            socket.bind("tcp://" + host + ":*");
            this.selector = Selector.open();
            socket.getFD().register(selector, SelectionKey.OP_READ);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw new AgentException("Cannot open the agent host's control endpoint on " + host + ": " + e.getMessage(), e);
        }
        // Proxies of other machines connect here: a wildcard bind registers a reachable host.
        this.endpoint = AdvertisedHost.advertise(socket.getLastEndpoint(), advertisedHost);
        this.thread = new Thread(this::serve, "zeroagents-control-" + endpoint.substring(endpoint.lastIndexOf(':') + 1));
        thread.setDaemon(true);
        // The socket was created here; from now on only the serving thread touches it.
        thread.start();
    }

    /**
     * The largest control message either side takes: one payload as large as an agent's frame limit
     * plus the operation's own fields. A peer declaring more loses its connection before JeroMQ
     * allocates the frame.
     */
    static long maxMessageBytes(int maxFrameBytes) {
        return maxFrameBytes + ENVELOPE_ROOM;
    }

    String endpoint() {
        return endpoint;
    }

    /** How many times the serving thread has gone to sleep since the endpoint opened (it polls in between). */
    long sleeps() {
        return sleeps;
    }

    /** Control messages dropped as malformed (frame count, not a request, version) since the endpoint opened. */
    long droppedRequests() {
        return dropped.get();
    }

    private void serve() {
        try {
            while (running) {
                boolean received;
                socketLock.lock();
                try {
                    sendQueuedReplies();
                    received = (socket.getEvents() & ZMQ.Poller.POLLIN) != 0 && receive();
                } finally {
                    socketLock.unlock();
                }
                if (received) {
                    lastTraffic = System.nanoTime();
                } else if (replies.isEmpty()) {
                    spinning = System.nanoTime() - lastTraffic < spinNanos;
                    if (spinning) {
                        // The next pass polls the socket again. Yielding rather than spinning hard
                        // lets the I/O threads the answer waits for run first on a small machine:
                        // with an agent's spinWait too, a hard spin made calls six times slower on 2 cores.
                        Thread.yield();
                    } else {
                        sleeps = sleeps + 1;
                        selector.select(100);
                        selector.selectedKeys().clear();
                    }
                }
            }
        } catch (IOException e) {
            LOG.error("Control endpoint {} stopped: {}", endpoint, e.toString());
        } finally {
            spinning = false;
            socketLock.lock();
            try {
                socketClosed = true;
                socket.close();
            } finally {
                socketLock.unlock();
            }
            try {
                selector.close();
            } catch (IOException e) {
                LOG.debug("Closing the control endpoint's selector failed", e);
            }
        }
    }

    /** Sends the answers queued for the socket; the caller holds the lock. */
    private void sendQueuedReplies() {
        Reply reply;
        while ((reply = replies.poll()) != null) {
            socket.sendMore(reply.peer());
            socket.send(reply.frame());
            if (reply.sent() != null) {
                reply.sent().complete(null);
            }
            lastTraffic = System.nanoTime();
        }
    }

    /** Takes one request off the socket, if there is one; the caller holds the lock. */
    private boolean receive() {
        byte[] peer = socket.recv(ZMQ.DONTWAIT);
        if (peer == null) {
            return false;
        }
        long receivedAt = System.nanoTime();
        List<byte[]> frames = new ArrayList<>();
        while (socket.hasReceiveMore()) {
            frames.add(socket.recv(0));
        }
        if (frames.size() != 1) {
            drop("a message of " + (frames.size() + 1) + " frames");
            return true;
        }
        ControlRequest request;
        try {
            request = ControlRequest.parseFrom(frames.get(0));
        } catch (InvalidProtocolBufferException e) {
            drop("bytes that are not a control request");
            return true;
        }
        if (request.getVersion() != VERSION) {
            drop("control protocol version " + request.getVersion());
            answer(peer, failure(request, new AgentException("Unsupported control protocol version "
                    + request.getVersion() + "; this host speaks " + VERSION)));
            return true;
        }
        if (request.getOperation().equals("shutdown") || request.getOperation().equals("kill")) {
            shutdown(peer, request);
            return true;
        }
        long callerDeadline = callerDeadline(request, receivedAt);
        if (request.getMode() == Mode.SAFE && ON_LOOP.contains(request.getOperation())
                && answerFromLoop(peer, request, callerDeadline)) {
            return true;
        }
        workers.execute(() -> answer(peer, AgentLoop.forRemoteCaller(callerDeadline, () -> handle(request))));
        return true;
    }

    /**
     * When the request's caller gives up, less the time its answer may take to reach it; none for a
     * proxy that does not say how long it waits.
     */
    static long callerDeadline(ControlRequest request, long receivedAt) {
        long waitMillis = request.getCallerWaitMs();
        if (waitMillis <= 0) {
            return AgentLoop.NO_CALLER_DEADLINE;
        }
        long wait = TimeUnit.MILLISECONDS.toNanos(Math.min(waitMillis, MAX_CALLER_WAIT_MILLIS));
        // A short wait keeps back a share of itself only: a fixed reserve would leave it nothing.
        return receivedAt + wait - Math.min(ANSWER_TRANSIT_NANOS, wait / 4);
    }

    /**
     * Safe operations that only run on the agent's loop and wait for nothing else. They are queued
     * to the loop straight from this thread and answered from it, without the worker thread in
     * between: two thread switches fewer per call (benchmarks: a remote call took 8x a raw REQ/REP
     * round trip, the hops between threads most of it).
     */
    private static final java.util.Set<String> ON_LOOP = java.util.Set.of("ping", "call", "get_attr", "set_attr",
            "send", "addr", "has_socket", "list_timers");

    /**
     * Queues a safe operation on the agent's loop, answered from there; as a safe call from a worker
     * would, it fails with a timeout, and never runs, if the loop has not taken it within the agent's
     * timeout or before its caller stops waiting ({@code callerDeadline}), which also bounds a send or
     * receive it waits in. Returns {@code false} when no such agent runs here, for the general path to
     * say so.
     */
    private boolean answerFromLoop(byte[] peer, ControlRequest request, long callerDeadline) {
        Optional<AgentCore> found = agents.apply(request.getAgent());
        if (found.isEmpty()) {
            return false;
        }
        AgentCore core = found.get();
        LocalProxy proxy = new LocalProxy(core, LocalProxy.Mode.SAFE);
        long timeout = core.timeout().toMillis();
        long queuedAt = System.nanoTime();
        // The age is checked when the loop takes the call rather than with a timer per call: a
        // timer's thread woke once per call. A loop that never takes it leaves the caller to its own
        // limit, which includes this one.
        core.post(request.getOperation(), () -> {
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
        }, callerDeadline).whenComplete((response, failure) -> {
                    if (failure == null) {
                        answer(peer, response.setRequestId(request.getRequestId()).setOk(true).build());
                    } else if (failure instanceof RuntimeException e) {
                        answer(peer, failure(request, e));
                    } else {
                        answer(peer, failure(request, new RemoteAgentException("Agent '" + core.name() + "' failed: "
                                + failure, failure)));
                    }
                });
        return true;
    }

    /**
     * Acknowledges a shutdown or kill first, then stops the agent: its process may end as soon as
     * the agent stops, and the acknowledgement must have left by then.
     */
    private void shutdown(byte[] peer, ControlRequest request) {
        Optional<AgentCore> core = agents.apply(request.getAgent());
        if (core.isEmpty()) {
            answer(peer, handle(request));
            return;
        }
        CompletableFuture<Void> sent = new CompletableFuture<>();
        replies.add(new Reply(peer, ControlResponse.newBuilder().setRequestId(request.getRequestId()).setOk(true)
                .build().toByteArray(), sent));
        boolean kill = request.getOperation().equals("kill");
        sent.thenRunAsync(() -> {
            try {
                if (kill) {
                    core.get().kill();
                } else {
                    core.get().shutdown();
                }
            } catch (RuntimeException e) {
                LOG.warn("Agent '{}' did not stop as asked through {}: {}", request.getAgent(), endpoint, e.getMessage());
            }
        }, workers);
    }

    private void drop(String what) {
        LOG.warn("Control endpoint {} dropped {} ({} dropped so far)", endpoint, what, dropped.incrementAndGet());
    }

    /**
     * Sends an answer: at once when the socket is free (the serving thread waits in its selector)
     * or soon will be (it polls), else through the queue. After using the socket this thread may
     * have taken the wake-up meant for the serving thread (ZeroMQ signals its descriptor once per
     * batch of commands), so it wakes that thread when a request is waiting.
     */
    private void answer(byte[] peer, ControlResponse response) {
        byte[] frame = response.toByteArray();
        // A polling serving thread takes the lock for a moment per pass, so waiting for it is short;
        // the queue would add a system call and a pass of the serving thread.
        boolean locked;
        if (spinning) {
            socketLock.lock();
            locked = true;
        } else {
            locked = socketLock.tryLock();
        }
        if (locked) {
            boolean requestWaiting;
            try {
                if (socketClosed) {
                    return;
                }
                sendQueuedReplies();
                socket.sendMore(peer);
                socket.send(frame);
                lastTraffic = System.nanoTime();
                requestWaiting = (socket.getEvents() & ZMQ.Poller.POLLIN) != 0;
            } finally {
                socketLock.unlock();
            }
            if (requestWaiting) {
                selector.wakeup();
            }
            return;
        }
        replies.add(new Reply(peer, frame, null));
        selector.wakeup();
    }

    private ControlResponse handle(ControlRequest request) {
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

    private static ControlResponse failure(ControlRequest request, RuntimeException e) {
        Throwable shown = e instanceof io.zeroagents.RemoteAgentException && e.getCause() != null ? e.getCause() : e;
        StringWriter trace = new StringWriter();
        shown.printStackTrace(new PrintWriter(trace));
        String type = e instanceof AgentException ? e.getClass().getSimpleName() : "RemoteAgentException";
        return ControlResponse.newBuilder().setRequestId(request.getRequestId()).setOk(false).setErrorType(type)
                .setErrorMessage(String.valueOf(e.getMessage())).setRemoteStack(trace.toString()).build();
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdown();
    }

    @Override
    public String toString() {
        return "ControlEndpoint[" + endpoint + "]";
    }
}
