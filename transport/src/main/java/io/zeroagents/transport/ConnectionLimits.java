package io.zeroagents.transport;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * How many connections a bound socket keeps open at once: in all, and from one peer address (an IP
 * address, whatever its ports). A connection over either limit is closed as JeroMQ reports it
 * accepted, before its handshake; each costs a little direct memory (JeroMQ's two 8 KiB buffers)
 * and a file descriptor, which a flood of idle connections would otherwise exhaust.
 *
 * <p>The limits must also stay below the process's own descriptor limit: a listener that cannot
 * accept for want of a descriptor leaves the connection waiting in the kernel's queue, and JeroMQ's
 * I/O thread tries again at once, forever, at full speed. {@link #fittingThisProcess()} lowers them
 * to fit.
 *
 * @param total   the most connections in all, at least 1
 * @param perPeer the most connections from one peer address, at least 1
 */
public record ConnectionLimits(int total, int perPeer) {
    private static final Logger LOG = LogManager.getLogger(ConnectionLimits.class);
    /** Descriptors always left for the process's own files, sockets and selectors. */
    static final int MIN_RESERVE = 128;
    private static final AtomicBoolean WARNED = new AtomicBoolean();

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

    /**
     * These limits, lowered when this process's descriptor limit ({@code ulimit -n}) is too low for
     * them ({@link #fitting(long)}); the first time limits are lowered a warning says so.
     *
     * @return limits that leave the process descriptors of its own
     */
    public ConnectionLimits fittingThisProcess() {
        long descriptors = Descriptors.processLimit();
        ConnectionLimits fitted = fitting(descriptors);
        if (fitted.total < total && WARNED.compareAndSet(false, true)) {
            LOG.warn("Connection limit lowered from {} to {} (and {} per peer address): this process may open only"
                    + " {} file descriptors (ulimit -n), and needs some for itself; raise the descriptor limit to"
                    + " keep zeroagents.max.connections", total, fitted.total, fitted.perPeer, descriptors);
        }
        return fitted;
    }

    /**
     * These limits, with the total lowered to leave a quarter of {@code maxDescriptors} (at least
     * {@value #MIN_RESERVE}) to the process, and the per-peer limit no higher than the total.
     *
     * @param maxDescriptors the process's descriptor limit; 0 or less when unknown (nothing changes)
     * @return the limits that fit
     */
    public ConnectionLimits fitting(long maxDescriptors) {
        if (maxDescriptors <= 0) {
            return this;
        }
        long reserve = Math.max(MIN_RESERVE, maxDescriptors / 4);
        int fitted = Math.clamp(maxDescriptors - reserve, 1, total);
        return fitted == total ? this : new ConnectionLimits(fitted, Math.min(perPeer, fitted));
    }
}
