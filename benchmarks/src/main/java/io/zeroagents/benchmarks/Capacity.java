package io.zeroagents.benchmarks;

import io.zeroagents.Agents;
import io.zeroagents.NameServer;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How many agents one JVM holds with default settings, run in a fresh {@link Peer} JVM so nothing
 * else is counted: agents are started one after another until the target or the first failure,
 * then every one must answer {@code ping} and be registered with the name server. File
 * descriptors (/proc/self/fd), threads (ThreadMXBean) and heap (after GC) are read before and
 * after, and divided by the agents started.
 *
 * <p>Modes: {@code none}, agents without a socket of their own; {@code push}, each binds a PUSH
 * socket (tcp, the default transport), which only sends and so is not polled; {@code pull}, each
 * binds a PULL socket with a handler, which the agent's loop polls with its selector.
 */
final class Capacity {
    private Capacity() {
    }

    static String measure(String mode, int target) {
        NameServer ns = Agents.runNameServer();
        // One agent first, so the classes and the agent host are loaded before the baseline.
        Proxy warm = Agents.runAgent("capacity-warm-up");
        equip(warm, mode);
        warm.ping();
        warm.shutdown();

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("limit", Machine.openFilesLimit());
        int fdsBefore = Machine.openFileDescriptors();
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        long heapBefore = heapAfterGc();
        List<Proxy> agents = new ArrayList<>(target);
        String failure = "";
        long start = System.nanoTime();
        for (int i = 0; i < target; i++) {
            try {
                Proxy agent = Agents.runAgent("cap-" + i);
                agents.add(agent);
                equip(agent, mode);
            } catch (Throwable t) {
                failure = t.toString();
                break;
            }
        }
        long startNanos = System.nanoTime() - start;
        if (!failure.isEmpty()) {
            // Out of descriptors or threads: free a few, so the counting below has some to use.
            int freed = Math.min(agents.size(), 20);
            for (int i = 0; i < freed; i++) {
                try {
                    agents.removeLast().kill();
                } catch (RuntimeException e) {
                    // Counted out anyway.
                }
            }
            result.put("freedAfterFailure", freed);
        }
        long pingStart = System.nanoTime();
        int answered = 0;
        for (Proxy agent : agents) {
            try {
                if ("pong".equals(agent.ping())) {
                    answered++;
                }
            } catch (RuntimeException e) {
                // Not answering: the count below says how many did.
            }
        }
        long pingNanos = System.nanoTime() - pingStart;
        int registered = -1;
        try {
            registered = (int) ns.agents().stream().filter(name -> name.startsWith("cap-")).count();
        } catch (RuntimeException e) {
            result.put("listFailed", e.toString());
        }
        int fdsAfter = Machine.openFileDescriptors();
        int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
        long heapAfter = heapAfterGc();
        int n = Math.max(1, agents.size());
        result.put("started", agents.size());
        result.put("answered", answered);
        result.put("registered", registered);
        result.put("startSeconds", fmt(startNanos / 1e9));
        result.put("pingAllMillis", fmt(pingNanos / 1e6));
        result.put("fds", fdsAfter);
        result.put("fdsPerAgent", fmt((fdsAfter - fdsBefore) / (double) n));
        result.put("threadsPerAgent", fmt((threadsAfter - threadsBefore) / (double) n));
        result.put("heapKiBPerAgent", fmt((heapAfter - heapBefore) / 1024.0 / n));
        StringBuilder line = new StringBuilder();
        result.forEach((k, v) -> line.append(k).append('=').append(String.valueOf(v).replace(' ', '_')).append(' '));
        // Last, as it may contain anything.
        line.append("failure=").append(failure.replace('\n', ' '));
        return line.toString().trim();
    }

    private static void equip(Proxy agent, String mode) {
        switch (mode) {
            case "none" -> {
            }
            case "push" -> agent.bind(Pattern.PUSH, "out");
            case "pull" -> agent.bind(Pattern.PULL, "in", byte[].class, (self, message) -> {
            });
            default -> throw new IllegalArgumentException("Unknown capacity mode '" + mode + "'");
        }
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
