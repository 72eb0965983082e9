package io.zeroagents.transport;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the input limits of a factory's sockets refused since they were made: the totals behind the
 * rate-limited log lines. Thread-safe; JeroMQ's I/O thread counts, anyone reads.
 */
public final class InputCounters {
    private final AtomicLong truncatedMessages = new AtomicLong();
    private final AtomicLong cutConnections = new AtomicLong();
    private final AtomicLong refusedConnections = new AtomicLong();

    /** Counters at zero. */
    public InputCounters() {
    }

    /**
     * Messages with more frames than their socket takes, dropped ({@link InputLimits#maxFrames()}).
     *
     * @return the count
     */
    public long truncatedMessages() {
        return truncatedMessages.get();
    }

    /**
     * Connections closed for what they sent: a message over {@link InputLimits#maxBytes()} (a
     * subscription too long, on a PUB socket), or a greeting of ZMTP 1.0 or 2.0, which no ZeroAgents
     * peer speaks.
     *
     * @return the count
     */
    public long cutConnections() {
        return cutConnections.get();
    }

    /**
     * Connections closed at once for being over the {@link ConnectionLimits}.
     *
     * @return the count
     */
    public long refusedConnections() {
        return refusedConnections.get();
    }

    /**
     * Everything refused: {@link #truncatedMessages()}, {@link #cutConnections()} and
     * {@link #refusedConnections()} together.
     *
     * @return the sum
     */
    public long total() {
        return truncatedMessages() + cutConnections() + refusedConnections();
    }

    void truncated() {
        truncatedMessages.incrementAndGet();
    }

    void cut() {
        cutConnections.incrementAndGet();
    }

    void refused() {
        refusedConnections.incrementAndGet();
    }

    @Override
    public String toString() {
        return "InputCounters[truncatedMessages=" + truncatedMessages() + ", cutConnections=" + cutConnections()
                + ", refusedConnections=" + refusedConnections() + "]";
    }
}
