package io.zeroagents.transport;

import java.util.concurrent.TimeUnit;

/**
 * When a serving thread polls instead of sleeping: for a window after its last piece of work, so
 * the next request of a client calling one after another finds it awake. Waking a sleeping
 * thread took up to tens of microseconds on a virtual machine, where a raw round trip over tcp
 * took 60 µs to 150 µs. The name server, the control endpoints and the agent loops each keep one.
 *
 * <p>A window that {@linkplain #afterWorkInARow opens only after work in a row} opens when a piece
 * of work that began less than {@link #IN_A_ROW_NANOS} after the one before it ended ends: a server
 * asked now and then (a heartbeat every second) never polls. Work in a row renews the window; work
 * that is not leaves an open window to end when it would. Used by one thread only.
 */
public final class PollingWindow {
    /** Work that begins less than this after the previous ended comes from a client calling in a row. */
    public static final long IN_A_ROW_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final long windowNanos;
    private final boolean onlyInARow;
    /** When the last piece of work ended; none yet is long ago. */
    private long lastEnded;
    /** Whether the piece of work now under way began in a row. */
    private boolean inARow;
    /** Until when to poll ({@link System#nanoTime()}). */
    private long pollUntil;

    private PollingWindow(long windowNanos, boolean onlyInARow) {
        if (windowNanos < 0) {
            throw new IllegalArgumentException("A polling window must not be negative, got " + windowNanos + " ns");
        }
        this.windowNanos = windowNanos;
        this.onlyInARow = onlyInARow;
        long now = System.nanoTime();
        this.lastEnded = now - IN_A_ROW_NANOS;
        this.pollUntil = now;
    }

    /**
     * A window of {@code windowNanos} after every piece of work.
     *
     * @param windowNanos how long to poll; 0 never polls
     * @return the window
     */
    public static PollingWindow afterEachWork(long windowNanos) {
        return new PollingWindow(windowNanos, false);
    }

    /**
     * A window of {@code windowNanos} after work that came in a row.
     *
     * @param windowNanos how long to poll; 0 never polls
     * @return the window
     */
    public static PollingWindow afterWorkInARow(long windowNanos) {
        return new PollingWindow(windowNanos, true);
    }

    /** How long the window is, in nanoseconds. */
    public long windowNanos() {
        return windowNanos;
    }

    /** Notes that a piece of work (a request) begins at {@code now} ({@link System#nanoTime()}). */
    public void began(long now) {
        inARow = now - lastEnded < IN_A_ROW_NANOS;
    }

    /** Notes that a piece of work (an answer, a call) ended at {@code now}: a window may open. */
    public void ended(long now) {
        lastEnded = now;
        if (windowNanos > 0 && (inARow || !onlyInARow)) {
            pollUntil = now + windowNanos;
        }
    }

    /**
     * How much longer to poll at {@code now} before sleeping; 0 to sleep now.
     *
     * @param now {@link System#nanoTime()}
     * @return nanoseconds, never negative
     */
    public long pollNanos(long now) {
        return Math.max(0, pollUntil - now);
    }

    /** Whether to poll rather than sleep at {@code now}. */
    public boolean polling(long now) {
        return pollNanos(now) > 0;
    }
}
