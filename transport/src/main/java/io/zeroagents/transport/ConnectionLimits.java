package io.zeroagents.transport;

/**
 * How many connections a bound socket keeps open at once: in all, and from one peer address (an IP
 * address, whatever its ports). A connection over either limit is closed as JeroMQ reports it
 * accepted, before its handshake; each costs a little direct memory (JeroMQ's two 8 KiB buffers)
 * and a file descriptor, which a flood of idle connections would otherwise exhaust.
 *
 * @param total   the most connections in all, at least 1
 * @param perPeer the most connections from one peer address, at least 1
 */
public record ConnectionLimits(int total, int perPeer) {
    /**
     * Checks the limits.
     *
     * @throws IllegalArgumentException when either is below 1
     */
    public ConnectionLimits {
        if (total < 1 || perPeer < 1) {
            throw new IllegalArgumentException("connection limits must be at least 1, got total " + total
                    + " and per peer " + perPeer);
        }
    }
}
