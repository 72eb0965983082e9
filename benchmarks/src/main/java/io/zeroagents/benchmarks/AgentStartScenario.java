package io.zeroagents.benchmarks;

import io.zeroagents.Agents;
import io.zeroagents.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * How long {@code Agents.runAgent(name)} takes in one JVM with a name server already running: the
 * agent is registered, its thread started and {@code onInit} run when it returns. Agents are
 * started one after another and kept until the end, as a program starting many would. Raw JeroMQ
 * has no counterpart; osBrain starts a process per agent, about 100 ms each.
 */
final class AgentStartScenario {
    private AgentStartScenario() {
    }

    static void run(Bench b) {
        int n = b.config.starts();
        List<Proxy> started = new ArrayList<>();
        Samples samples = new Samples();
        try {
            for (int i = 0; i < b.config.warmups() * Math.min(n, 100); i++) {
                started.add(Agents.runAgent(b.name("WarmStart")));
            }
            for (int trial = 0; trial < b.config.trials(); trial++) {
                for (int i = 0; i < n; i++) {
                    String name = b.name("Start");
                    long start = System.nanoTime();
                    Proxy agent = Agents.runAgent(name);
                    samples.add(System.nanoTime() - start);
                    started.add(agent);
                }
            }
        } finally {
            started.forEach(Proxy::kill);
        }
        String note = "raw JeroMQ has no agents; osBrain starts a process per agent, about 100 ms";
        b.report.add(Result.alone("agent start, 1 JVM", "p50", "µs", samples.micros(50),
                Target.atMost(2_000, "p50 ≤ 2 ms"), note));
        b.report.add(Result.alone("agent start, 1 JVM", "p99", "µs", samples.micros(99), Target.none(), note));
    }
}
