package io.zeroagents.benchmarks;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs the end-to-end scenarios, each with ZeroAgents and with raw JeroMQ of the same pattern,
 * transport, payload and counts, alternating the two in the same run, and writes the report.
 *
 * <p>Arguments are {@code key=value} (see {@link Config}), e.g.
 * {@code scenarios=push-tcp,reqrep-tcp trials=5 messages=500000}, or {@code quick} for a tiny run.
 * A first argument {@code soak} runs the soak test instead ({@link Soak}), which takes minutes and
 * is never among the scenarios. The exit code is 0 when every scenario ran (whether or not it met its target), 1 when one failed,
 * 2 on bad arguments.
 */
public final class Harness {
    private Harness() {
    }

    /** A scenario of the harness. */
    @FunctionalInterface
    interface Scenario {
        void run(Bench bench) throws Exception;
    }

    private static final Map<String, Scenario> SCENARIOS = scenarios();

    private static Map<String, Scenario> scenarios() {
        Map<String, Scenario> s = new LinkedHashMap<>();
        s.put("push-tcp", PushPullScenario::tcp);
        s.put("push-inproc", PushPullScenario::inproc);
        s.put("reqrep-tcp", ReqRepScenario::run);
        s.put("pubsub", FanOutScenario::run);
        s.put("proxy-local", ProxyCallScenario::local);
        s.put("proxy-remote", ProxyCallScenario::remote);
        s.put("agent-start", AgentStartScenario::run);
        s.put("nameserver", NameServerScenario::run);
        s.put("capacity", CapacityScenario::run);
        return s;
    }

    /**
     * Runs a harness.
     *
     * @param args {@code key=value} options, or {@code soak} and the soak test's options
     * @throws Exception when the report cannot be written
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("soak")) {
            System.exit(Soak.run(java.util.Arrays.copyOfRange(args, 1, args.length)));
            return;
        }
        Config config;
        try {
            config = Config.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(run(config) == null ? 1 : 0);
    }

    /** Runs the configured scenarios; returns the JSON report, or {@code null} if a scenario failed. */
    static Path run(Config config) throws Exception {
        Report report = new Report(config);
        System.out.println("ZeroAgents benchmark harness; load average at start: " + report.loadAtStart());
        try (Bench bench = new Bench(config, report)) {
            for (Map.Entry<String, Scenario> scenario : SCENARIOS.entrySet()) {
                if (!config.runs(scenario.getKey())) {
                    continue;
                }
                System.out.println("-- " + scenario.getKey());
                report.starting(scenario.getKey());
                long start = System.nanoTime();
                try {
                    scenario.getValue().run(bench);
                } catch (Exception | Error e) {
                    System.err.println("Scenario " + scenario.getKey() + " failed:");
                    e.printStackTrace();
                    report.failed(scenario.getKey(), e);
                }
                System.out.printf(java.util.Locale.ROOT, "   (%.1f s)%n", (System.nanoTime() - start) / 1e9);
            }
        }
        Path json = report.finish(config.out());
        return report.failures().isEmpty() ? json : null;
    }
}
