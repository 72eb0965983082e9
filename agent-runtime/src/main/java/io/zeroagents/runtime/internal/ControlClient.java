package io.zeroagents.runtime.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.zeroagents.AgentTimeoutException;
import io.zeroagents.runtime.internal.control.ControlRequest;
import io.zeroagents.runtime.internal.control.ControlResponse;
import io.zeroagents.runtime.internal.control.ErrorCode;
import io.zeroagents.transport.CurveKeys;
import io.zeroagents.transport.InputLimits;
import io.zeroagents.transport.SocketFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The proxy side of the control protocol for one agent host: a small pool of DEALER connections
 * ({@link ControlConnection}), each carrying one call at a time, so a slow call holds its own
 * connection and never delays another call to the same host.
 *
 * <p>A call takes a free connection (the last one given back sits in a slot of its own, so calls
 * one after another reuse one connection with two atomic exchanges and no allocation), opens one
 * when none is free, up to {@value #MAX_CONNECTIONS}, and otherwise waits for one within its limit.
 * It sends and receives on the calling thread, as a REQ/REP client does: no thread hand-off.
 * Handing a connection to the next thread through these atomics also gives JeroMQ the memory
 * barrier it needs when a socket changes threads.
 *
 * <p>A call fails fast, with the {@link AgentTimeoutException} a timeout throws, when its
 * connection is lost while it waits (the host's process ended, or the host went silent past the
 * ZMTP heartbeat timeout, or never completed a handshake within the handshake limit and that
 * timeout), and a call to a host whose connections were lost longer than the
 * reconnection grace ago fails at once: neither waits out its full limit for an answer that
 * cannot come.
 *
 * <p>Every request carries the host's admin token when this process has it ({@link ControlAccess}):
 * the token of this JVM's own host, or the one the host wrote to its file when it is on this
 * machine and run by the same user. A request refused {@code FORBIDDEN} is sent once more if the
 * file then holds another token (the host restarted on the same port); the refused one did nothing.
 */
final class ControlClient implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(ControlClient.class);
    /** The most connections one host gets: as many calls to it at once; more wait for a free one. */
    static final int MAX_CONNECTIONS = 64;
    /** Free connections kept open besides the one in the slot; more are closed when given back. */
    private static final int MAX_SPARE = 8;
    /** How often a waiting call looks at its connection's health between receives. */
    private static final long HEALTH_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Heartbeats missed before a connection counts as lost: the name server's default lease is five. */
    private static final int HEARTBEATS_MISSED = 5;
    private static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(1);

    private final String endpoint;
    private final SocketFactory sockets;
    /** The server key connections pin (with CURVE), or null for the one the key directory trusts. */
    private final @Nullable String serverKey;
    private final Duration heartbeat;
    private final Duration heartbeatTimeout;
    /** How long a lost host may take to be reached again before calls to it fail at once. */
    private final long graceNanos;
    /** How long a connection may go without a completed handshake while a call waits on it. */
    private final long handshakeLimitNanos;
    private final AtomicReference<@Nullable ControlConnection> last = new AtomicReference<>();
    private final Queue<ControlConnection> spare = new ConcurrentLinkedQueue<>();
    private final AtomicInteger spareCount = new AtomicInteger();
    private final Semaphore permits = new Semaphore(MAX_CONNECTIONS);
    private final Health health = new Health();
    private volatile boolean closed;
    /** Where the host's token file is looked for; null when the token is known or none is wanted. */
    private final @Nullable Path tokenDirectory;
    /** The host's admin token as words, or null when this process does not have it. */
    private volatile long @Nullable [] token;

    /**
     * A client whose requests carry the token the host wrote to {@code tokenDirectory}, if any.
     *
     * @param tokenDirectory where hosts write their token files ({@link ControlAccess#defaultDirectory()}),
     *                       or null to send none
     */
    ControlClient(String endpoint, org.zeromq.ZContext context, Duration handshake, long maxMessageBytes,
                  @Nullable CurveKeys curve, @Nullable Path tokenDirectory) {
        this(endpoint, null, context, handshake, maxMessageBytes, curve, tokenDirectory, null, DEFAULT_HEARTBEAT);
    }

    /**
     * A client of the control endpoint at {@code endpoint}, pinned (with CURVE) to {@code serverKey}
     * or the key the key directory trusts for it, whose requests carry {@code knownToken}, the
     * token of a host of this JVM; or, when it is null, the token the host wrote to
     * {@code tokenDirectory}, if any.
     *
     * @param handshake how long a connection's handshake may take; also the grace a lost host has to be
     *                  reached again before calls to it fail at once
     * @param heartbeat how often each connection pings the host; {@value #HEARTBEATS_MISSED} pings
     *                  without an answer lose the connection
     */
    ControlClient(String endpoint, @Nullable String serverKey, org.zeromq.ZContext context, Duration handshake,
                  long maxMessageBytes, @Nullable CurveKeys curve, @Nullable Path tokenDirectory,
                  @Nullable String knownToken, Duration heartbeat) {
        this.endpoint = endpoint;
        this.tokenDirectory = knownToken == null ? tokenDirectory : null;
        this.token = knownToken != null ? ControlAccess.words(knownToken)
                : tokenDirectory == null ? null : ControlAccess.tokenFor(tokenDirectory, endpoint).orElse(null);
        // An answer is one frame: a host sending more, or more bytes, is not kept.
        this.sockets = SocketFactory.builder(context).owner("Control client").maxMessageBytes(maxMessageBytes)
                .inputLimits(new InputLimits(1, maxMessageBytes)).handshake(handshake).curve(curve).build();
        this.serverKey = serverKey;
        this.heartbeat = heartbeat;
        this.heartbeatTimeout = heartbeat.multipliedBy(HEARTBEATS_MISSED);
        this.graceNanos = Math.max(handshake.toNanos(), heartbeat.toNanos());
        // Room for a handshake JeroMQ dropped and redid (zeromq/jeromq#1022), as a heartbeat timeout has.
        this.handshakeLimitNanos = handshake.plus(heartbeatTimeout).toNanos();
        // The first connection opens now, so that a bad endpoint fails here, naming it.
        last.set(new ControlConnection(sockets, endpoint, serverKey, health, heartbeat, heartbeatTimeout));
    }

    String endpoint() {
        return endpoint;
    }

    /**
     * Sends a request and waits up to {@code limit} for its answer; older answers that arrive on
     * its connection are discarded.
     *
     * @throws AgentTimeoutException when no answer came within {@code limit}, or the host was
     *                               found gone first; the message names the agent, the host and why
     */
    ControlResponse call(ControlRequest.Builder request, Duration limit, String agent) {
        if (closed) {
            throw new IllegalStateException("Control client for " + endpoint + " is closed");
        }
        long deadline = System.nanoTime() + limit.toNanos();
        String gone = health.goneFor(System.nanoTime(), graceNanos);
        if (gone != null) {
            throw lost(request, agent, gone);
        }
        ControlConnection connection = take(request, agent, limit, deadline);
        try {
            ControlResponse response = exchange(connection, request, limit, deadline, agent);
            if (response.getError() == ErrorCode.FORBIDDEN && tokenReplaced()) {
                response = exchange(connection, request, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())),
                        deadline, agent);
            }
            return response;
        } finally {
            giveBack(connection);
        }
    }

    /** Reads the host's token file again: true if it now holds another token than the one sent. */
    private boolean tokenReplaced() {
        if (tokenDirectory == null) {
            return false;
        }
        long @Nullable [] read = ControlAccess.tokenFor(tokenDirectory, endpoint).orElse(null);
        if (read == null || Arrays.equals(read, token)) {
            return false;
        }
        token = read;
        return true;
    }

    private ControlResponse exchange(ControlConnection connection, ControlRequest.Builder request, Duration limit,
                                     long deadline, String agent) {
        long lossesBefore = connection.losses();
        long requestId = connection.nextRequestId();
        byte[] bytes = ControlAccess.present(request, token).setVersion(ControlEndpoint.VERSION).setRequestId(requestId)
                .setCallerWaitMs(Math.max(1, limit.toMillis())).build().toByteArray();
        if (!connection.send(bytes, (int) Math.min(Integer.MAX_VALUE, limit.toMillis()))) {
            throw timeout(request, agent, limit);
        }
        while (true) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw timeout(request, agent, limit);
            }
            byte[] frame = connection.receive((int) TimeUnit.NANOSECONDS.toMillis(Math.min(remaining,
                    HEALTH_SLICE_NANOS)));
            if (frame == null) {
                if (connection.losses() != lossesBefore) {
                    throw lost(request, agent, String.valueOf(connection.lastLoss()));
                }
                long now = System.nanoTime();
                String gone = health.goneFor(now, graceNanos);
                if (gone == null) {
                    gone = connection.unreached(now, handshakeLimitNanos);
                }
                if (gone != null) {
                    throw lost(request, agent, gone);
                }
                continue;
            }
            try {
                ControlResponse response = ControlResponse.parseFrom(frame);
                if (response.getRequestId() == requestId) {
                    return response;
                }
            } catch (InvalidProtocolBufferException e) {
                LOG.warn("Agent host {} sent {} bytes that are not a control response", endpoint, frame.length);
            }
        }
    }

    /** A free connection: the last one given back, a spare one, or a new one while fewer than the most are open. */
    private ControlConnection take(ControlRequest.Builder request, String agent, Duration limit, long deadline) {
        if (!permits.tryAcquire()) {
            try {
                if (!permits.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    throw new AgentTimeoutException("Agent '" + agent + "' (host " + endpoint + "): '"
                            + ControlDispatcher.operation(request) + "' found no free connection within "
                            + limit.toMillis() + " ms: " + MAX_CONNECTIONS + " calls to that host were in progress");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new io.zeroagents.AgentException("Interrupted while waiting to call agent '" + agent + "'", e);
            }
        }
        ControlConnection connection = last.getAndSet(null);
        if (connection == null) {
            connection = spare.poll();
            if (connection != null) {
                spareCount.decrementAndGet();
            }
        }
        if (connection == null) {
            try {
                connection = new ControlConnection(sockets, endpoint, serverKey, health, heartbeat, heartbeatTimeout);
            } catch (RuntimeException e) {
                permits.release();
                throw e;
            }
        }
        return connection;
    }

    private void giveBack(ControlConnection connection) {
        try {
            if (closed) {
                connection.close();
            } else if (!last.compareAndSet(null, connection)) {
                if (spareCount.incrementAndGet() <= MAX_SPARE) {
                    spare.add(connection);
                } else {
                    spareCount.decrementAndGet();
                    connection.close();
                }
            }
        } finally {
            permits.release();
        }
        if (closed) {
            // A close that ran while this call held its connection left the others to whoever gives them back.
            closeFree();
        }
    }

    private AgentTimeoutException timeout(ControlRequest.Builder request, String agent, Duration limit) {
        return new AgentTimeoutException("Agent '" + agent + "' (host " + endpoint + ") did not answer '"
                + ControlDispatcher.operation(request) + "' within " + limit.toMillis() + " ms");
    }

    private AgentTimeoutException lost(ControlRequest.Builder request, String agent, String cause) {
        return new AgentTimeoutException("Agent '" + agent + "' (host " + endpoint + ") cannot answer '"
                + ControlDispatcher.operation(request) + "': " + cause + "; its process may have ended or become"
                + " unreachable");
    }

    /** Closes the free connections now; one in use closes when its call gives it back. */
    @Override
    public void close() {
        closed = true;
        closeFree();
    }

    private void closeFree() {
        ControlConnection connection = last.getAndSet(null);
        if (connection != null) {
            connection.close();
        }
        while ((connection = spare.poll()) != null) {
            spareCount.decrementAndGet();
            connection.close();
        }
    }

    /** Whether the host's connections are lost, and since when: shared by all of them. */
    private static final class Health implements ControlConnection.HostHealth {
        /** When a connection was lost with none handshaken since ({@link System#nanoTime()}); 0 while reachable. */
        private volatile long lostSince;
        private volatile String cause = "";

        @Override
        public void reached() {
            lostSince = 0;
        }

        @Override
        public void lost(String why) {
            cause = why;
            if (lostSince == 0) {
                // 0 means reachable: a clock reading of exactly 0 is taken as the next nanosecond.
                long now = System.nanoTime();
                lostSince = now == 0 ? 1 : now;
            }
        }

        /** Why the host counts as gone, when its connections were lost longer than {@code graceNanos} ago; else null. */
        @Nullable String goneFor(long now, long graceNanos) {
            long since = lostSince;
            if (since == 0 || now - since <= graceNanos) {
                return null;
            }
            return "its connections to the host were lost " + TimeUnit.NANOSECONDS.toMillis(now - since)
                    + " ms ago and none was made since (last: " + cause + ")";
        }
    }
}
