package io.zeroagents.runtime.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.zeroagents.AgentException;
import io.zeroagents.runtime.internal.control.ControlRequest;
import io.zeroagents.runtime.internal.control.ControlRequest.OperationCase;
import io.zeroagents.runtime.internal.control.ControlResponse;
import io.zeroagents.runtime.internal.control.ErrorCode;
import io.zeroagents.serialization.CodecRegistry;
import io.zeroagents.settings.ZeroAgentsSettings;
import io.zeroagents.transport.AdminKeys;
import io.zeroagents.transport.ConnectionLimits;
import io.zeroagents.transport.CurveKeys;
import io.zeroagents.transport.DropLog;
import io.zeroagents.transport.Frames;
import io.zeroagents.transport.InputCounters;
import io.zeroagents.transport.InputLimits;
import io.zeroagents.transport.InsecureBindException;
import io.zeroagents.transport.PollingWindow;
import io.zeroagents.transport.SocketFactory;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * operate this host's agents (control.proto). This class serves the socket: it takes requests off
 * it, hands each to the thread it runs on and sends the answers back; what an operation does is
 * {@link ControlDispatcher}'s.
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
 *
 * <p>Whoever reaches the socket is a member of the host; its admins hold the host's admin token,
 * which the endpoint writes to an owner-only file while it is open, or a CURVE key listed as an
 * admin's ({@link ControlAccess}). A request for an admin's operation from anyone else is answered
 * {@code FORBIDDEN} before it goes further ({@link ControlDispatcher#refusal}), shutdown and kill
 * included. With CURVE the key each request came with is read off its frame, where the
 * authenticator put it.
 *
 * <p>What a stranger can send is bounded before it is buffered: a request is one frame within
 * {@link #maxMessageBytes(int)} (a message of more frames is dropped as it arrives), a connection
 * has {@link #HANDSHAKE} for its handshake and is pinged every {@link #HEARTBEAT}, and the endpoint
 * keeps the {@link ConnectionLimits} it is given. Malformed requests are counted and logged at most
 * once per client address per {@link DropLog#DEFAULT_INTERVAL}.
 */
final class ControlEndpoint implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(ControlEndpoint.class);
    /** The control protocol version this host speaks, and its proxies: control.proto's package. */
    static final int VERSION = 2;
    /** What a caller's wait keeps back for the answer to travel to it: at most this, at most a quarter. */
    private static final long ANSWER_TRANSIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Longer waits are taken for this long, so a deadline cannot overflow. */
    private static final long MAX_CALLER_WAIT_MILLIS = TimeUnit.DAYS.toMillis(1);
    /** Room for a request's or response's own fields around one payload of the frame limit. */
    private static final long ENVELOPE_ROOM = 64 * 1024;
    /** How long a new connection has for its ZMTP handshake. */
    static final Duration HANDSHAKE = Duration.ofSeconds(5);
    /** How often every connection is pinged, and how long an unanswered ping keeps it open. */
    static final Duration HEARTBEAT = Duration.ofSeconds(5);
    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(20);

    private record Reply(byte[] peer, byte[] frame, @Nullable CompletableFuture<Void> sent) {
    }

    private final ControlDispatcher dispatcher;
    private final ControlAccess access;
    /** Whether clients authenticate with CURVE keys, which requests then come with. */
    private final boolean curveOn;
    private final ZMQ.Socket socket;
    private final Selector selector;
    private final String endpoint;
    private final Thread thread;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Queue<Reply> replies = new ConcurrentLinkedQueue<>();
    private final AtomicLong dropped = new AtomicLong();
    /** The most requests in progress ({@code zeroagents.control.max.pending}); more are refused at once. */
    private final int maxPending;
    /** Requests taken off the socket and not answered yet; incremented by the serving thread only. */
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final DropLog dropLog = new DropLog(LOG);
    private final SocketFactory sockets;
    private volatile boolean running = true;
    private final ReentrantLock socketLock = new ReentrantLock();
    /** Set, holding the lock, when the serving thread closes the socket. */
    private boolean socketClosed;
    /** When the serving thread polls: for the spin after the last request or answer. */
    private final PollingWindow window;
    /** When a request last came or an answer last left, from whichever thread sent it. */
    private volatile long lastTraffic;
    /** Whether the serving thread polls rather than sleeps: it then holds the lock only a moment at a time. */
    private volatile boolean spinning;
    /** How many times the serving thread went to sleep in its selector; written by that thread only. */
    private volatile long sleeps;
    /** Receives the frames of requests, telling the CURVE key each came with; serving thread only. */
    private final AdminKeys.KeyReader keyReader = new AdminKeys.KeyReader();

    /**
     * Opens the endpoint on a random port of {@code host} and writes its admin token to
     * {@code tokenDirectory} ({@link ControlAccess#defaultDirectory()} for a host's, null for none).
     */
    ControlEndpoint(String host, @Nullable String advertisedHost, ZContext context, CodecRegistry codecs,
                    long maxMessageBytes, ConnectionLimits connections, Function<String, Optional<AgentCore>> agents,
                    @Nullable CurveKeys curve, boolean plainTextBeyondLoopback, Duration spin,
                    @Nullable Path tokenDirectory) {
        this(host, advertisedHost, context, codecs, maxMessageBytes, connections, agents, curve,
                plainTextBeyondLoopback, spin, tokenDirectory,
                ZeroAgentsSettings.CONTROL_MAX_PENDING.defaultValue().orElseThrow());
    }

    /**
     * As above, with at most {@code maxPending} requests in progress at once; more are answered
     * with a refusal at once.
     */
    ControlEndpoint(String host, @Nullable String advertisedHost, ZContext context, CodecRegistry codecs,
                    long maxMessageBytes, ConnectionLimits connections, Function<String, Optional<AgentCore>> agents,
                    @Nullable CurveKeys curve, boolean plainTextBeyondLoopback, Duration spin,
                    @Nullable Path tokenDirectory, int maxPending) {
        this.maxPending = maxPending;
        long spinNanos = spin.toNanos();
        this.window = PollingWindow.afterEachWork(spinNanos);
        this.lastTraffic = System.nanoTime() - spinNanos;
        this.sockets = SocketFactory.builder(context).owner("Control endpoint").maxMessageBytes(maxMessageBytes)
                .inputLimits(new InputLimits(1, maxMessageBytes)).connectionLimits(connections).handshake(HANDSHAKE)
                .heartbeat(HEARTBEAT, HEARTBEAT_TIMEOUT).curve(curve).plainTextBeyondLoopback(plainTextBeyondLoopback)
                .build();
        this.socket = sockets.create(SocketType.ROUTER);
        String bindEndpoint = "tcp://" + host + ":*";
        try {
            sockets.bind(socket, bindEndpoint);
            this.selector = Selector.open();
            socket.getFD().register(selector, SelectionKey.OP_READ);
        } catch (InsecureBindException e) {
            socket.close();
            // Whoever reaches this endpoint operates every agent of the host: send, setAttr, shutdown.
            throw new AgentException("Cannot open the agent host's control endpoint on " + bindEndpoint + ": other"
                    + " machines can reach that address and CURVE is off, so anyone who reaches the port could"
                    + " operate this host's agents as a proxy does; " + ZeroAgentsSettings.insecureBindAdvice(), e);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw new AgentException("Cannot open the agent host's control endpoint on " + host + ": " + e.getMessage(), e);
        }
        // Proxies of other machines connect here: a wildcard bind registers a reachable host.
        String bound = socket.getLastEndpoint();
        this.endpoint = AdvertisedHost.advertise(bound, advertisedHost);
        this.curveOn = curve != null;
        this.access = ControlAccess.open(tokenDirectory, endpoint,
                Integer.parseInt(bound.substring(bound.lastIndexOf(':') + 1)), curve);
        this.dispatcher = new ControlDispatcher(agents, codecs, endpoint, spinNanos, access);
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

    /** Requests refused since the endpoint opened because they need an admin their caller is not. */
    long refusedRequests() {
        return access.refused();
    }

    /** Requests refused because {@code zeroagents.control.max.pending} were in progress, since the endpoint opened. */
    long refusedAsBusy() {
        return refused.get();
    }

    /** The endpoint's admin token, which this JVM's own proxies to it send. */
    String adminToken() {
        return access.token();
    }

    /** What the endpoint's input bounds refused: messages of more than one frame, connections over a limit. */
    InputCounters inputCounters() {
        return sockets.inputCounters();
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
                    window.ended(lastTraffic);
                    spinning = window.polling(System.nanoTime());
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
        zmq.Msg last = null;
        while (socket.hasReceiveMore()) {
            zmq.Msg frame = keyReader.recvMsg(socket, 0);
            if (frame == null) {
                // Only a closing context stops a message half way.
                drop(last, "a message cut short after " + (frames.size() + 1) + " frames");
                return true;
            }
            last = frame;
            frames.add(frame.data());
        }
        @Nullable String clientKey = curveOn ? keyReader.clientKey() : null;
        if (frames.size() != 1) {
            drop(last, "a message of " + (frames.size() + 1) + " frames");
            return true;
        }
        ControlRequest request;
        try {
            request = ControlRequest.parseFrom(frames.get(0));
        } catch (InvalidProtocolBufferException e) {
            drop(last, "bytes that are not a control request");
            return true;
        }
        if (request.getVersion() != VERSION) {
            drop(last, "control protocol version " + request.getVersion());
            // Answered all the same, in a field a version 1 proxy reads too, so its caller hears why.
            answer(peer, ControlErrors.failure(request.getRequestId(), new ControlErrors.BadRequest(
                    "Unsupported control protocol version " + request.getVersion() + "; this host speaks " + VERSION),
                    false));
            return true;
        }
        @Nullable ControlResponse refusal = dispatcher.refusal(request, clientKey);
        if (refusal != null) {
            answer(peer, refusal);
            return true;
        }
        OperationCase operation = request.getOperationCase();
        if (operation == OperationCase.SHUTDOWN || operation == OperationCase.KILL) {
            stopAfterAnswer(peer, request, clientKey);
            return true;
        }
        if (pending.get() >= maxPending) {
            refuse(peer, request);
            return true;
        }
        pending.incrementAndGet();
        long callerDeadline = callerDeadline(request, receivedAt);
        CompletableFuture<ControlResponse> fromLoop = dispatcher.runOnLoop(request, callerDeadline, clientKey);
        if (fromLoop != null) {
            fromLoop.thenAccept(response -> {
                pending.decrementAndGet();
                answer(peer, response);
            });
            return true;
        }
        workers.execute(() -> {
            ControlResponse response;
            try {
                response = AgentLoop.forRemoteCaller(callerDeadline, () -> dispatcher.handle(request, clientKey));
            } finally {
                pending.decrementAndGet();
            }
            answer(peer, response);
        });
        return true;
    }

    /**
     * Answers a request at once with a refusal, when {@code zeroagents.control.max.pending} are in
     * progress: the work a hostile or runaway caller can queue here stays bounded. Logged at the
     * first refusal and every thousandth.
     */
    private void refuse(byte[] peer, ControlRequest request) {
        long count = refused.incrementAndGet();
        String operation = ControlDispatcher.operation(request);
        if (count == 1 || count % 1000 == 0) {
            LOG.warn("Control endpoint {} refused '{}' for agent '{}': {} requests in progress, the limit ({}); {}"
                    + " refused so far", endpoint, operation, request.getAgent(), maxPending,
                    ZeroAgentsSettings.CONTROL_MAX_PENDING.property(), count);
        }
        // No exception and stack to print: a refusal must cost less than the work it turns away.
        answer(peer, ControlResponse.newBuilder().setRequestId(request.getRequestId()).setOk(false)
                .setError(ErrorCode.AGENT_ERROR).setErrorMessage("Agent host " + endpoint + " refused '" + operation
                        + "' for agent '" + request.getAgent() + "': " + maxPending + " proxy calls are in progress"
                        + " there, the limit (" + ZeroAgentsSettings.CONTROL_MAX_PENDING.property() + "); try again"
                        + " when they are answered").build());
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
     * Acknowledges a shutdown or kill first, then stops the agent: its process may end as soon as
     * the agent stops, and the acknowledgement must have left by then.
     */
    private void stopAfterAnswer(byte[] peer, ControlRequest request, @Nullable String clientKey) {
        if (!dispatcher.runsHere(request)) {
            answer(peer, dispatcher.handle(request, clientKey));
            return;
        }
        CompletableFuture<Void> sent = new CompletableFuture<>();
        replies.add(new Reply(peer, ControlResponse.newBuilder().setRequestId(request.getRequestId()).setOk(true)
                .build().toByteArray(), sent));
        sent.thenRunAsync(() -> {
            ControlResponse stopped = dispatcher.handle(request, clientKey);
            if (!stopped.getOk()) {
                LOG.warn("Agent '{}' did not stop as asked through {}: {}", request.getAgent(), endpoint,
                        stopped.getErrorMessage());
            }
        }, workers);
    }

    private void drop(zmq.@Nullable Msg frame, String what) {
        String peer = Frames.peerHost(frame);
        dropLog.warn(peer, "Control endpoint {} dropped {} from {} ({} dropped so far)", endpoint, what, peer,
                dropped.incrementAndGet());
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
        access.close();
    }

    @Override
    public String toString() {
        return "ControlEndpoint[" + endpoint + "]";
    }
}
