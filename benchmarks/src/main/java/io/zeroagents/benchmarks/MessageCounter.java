package io.zeroagents.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Counts the messages one receiver gets, for throughput: armed with how many to expect, it times
 * the first to the last on the receiving thread, as ZeroMQ's own {@code local_thr} does, and the CPU
 * time that thread spent meanwhile (a figure a busy machine disturbs less than elapsed time). The
 * same counter serves the framework's handler and the raw socket's loop.
 */
final class MessageCounter {
    /** One armed count; its fields belong to the receiving thread until {@link #done} completes. */
    static final class Run {
        final long expected;
        final CompletableFuture<Run> done = new CompletableFuture<>();
        long count;
        long first;
        long last;
        /** CPU time the receiving thread spent from the first message to the last. */
        long cpu;

        Run(long expected) {
            this.expected = expected;
        }

        /** Nanoseconds from the first message to the last. */
        long elapsed() {
            return last - first;
        }

        /** Messages per second over the first-to-last interval. */
        double rate() {
            return count <= 1 ? Double.NaN : (count - 1) * 1e9 / elapsed();
        }
    }

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private volatile @Nullable Run run;

    /** CPU time of the calling thread, in nanoseconds. */
    static long cpuNow() {
        return CPU.getCurrentThreadCpuTime();
    }

    Run expect(long messages) {
        Run armed = new Run(messages);
        run = armed;
        return armed;
    }

    /**
     * Called on the receiving thread for each message. The clock is read at the first message and
     * the last only: a reading per message cost a receiver some 30 ns, a fifth to a third of its
     * thread, which the figure measured is not about.
     */
    void hit() {
        Run current = run;
        if (current == null) {
            return;
        }
        long count = ++current.count;
        if (count == 1) {
            current.first = System.nanoTime();
            current.cpu = CPU.getCurrentThreadCpuTime();
        }
        if (count == current.expected) {
            current.last = System.nanoTime();
            current.cpu = CPU.getCurrentThreadCpuTime() - current.cpu;
            run = null;
            current.done.complete(current);
        }
    }
}
