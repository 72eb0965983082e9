package io.zeroagents.benchmarks;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * One line per trial on the terminal while a scenario runs: which trial of how many, how long it
 * took and about how long the rest of the scenario's trials will take at the same pace, so a
 * run of several minutes never looks stuck.
 */
final class Progress {
    private final PrintStream out;
    private final LongSupplier clock;
    private final long started;
    private int done;

    Progress(PrintStream out, LongSupplier nanoClock) {
        this.out = out;
        this.clock = nanoClock;
        this.started = nanoClock.getAsLong();
    }

    /** Progress printed to standard output, timed with {@link System#nanoTime()}. */
    static Progress onTerminal() {
        return new Progress(System.out, System::nanoTime);
    }

    /**
     * Notes that a trial ended and prints its line.
     *
     * @param warmup whether it was a warm-up trial (not measured)
     * @param total  how many trials the scenario runs in all, as now known (warm-ups may grow)
     */
    void trialEnded(boolean warmup, int total) {
        done++;
        double elapsed = (clock.getAsLong() - started) / 1e9;
        double left = elapsed / done * Math.max(0, total - done);
        out.printf(Locale.ROOT, "   trial %d/%d%s, %.1f s so far, about %s left%n", done, total,
                warmup ? " (warm-up)" : "", elapsed, duration(left));
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s < 60 ? s + " s" : (s / 60) + " min " + (s % 60) + " s";
    }
}
