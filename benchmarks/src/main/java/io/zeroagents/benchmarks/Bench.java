package io.zeroagents.benchmarks;

import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.NameServer;
import io.zeroagents.Proxy;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.zeromq.ZContext;

/**
 * What every scenario of one run shares: the options, the report, the name server the harness's
 * agents register with, the ZeroMQ context of the raw baselines, and the trial schedule.
 */
final class Bench implements AutoCloseable {
    /** Figures of one scenario, raw JeroMQ's and the framework's, one per measured trial. */
    record Both<T>(List<T> raw, List<T> framework) {
    }

    final Config config;
    final Report report;
    final NameServer nameServer;
    final ZContext raw = new ZContext(1);
    private int unique;

    Bench(Config config, Report report) {
        this.config = config;
        this.report = report;
        this.nameServer = Agents.runNameServer();
    }

    /** A fresh agent name. */
    String name(String prefix) {
        return prefix + (++unique);
    }

    /**
     * Options of the harness's own agents: the defaults, but a proxy call may wait as long as a
     * whole trial lasts (it measures inside one call).
     */
    static AgentOptions options() {
        return AgentOptions.builder().timeout(Duration.ofMinutes(10)).build();
    }

    Proxy agent(String prefix) {
        return Agents.runAgent(name(prefix), options());
    }

    /** A peer JVM; {@code -Dbench.peer.jvmArgs="..."} passes options to it (e.g. to profile it with JFR). */
    PeerProcess peer(String name) throws IOException {
        return peer(name, List.of());
    }

    /** A peer JVM started with {@code options} (system properties) besides {@code -Dbench.peer.jvmArgs}. */
    PeerProcess peer(String name, List<String> options) throws IOException {
        String extra = System.getProperty("bench.peer.jvmArgs", "").trim();
        List<String> jvmArgs = new ArrayList<>(options);
        if (!extra.isEmpty()) {
            jvmArgs.addAll(List.of(extra.replace("{name}", name).split("\\s+")));
        }
        return new PeerProcess(name, jvmArgs);
    }

    /**
     * Runs the warm-up trials then the measured ones, raw first in even trials and framework first in
     * odd ones, so drifting load and JIT warm-up fall on both sides alike.
     */
    <T> Both<T> alternate(Callable<T> rawTrial, Callable<T> frameworkTrial) throws Exception {
        List<List<T>> figures = rotate(List.of(rawTrial, frameworkTrial));
        return new Both<>(figures.get(0), figures.get(1));
    }

    /**
     * Runs the warm-up trials then the measured ones of several sides, measured trial {@code j}
     * starting with side {@code j % n} and going round (warm-ups continue the cycle backwards), so
     * drifting load and JIT warm-up fall on every side alike; returns each side's measured figures,
     * in the order of {@code sides}.
     */
    <T> List<List<T>> rotate(List<Callable<T>> sides) throws Exception {
        int n = sides.size();
        List<List<T>> figures = new ArrayList<>();
        for (int side = 0; side < n; side++) {
            figures.add(new ArrayList<>());
        }
        for (int i = 0; i < config.warmups() + config.trials(); i++) {
            for (int k = 0; k < n; k++) {
                int side = Math.floorMod(i - config.warmups() + k, n);
                T figure = sides.get(side).call();
                if (i >= config.warmups()) {
                    figures.get(side).add(figure);
                }
            }
        }
        return figures;
    }

    /** How long a trial of {@code messages} may take before the harness gives up on it. */
    static Duration limitFor(long messages) {
        return Duration.ofSeconds(60 + messages / 2_000);
    }

    @Override
    public void close() {
        try {
            nameServer.shutdown();
        } finally {
            raw.close();
        }
    }
}
