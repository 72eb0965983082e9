package io.zeroagents.runtime.internal;

import io.zeroagents.transport.SocketFactory;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.zeromq.SocketType;
import org.zeromq.ZEvent;
import org.zeromq.ZMQ;
import org.zeromq.ZMonitor;

/**
 * One DEALER connection of a {@link ControlClient} to an agent host's control endpoint, used by one
 * call at a time, and what JeroMQ reports about it: whether its handshake completed, and each
 * time it was lost after that.
 *
 * <p>A loss is a connection that had carried an answer and then closed (the host's process ended,
 * or the connection stayed silent past the ZMTP heartbeat timeout), or a connection attempt that
 * failed (nothing listens at the endpoint any more). A connection dropped before it carried an
 * answer is not a loss: JeroMQ reconnects and delivers what was queued, and JeroMQ 0.6.0 leaves a
 * few fresh connections without their handshake, which the handshake limit drops
 * ({@code zeroagents.handshake}, zeromq/jeromq#1022). A connection that stays without a completed
 * handshake too long, though, is a loss ({@link #unreached}): a host that vanished silently (its
 * packets dropped, or its port taken by a process that accepts and never speaks ZMTP) gives JeroMQ
 * nothing to report, and a call would otherwise wait its full limit.
 *
 * <p>JeroMQ reports these on its I/O thread, through an event hook (no monitor socket); the
 * socket itself belongs to the thread of the call that holds the connection.
 */
final class ControlConnection implements AutoCloseable {
    /** What the connection's socket reports: a completed handshake, a closed connection, a failed connect. */
    private static final int EVENTS = ZMQ.EVENT_HANDSHAKE_PROTOCOL | ZMQ.EVENT_DISCONNECTED | ZMQ.EVENT_CLOSED;

    /** What a connection tells its client about the host as a whole. */
    interface HostHealth {
        /** A connection of the host completed its handshake: the host is reachable. */
        void reached();

        /** A connection of the host was lost, for {@code cause}. */
        void lost(String cause);
    }

    private final ZMQ.Socket socket;
    private final HostHealth host;
    private final long heartbeatTimeoutMillis;
    /** Whether an answer came since the connection was last made; cleared by JeroMQ's I/O thread. */
    private volatile boolean answered;
    /** Set as the connection closes: what JeroMQ reports then is not about the host. */
    private volatile boolean closing;
    /**
     * Since when ({@link System#nanoTime()}, never 0) the connection has had no completed handshake:
     * since it opened, or since it was last dropped; 0 while it has one. Written by JeroMQ's I/O thread.
     */
    private volatile long unreachedSince = nonZero(System.nanoTime());
    /**
     * Written by JeroMQ's I/O thread, which runs the hook under the socket's monitor lock, and by
     * {@link #unreached}, on the thread holding the connection; a count that misses one of two losses
     * at once still changed, which is all a call looks at.
     */
    private volatile long losses;
    private volatile @Nullable String lastLoss;
    /** Used by the thread holding the connection only. */
    private long lastRequestId;

    /**
     * Opens a connection to {@code endpoint}, pinned (with CURVE) to {@code serverKey} or the key
     * the key directory trusts for it, pinging the host every {@code heartbeat} and dropping the
     * connection when nothing came back within {@code heartbeatTimeout}.
     */
    ControlConnection(SocketFactory sockets, String endpoint, @Nullable String serverKey, HostHealth host,
                      Duration heartbeat, Duration heartbeatTimeout) {
        this.host = host;
        this.heartbeatTimeoutMillis = heartbeatTimeout.toMillis();
        this.socket = sockets.create(SocketType.DEALER, this::event, EVENTS);
        try {
            socket.setHeartbeatIvl(millis(heartbeat));
            socket.setHeartbeatTimeout(millis(heartbeatTimeout));
            sockets.connect(socket, endpoint, serverKey);
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static int millis(Duration duration) {
        return Math.clamp(duration.toMillis(), 1, Integer.MAX_VALUE);
    }

    /** Runs on JeroMQ's I/O thread: cheap, and never throws. */
    private void event(ZEvent event) {
        if (closing) {
            return;
        }
        ZMonitor.Event kind = event.getEvent();
        if (kind == ZMonitor.Event.HANDSHAKE_PROTOCOL) {
            unreachedSince = 0;
            host.reached();
        } else if (kind == ZMonitor.Event.DISCONNECTED) {
            if (unreachedSince == 0) {
                unreachedSince = nonZero(System.nanoTime());
            }
            if (answered) {
                answered = false;
                lose("its connection to the host closed (the host's process ended) or stayed silent longer than the"
                        + " heartbeat timeout (" + heartbeatTimeoutMillis + " ms)");
            }
        } else if (kind == ZMonitor.Event.CLOSED) {
            lose("a connection attempt to the host failed: nothing listens at its control endpoint any more");
        }
    }

    private void lose(String cause) {
        lastLoss = cause;
        losses = losses + 1;
        host.lost(cause);
    }

    /**
     * Counts the connection lost when it has had no completed handshake for longer than {@code
     * limitNanos}; for the thread holding it, while it waits for an answer.
     *
     * @return why it is lost, or null while it has a handshake or may still get one
     */
    @Nullable String unreached(long now, long limitNanos) {
        long since = unreachedSince;
        if (since == 0 || now - since <= limitNanos) {
            return null;
        }
        String cause = "no ZMTP handshake within " + (limitNanos / 1_000_000) + " ms (the handshake limit and the"
                + " heartbeat timeout): the host accepts no connection, or does not answer on it";
        // The next call on this connection, until a handshake completes, finds it lost again at once.
        lose(cause);
        return cause;
    }

    // 0 means a handshake: a clock reading of exactly 0 is taken as the next nanosecond.
    private static long nonZero(long nanos) {
        return nanos == 0 ? 1 : nanos;
    }

    /** How many times the connection was lost since it opened; a change during a call lost its request or answer. */
    long losses() {
        return losses;
    }

    /** Why the connection was last lost; {@code null} if it never was. */
    @Nullable String lastLoss() {
        return lastLoss;
    }

    /** The id of the next request on this connection. */
    long nextRequestId() {
        return ++lastRequestId;
    }

    /** Queues one request frame, waiting up to {@code timeoutMillis} for room; whether it was queued. */
    boolean send(byte[] frame, int timeoutMillis) {
        socket.setSendTimeOut(timeoutMillis);
        return socket.send(frame, 0);
    }

    /** The next frame that arrives within {@code timeoutMillis} (at least 1), or {@code null}. */
    byte @Nullable [] receive(int timeoutMillis) {
        socket.setReceiveTimeOut(Math.max(1, timeoutMillis));
        byte[] frame = socket.recv(0);
        if (frame != null && !answered) {
            answered = true;
        }
        return frame;
    }

    @Override
    public void close() {
        closing = true;
        socket.close();
    }
}
