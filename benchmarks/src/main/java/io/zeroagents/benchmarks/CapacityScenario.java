package io.zeroagents.benchmarks;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Agent capacity of one JVM, each mode in a fresh {@link Peer} JVM running {@link Capacity}. */
final class CapacityScenario {
    private CapacityScenario() {
    }

    static void run(Bench b) throws Exception {
        for (String mode : b.config.capacityModes()) {
            int target = mode.equals("none") ? b.config.capacityPlain() : b.config.capacityBound();
            Map<String, String> figures;
            try (PeerProcess peer = b.peer("capacity-" + mode)) {
                figures = parse(peer.call("capacity " + mode + " " + target, Duration.ofMinutes(30)));
            }
            String scenario = "capacity, 1 JVM, " + switch (mode) {
                case "none" -> "agents without sockets";
                case "push" -> "one bound PUSH socket each (tcp)";
                default -> "one bound PULL socket with a handler each (tcp)";
            };
            int started = Integer.parseInt(figures.get("started"));
            int answered = Integer.parseInt(figures.get("answered"));
            int registered = Integer.parseInt(figures.get("registered"));
            int held = Math.min(started, Math.min(answered, registered));
            String failure = figures.getOrDefault("failure", "");
            String note = "asked for " + target + ", started " + started + ", " + answered + " answered ping, "
                    + registered + " registered, in " + figures.get("startSeconds") + " s; " + figures.get("fds")
                    + " descriptors in all, limit " + figures.get("limit")
                    + (failure.isEmpty() ? "" : "; stopped by: " + failure);
            double goal = mode.equals("none") ? 10_000 : 3_000;
            b.report.add(Result.alone(scenario, "agents held", "", held,
                    Target.atLeast(goal, String.format(java.util.Locale.ROOT, "≥ %,.0f (osBrain: ~45 per name server)", goal)), note));
            b.report.add(Result.alone(scenario, "file descriptors / agent", "", Double.parseDouble(figures.get("fdsPerAgent")),
                    Target.none(), note));
            b.report.add(Result.alone(scenario, "threads / agent", "", Double.parseDouble(figures.get("threadsPerAgent")),
                    Target.none(), note));
            b.report.add(Result.alone(scenario, "heap / agent", "KiB", Double.parseDouble(figures.get("heapKiBPerAgent")),
                    Target.none(), note));
        }
    }

    /** {@code key=value} words; {@code failure=} is last and takes the rest of the line. */
    static Map<String, String> parse(String line) {
        Map<String, String> figures = new LinkedHashMap<>();
        int failure = line.indexOf("failure=");
        String head = failure < 0 ? line : line.substring(0, failure);
        for (String word : List.of(head.trim().split("\\s+"))) {
            int eq = word.indexOf('=');
            if (eq > 0) {
                figures.put(word.substring(0, eq), word.substring(eq + 1));
            }
        }
        if (failure >= 0) {
            figures.put("failure", line.substring(failure + "failure=".length()).trim());
        }
        return figures;
    }
}
