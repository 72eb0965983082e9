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
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
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
    /** The peer JVMs started for the scenario under way, whose compilers the warm-up waits for too. */
    private final List<PeerProcess> peers = new ArrayList<>();

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
        PeerProcess peer = new PeerProcess(name, jvmArgs);
        peers.removeIf(p -> !p.alive());
        peers.add(peer);
        return peer;
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
     * starting with side {@code j % n} and going round (warm-up rounds continue the cycle
     * backwards), so drifting load and JIT warm-up fall on every side alike; returns each side's
     * measured figures, in the order of {@code sides}. After the configured warm-up rounds (none when
     * {@code warmups=0}), warm-up rounds go on, up to {@code warmups-max} in all, until one passes in
     * which the JIT compilers of the JVMs spent under {@link Jit#SETTLED_MILLIS} per side: a trial of a
     * few hundred milliseconds that shared two cores with a C2 compilation measured the compiler.
     */
    <T> List<List<T>> rotate(List<Callable<T>> sides) throws Exception {
        return rotate(config, sides, this::compileMillis);
    }

    /** {@link #rotate(List)} with the JVMs' compilation time read from {@code compileMillis}. */
    static <T> List<List<T>> rotate(Config config, List<Callable<T>> sides, LongSupplier compileMillis)
            throws Exception {
        int n = sides.size();
        Progress progress = Progress.onTerminal();
        int warmups = 0;
        boolean settled = false;
        while (warmups < config.warmups() || (config.warmups() > 0 && !settled && warmups < config.warmupsMax())) {
            long before = compileMillis.getAsLong();
            for (int k = 0; k < n; k++) {
                sides.get(Math.floorMod(-1 - warmups + k, n)).call();
            }
            settled = compileMillis.getAsLong() - before < Jit.SETTLED_MILLIS * n;
            warmups++;
            // Until the compilers settle, one more warm-up round is the best guess.
            int warmupsKnown = Math.max(config.warmups(), warmups + (settled || warmups >= config.warmupsMax() ? 0 : 1));
            progress.trialEnded(true, warmupsKnown + config.trials());
        }
        if (warmups > config.warmups()) {
            System.out.println("   (" + warmups + " warm-up rounds, until the JIT compilers " + (settled ? "settled)"
                    : "were still busy: warmups-max)"));
        }
        List<List<T>> figures = new ArrayList<>();
        for (int side = 0; side < n; side++) {
            figures.add(new ArrayList<>());
        }
        for (int i = 0; i < config.trials(); i++) {
            for (int k = 0; k < n; k++) {
                int side = (i + k) % n;
                figures.get(side).add(sides.get(side).call());
            }
            progress.trialEnded(false, warmups + config.trials());
        }
        return figures;
    }

    /**
     * Latency samples of raw JeroMQ and the framework, taken in turns within each trial: each side
     * makes {@code turn} round trips, then the other (each side its whole trial at once with turn
     * 0), raw's turn first in even trials and the framework's in odd ones. Within a trial both sides
     * then meet the same moments of a machine whose round-trip time drifts, as whole-trial turns do
     * not: on a 2-core virtual machine a trial's p50 moved between 86 µs and 172 µs from one second
     * to the next. Each turn begins with one round trip that is not counted: it meets a peer that
     * idled through the other side's turn, and would otherwise put 20 slow samples a trial into the
     * tail.
     *
     * @param config        the trials, warm-ups and turn of this run
     * @param rawTurn       makes {@code k} timed round trips the raw way, returns their times
     * @param frameworkTurn the same, the framework's way
     * @param n             the round trips each side counts in a trial
     * @return per measured trial, each side's {@code n} samples
     */
    Both<long[]> inTurns(IntFunction<long[]> rawTurn, IntFunction<long[]> frameworkTurn, int n) {
        return inTurns(config, rawTurn, frameworkTurn, n, this::compileMillis);
    }

    /**
     * {@link #inTurns(IntFunction, IntFunction, int)} with the JVMs' compilation time read from
     * {@code compileMillis}: after the configured warm-ups (none when {@code warmups=0}), warm-up
     * trials go on, up to {@code warmups-max} in all, until one passes in which the JIT compilers spent less than
     * {@link Jit#SETTLED_MILLIS}, so the measured trials time compiled code.
     */
    static Both<long[]> inTurns(Config config, IntFunction<long[]> rawTurn, IntFunction<long[]> frameworkTurn, int n,
                                LongSupplier compileMillis) {
        int turn = config.turn() == 0 ? n : Math.min(config.turn(), n);
        int warmups = 0;
        boolean settled = false;
        Progress progress = Progress.onTerminal();
        while (warmups < config.warmups() || (config.warmups() > 0 && !settled && warmups < config.warmupsMax())) {
            long before = compileMillis.getAsLong();
            trialInTurns(rawTurn, frameworkTurn, n, turn, warmups % 2 == 1);
            settled = compileMillis.getAsLong() - before < Jit.SETTLED_MILLIS;
            warmups++;
            // Until the compilers settle, one more warm-up trial is the best guess.
            int warmupsKnown = Math.max(config.warmups(), warmups + (settled || warmups >= config.warmupsMax() ? 0 : 1));
            progress.trialEnded(true, warmupsKnown + config.trials());
        }
        if (warmups > config.warmups()) {
            System.out.println("   (" + warmups + " warm-up trials, until the JIT compilers " + (settled ? "settled)"
                    : "were still busy: warmups-max)"));
        }
        List<long[]> raws = new ArrayList<>();
        List<long[]> frameworks = new ArrayList<>();
        for (int i = 0; i < config.trials(); i++) {
            Both<long[]> trial = trialInTurns(rawTurn, frameworkTurn, n, turn, i % 2 == 0);
            raws.add(trial.raw().getFirst());
            frameworks.add(trial.framework().getFirst());
            progress.trialEnded(false, warmups + config.trials());
        }
        return new Both<>(raws, frameworks);
    }

    /** One trial of {@code n} samples a side, in turns of {@code turn}, raw's first if {@code rawFirst}. */
    private static Both<long[]> trialInTurns(IntFunction<long[]> rawTurn, IntFunction<long[]> frameworkTurn, int n,
                                             int turn, boolean rawFirst) {
        long[] raw = new long[n];
        long[] framework = new long[n];
        for (int done = 0; done < n; done += turn) {
            int k = Math.min(turn, n - done);
            if (rawFirst) {
                takeTurn(rawTurn, raw, done, k);
            }
            takeTurn(frameworkTurn, framework, done, k);
            if (!rawFirst) {
                takeTurn(rawTurn, raw, done, k);
            }
        }
        return new Both<>(List.of(raw), List.of(framework));
    }

    /** Milliseconds the JIT compilers of this JVM and of the live peers have spent so far. */
    long compileMillis() {
        long total = Jit.compileMillis();
        for (PeerProcess peer : peers) {
            if (peer.alive()) {
                total += Long.parseLong(peer.call("jit"));
            }
        }
        return total;
    }

    /** One turn of {@code k} counted round trips, after the one that is not, into {@code samples} from {@code at}. */
    private static void takeTurn(IntFunction<long[]> side, long[] samples, int at, int k) {
        System.arraycopy(side.apply(k + 1), 1, samples, at, k);
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
