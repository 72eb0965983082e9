package io.zeroagents.benchmarks;

import io.zeroagents.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The soak test's proxy calls: {@code echo} on each agent in turn, at a steady rate from a thread of
 * its own, each call timed into the samples of the phase under way. A call that throws (a timeout,
 * an agent gone) is counted as failed, with its first error kept. The rate is a schedule, not a
 * loop of back-to-back calls: a slow call is not followed by a burst that catches up.
 */
final class ProxyCaller implements AutoCloseable {
    /** One phase's calls. */
    static final class Phase {
        final Samples latencies = new Samples();
        long failed;
        String firstError = "";
    }

    private final List<Proxy> proxies;
    private final long periodNanos;
    private final byte[] payload = Raw.payload(16);
    private final List<Phase> phases = new ArrayList<>();
    private final Thread thread;
    private volatile int phase;
    private volatile boolean running = true;

    ProxyCaller(List<Proxy> proxies, int callsPerSecond, int phaseCount) {
        this.proxies = List.copyOf(proxies);
        this.periodNanos = TimeUnit.SECONDS.toNanos(1) / callsPerSecond;
        for (int i = 0; i < phaseCount; i++) {
            phases.add(new Phase());
        }
        this.thread = new Thread(this::run, "soak-proxy-calls");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Puts the calls from now on into phase {@code index}. */
    void phase(int index) {
        phase = index;
    }

    /** Phase {@code index}'s calls; read it once the caller is closed. */
    Phase results(int index) {
        return phases.get(index);
    }

    private void run() {
        long next = System.nanoTime();
        int turn = 0;
        while (running) {
            Proxy proxy = proxies.get(turn++ % proxies.size());
            Phase current = phases.get(phase);
            long start = System.nanoTime();
            try {
                proxy.call("echo", payload);
                long elapsed = System.nanoTime() - start;
                synchronized (current) {
                    current.latencies.add(elapsed);
                }
            } catch (RuntimeException e) {
                synchronized (current) {
                    if (current.failed++ == 0) {
                        current.firstError = proxy.name() + ": " + e;
                    }
                }
            }
            next = Math.max(next + periodNanos, System.nanoTime());
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Stops calling; the call under way ends first (within the proxies' timeout). */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
