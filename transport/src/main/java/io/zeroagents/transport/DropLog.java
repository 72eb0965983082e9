package io.zeroagents.transport;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Warns about dropped input at most once per peer per interval, so a peer sending garbage as fast
 * as it can costs a line every few seconds rather than one per message. The lines not written are
 * counted and the next line about the same peer says how many there were; the callers' metrics keep
 * the exact totals.
 *
 * <p>Peers are told apart by a key the caller chooses (a peer's IP address, a socket's alias). At
 * most {@value #MAX_PEERS} keys are remembered; beyond them, while every remembered key's interval
 * is still running, the others share one key, so even many peers cost a bounded number of lines.
 *
 * <p>Thread-safe.
 */
public final class DropLog {
    /** How often a peer may cost a line by default. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    /** The most peers remembered at once. */
    static final int MAX_PEERS = 1024;
    /** The key peers share beyond {@link #MAX_PEERS}. */
    static final String OTHER_PEERS = "other peers";

    private final Logger logger;
    private final long intervalNanos;
    private final LongSupplier clock;
    private final Map<String, Window> windows = new HashMap<>();

    /** When a peer's last line was written and what was dropped since. */
    private static final class Window {
        long startedAt;
        long notLogged;

        Window(long startedAt) {
            this.startedAt = startedAt;
        }
    }

    /**
     * A log writing to {@code logger} at most once per peer per {@link #DEFAULT_INTERVAL}.
     *
     * @param logger where the lines go, at WARN
     */
    public DropLog(Logger logger) {
        this(logger, DEFAULT_INTERVAL, System::nanoTime);
    }

    /**
     * A log writing to {@code logger} at most once per peer per {@code interval}, on {@code clock}.
     *
     * @param logger   where the lines go, at WARN
     * @param interval how often one peer may cost a line
     * @param clock    nanoseconds, as {@link System#nanoTime()}
     */
    public DropLog(Logger logger, Duration interval, LongSupplier clock) {
        this.logger = Objects.requireNonNull(logger, "logger");
        this.intervalNanos = interval.toNanos();
        this.clock = clock;
    }

    /**
     * Writes one WARN line about input dropped from {@code peer}, unless a line about that peer was
     * written less than an interval ago: then the drop is only counted, and said in the peer's next line.
     *
     * @param peer    which peer the input came from, as the caller tells peers apart
     * @param message a Log4j message, {@code {}} standing for each of {@code args}
     * @param args    the message's arguments
     * @return whether a line was written
     */
    public boolean warn(String peer, String message, Object... args) {
        long notLogged = admit(peer);
        if (notLogged < 0) {
            return false;
        }
        if (notLogged == 0) {
            logger.warn(message, args);
        } else {
            Object[] more = Arrays.copyOf(args, args.length + 2);
            more[args.length] = notLogged;
            more[args.length + 1] = peer;
            logger.warn(message + " ({} more from {} not logged since the last line)", more);
        }
        return true;
    }

    /**
     * Whether a line about input dropped from {@code peer} may be written now, for a caller that
     * writes it its own way: at most one per peer per interval.
     *
     * @param peer which peer the input came from, as the caller tells peers apart
     * @return -1 when no line may be written (the drop is counted for the next one), else how many
     *         drops of the peer went without a line since its last one
     */
    public long admit(String peer) {
        synchronized (windows) {
            long now = clock.getAsLong();
            Window window = windowOf(peer, now);
            if (window == null) {
                return -1;
            }
            long notLogged = window.notLogged;
            window.notLogged = 0;
            window.startedAt = now;
            return notLogged;
        }
    }

    /** The window a line about {@code peer} may be written in now, or {@code null} after counting the drop. */
    private @Nullable Window windowOf(String peer, long now) {
        Window window = windows.get(peer);
        if (window == null) {
            if (windows.size() >= MAX_PEERS) {
                forgetQuietPeers(now);
            }
            String key = windows.size() >= MAX_PEERS ? OTHER_PEERS : peer;
            window = windows.get(key);
            if (window == null) {
                window = new Window(now - intervalNanos);
                windows.put(key, window);
            }
        }
        if (now - window.startedAt < intervalNanos) {
            window.notLogged++;
            return null;
        }
        return window;
    }

    /** Forgets the peers whose interval ended with nothing left to report. */
    private void forgetQuietPeers(long now) {
        for (Iterator<Window> it = windows.values().iterator(); it.hasNext(); ) {
            Window window = it.next();
            if (window.notLogged == 0 && now - window.startedAt >= intervalNanos) {
                it.remove();
            }
        }
    }
}
