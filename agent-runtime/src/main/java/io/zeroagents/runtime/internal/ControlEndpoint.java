package io.zeroagents.runtime.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.zeroagents.AgentException;
import io.zeroagents.runtime.internal.control.ControlRequest;
import io.zeroagents.runtime.internal.control.ControlRequest.OperationCase;
import io.zeroagents.runtime.internal.control.ControlResponse;
import io.zeroagents.serialization.CodecRegistry;
import io.zeroagents.settings.ZeroAgentsSettings;
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
    private final ZMQ.Socket socket;
    private final Selector selector;
    private final String endpoint;
    private final Thread thread;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Queue<Reply> replies = new ConcurrentLinkedQueue<>();
    private final AtomicLong dropped = new AtomicLong();
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

    ControlEndpoint(String host, @Nullable String advertisedHost, ZContext context, CodecRegistry codecs,
                    long maxMessageBytes, ConnectionLimits connections, Function<String, Optional<AgentCore>> agents,
                    @Nullable CurveKeys curve, boolean plainTextBeyondLoopback, Duration spin) {
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
        this.endpoint = AdvertisedHost.advertise(socket.getLastEndpoint(), advertisedHost);
        this.dispatcher = new ControlDispatcher(agents, codecs, endpoint, spinNanos);
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
            zmq.Msg frame = socket.recvMsg(0);
            if (frame == null) {
                // Only a closing context stops a message half way.
                drop(last, "a message cut short after " + (frames.size() + 1) + " frames");
                return true;
            }
            last = frame;
            frames.add(frame.data());
        }
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
                    "Unsupported control protocol version " + request.getVersion() + "; this host speaks " + VERSION)));
            return true;
        }
        OperationCase operation = request.getOperationCase();
        if (operation == OperationCase.SHUTDOWN || operation == OperationCase.KILL) {
            stopAfterAnswer(peer, request);
            return true;
        }
        long callerDeadline = callerDeadline(request, receivedAt);
        CompletableFuture<ControlResponse> fromLoop = dispatcher.runOnLoop(request, callerDeadline);
        if (fromLoop != null) {
            fromLoop.thenAccept(response -> answer(peer, response));
            return true;
        }
        workers.execute(() -> answer(peer, AgentLoop.forRemoteCaller(callerDeadline,
                () -> dispatcher.handle(request))));
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
     * Acknowledges a shutdown or kill first, then stops the agent: its process may end as soon as
     * the agent stops, and the acknowledgement must have left by then.
     */
    private void stopAfterAnswer(byte[] peer, ControlRequest request) {
        if (!dispatcher.runsHere(request)) {
            answer(peer, dispatcher.handle(request));
            return;
        }
        CompletableFuture<Void> sent = new CompletableFuture<>();
        replies.add(new Reply(peer, ControlResponse.newBuilder().setRequestId(request.getRequestId()).setOk(true)
                .build().toByteArray(), sent));
        sent.thenRunAsync(() -> {
            ControlResponse stopped = dispatcher.handle(request);
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
    }

    @Override
    public String toString() {
        return "ControlEndpoint[" + endpoint + "]";
    }
}
