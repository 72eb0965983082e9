package io.zeroagents.benchmarks;

import io.zeroagents.Agents;
import io.zeroagents.NameServer;
import io.zeroagents.Proxy;
import io.zeroagents.nameserver.NameServerClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The soak test ({@code benchmarks/run.sh soak key=value ...}, options in {@link SoakConfig}): a name
 * server and {@code hosts} host JVMs of {@code agents} agents each, under steady traffic, through three
 * phases: a baseline, an attack during which raw-ZMTP floods ({@link Attacker}) press on the first
 * host and the name server, and a recovery.
 *
 * <p>Traffic: each agent pushes numbered messages to its namesake on the next host, over tcp, and the
 * harness makes proxy calls to every agent in turn. A message is <em>accepted</em> when {@code send}
 * returned normally, <em>delivered</em> when the receiver's handler got it ({@link SequenceLedger});
 * after the traffic stops and a drain, accepted minus delivered is <em>lost</em>, per phase. Every few
 * seconds each JVM's heap, descriptors, threads and log size are sampled.
 *
 * <p>The run fails (exit code 1) when an accepted message was lost, a JVM stopped answering, or a
 * proxy call failed; 2 on bad arguments.
 */
final class Soak {
    static final List<String> PHASES = List.of("baseline", "attack", "recovery");

    /**
     * One phase's figures.
     *
     * @param uncounted accepted messages whose sender's or receiver's JVM stopped answering, so that
     *                  their delivery is unknown; not in {@code accepted}
     */
    record PhaseResult(String name, Duration length, long accepted, long delivered, long lost, long uncounted,
                       ProxyCaller.Phase calls) {
    }

    private final SoakConfig config;
    private final ZonedDateTime started = ZonedDateTime.now();
    private final String stamp = started.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    private final long startNanos = System.nanoTime();
    /** The name server's JVM first, then the hosts'. */
    private final List<SoakProcess> processes = new ArrayList<>();
    private final List<SoakProcess.Sample> samples = Collections.synchronizedList(new ArrayList<>());
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final List<String> failures = new ArrayList<>();
    private volatile String phase = "setup";
    /** Messages delivered more than once, over all receivers, as last counted. */
    private long duplicates;

    private Soak(SoakConfig config) {
        this.config = config;
    }

    /**
     * Runs a soak test.
     *
     * @param args {@code key=value} options
     * @return the exit code: 0 passed, 1 failed, 2 bad arguments
     * @throws Exception when the test cannot be set up or the report written
     */
    static int run(String... args) throws Exception {
        SoakConfig config;
        try {
            config = SoakConfig.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        return new Soak(config).run() ? 0 : 1;
    }

    /** The agent agent {@code sender} pushes to: its namesake on the next host, the last host's on the first. */
    static String receiverOf(String sender, int hosts) {
        int a = sender.indexOf('A', "SoakH".length());
        int host = Integer.parseInt(sender.substring("SoakH".length(), a));
        return SoakHost.agentName(host % hosts + 1, Integer.parseInt(sender.substring(a + 1)));
    }

    private boolean run() throws Exception {
        Path folder = config.out();
        Files.createDirectories(folder);
        System.out.println("ZeroAgents soak test: " + config.describe());
        System.out.println("Each JVM every " + config.sample().toSeconds() + " s: heap in use/after the last collection,"
                + " descriptors, threads, log size");
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "soak-sampler");
            t.setDaemon(true);
            return t;
        });
        List<PhaseResult> results = new ArrayList<>();
        List<Attack> attacks = List.of();
        try {
            SoakProcess ns = start(folder, "nameserver");
            String address = ns.call("nameserver");
            List<String> agents = new ArrayList<>();
            for (int h = 1; h <= config.hosts(); h++) {
                SoakProcess host = start(folder, "host" + h);
                agents.addAll(List.of(host.call("agents " + address + " " + h + " " + config.agents() + " "
                        + config.payload(), Duration.ofSeconds(120)).split(",")));
            }
            hosts().forEach(h -> h.call("connect " + address + " " + config.hosts(), Duration.ofSeconds(120)));
            NameServer names = Agents.nameServer(address);
            List<Proxy> proxies = new ArrayList<>();
            for (String agent : agents) {
                Proxy proxy = names.proxy(agent, Duration.ofSeconds(5));
                proxy.ping();
                proxies.add(proxy);
            }
            sampler.scheduleWithFixedDelay(this::sampleAll, 0, config.sample().toMillis(), TimeUnit.MILLISECONDS);

            List<Map<String, Long>> marks = new ArrayList<>();
            marks.add(mark("mark"));
            ProxyCaller caller = new ProxyCaller(proxies, config.calls(), PHASES.size());
            try (caller) {
                caller.start();
                phase = "baseline";
                hosts().forEach(h -> h.call("start " + config.rate()));
                event("baseline: traffic started");
                sleep(config.baseline());

                phase = "attack";
                caller.phase(1);
                marks.add(mark("mark"));
                try (Attacker attacker = attack(names, address, SoakHost.agentName(1, 1))) {
                    event("attack: " + attacker.attacks().size() + " floods started");
                    sleep(config.attack());
                    attacks = attacker.attacks();
                }
                event("attack: floods stopped");

                phase = "recovery";
                caller.phase(2);
                marks.add(mark("mark"));
                sleep(config.recovery());
                marks.add(mark("stop"));
                event("recovery: traffic stopped; " + refusedSends() + " sends threw (not accepted, sent again)");
            }
            phase = "drain";
            List<ProxyCaller.Phase> calls = PHASES.stream().map(p -> caller.results(PHASES.indexOf(p))).toList();
            results = drain(agents, marks, calls);
            sampleAll();
        } catch (RuntimeException e) {
            failures.add("The soak test stopped in its " + phase + " phase: " + e);
            e.printStackTrace();
        } finally {
            sampler.shutdownNow();
            processes.forEach(p -> {
                if (p.stoppedAnswering() != null) {
                    failures.add(p.name() + " stopped answering: " + p.stoppedAnswering());
                }
            });
            processes.forEach(SoakProcess::close);
        }
        for (PhaseResult r : results) {
            if (r.lost() > 0) {
                failures.add(r.name() + ": " + r.lost() + " accepted messages lost");
            }
            if (r.calls().failed > 0) {
                failures.add(r.name() + ": " + r.calls().failed + " proxy calls failed, the first: " + r.calls().firstError);
            }
        }
        new SoakReport(config, started, results, attacks, List.copyOf(samples), List.copyOf(events), failures)
                .write(folder, stamp);
        return failures.isEmpty();
    }

    private SoakProcess start(Path folder, String name) throws IOException {
        SoakProcess process = new SoakProcess(name, folder.resolve("soak-" + stamp + "-" + name + ".log"), config.heap());
        processes.add(process);
        return process;
    }

    private List<SoakProcess> hosts() {
        return processes.subList(1, processes.size());
    }

    /** Starts the configured floods against agent {@code victim}, its host's control endpoint and the name server. */
    private Attacker attack(NameServer names, String address, String victim) {
        String pull = names.addr(victim, "in").endpoint();
        String pub = names.addr(victim, "news").endpoint();
        String control;
        try (NameServerClient client = new NameServerClient(address, Duration.ofSeconds(5))) {
            control = client.lookup(victim).getControlEndpoint();
        }
        Attacker attacker = new Attacker(config.floodKibPerSecond() * 1024L);
        String agentPull = "PULL of " + victim;
        String hostControl = "control endpoint of host1";
        if (config.attacks("unending")) {
            attacker.unending(agentPull, pull, "PUSH");
            attacker.unending(hostControl, control, "DEALER");
            attacker.unending("name server", address, "DEALER");
        }
        if (config.attacks("subscription")) {
            attacker.subscriptions("PUB of " + victim, pub);
        }
        if (config.attacks("connections")) {
            attacker.connections("name server, " + hostControl, List.of(address, control),
                    Math.max(1, config.connections() / 2));
        }
        if (config.attacks("invalid")) {
            attacker.invalid(agentPull, pull, "PUSH");
            attacker.invalid(hostControl, control, "DEALER");
            attacker.invalid("name server", address, "DEALER");
        }
        return attacker;
    }

    /** Every host's agents' counts of accepted messages ({@code mark}, or {@code stop} to end the traffic). */
    private Map<String, Long> mark(String command) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (SoakProcess host : hosts()) {
            try {
                for (String pair : host.call(command).split(",")) {
                    int eq = pair.indexOf('=');
                    counts.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
                }
            } catch (RuntimeException e) {
                event(host.name() + " gave no counts: " + e.getMessage());
            }
        }
        return counts;
    }

    /** Sends that threw on every host that answers, in all. */
    private long refusedSends() {
        long refused = 0;
        for (SoakProcess host : hosts()) {
            try {
                refused += Long.parseLong(host.call("refused"));
            } catch (RuntimeException e) {
                // Counted in its stopped answering.
            }
        }
        return refused;
    }

    /**
     * Waits up to the drain time for every accepted message to arrive, then counts each phase's
     * accepted, delivered and lost messages.
     */
    private List<PhaseResult> drain(List<String> agents, List<Map<String, Long>> marks,
                                    List<ProxyCaller.Phase> calls) {
        long deadline = System.nanoTime() + config.drain().toNanos();
        List<PhaseResult> results;
        do {
            results = count(agents, marks, calls);
            if (results.stream().allMatch(r -> r.lost() == 0) || System.nanoTime() > deadline) {
                break;
            }
            sleep(Duration.ofMillis(500));
        } while (true);
        event("drained: " + results.stream().mapToLong(PhaseResult::lost).sum() + " accepted messages missing, "
                + duplicates + " delivered twice or more");
        return results;
    }

    private List<PhaseResult> count(List<String> agents, List<Map<String, Long>> marks,
                                    List<ProxyCaller.Phase> calls) {
        long[] accepted = new long[PHASES.size()];
        long[] delivered = new long[PHASES.size()];
        long[] uncounted = new long[PHASES.size()];
        duplicates = 0;
        for (String sender : agents) {
            long[] bounds = new long[marks.size()];
            for (int i = 0; i < marks.size(); i++) {
                // A host that gave no counts at a mark: the last it gave, so nothing is counted twice.
                bounds[i] = marks.get(i).getOrDefault(sender, i == 0 ? 0 : bounds[i - 1]);
            }
            String receiver = receiverOf(sender, config.hosts());
            long @Nullable [] figures = delivered(receiver, bounds);
            boolean known = figures != null && hostOf(sender).stoppedAnswering() == null;
            for (int p = 0; p < PHASES.size(); p++) {
                long sent = bounds[p + 1] - bounds[p];
                if (known) {
                    accepted[p] += sent;
                    delivered[p] += figures[p];
                } else {
                    uncounted[p] += sent;
                }
            }
            if (figures != null) {
                duplicates += figures[figures.length - 2];
            }
        }
        List<Duration> lengths = List.of(config.baseline(), config.attack(), config.recovery());
        List<PhaseResult> results = new ArrayList<>();
        for (int p = 0; p < PHASES.size(); p++) {
            results.add(new PhaseResult(PHASES.get(p), lengths.get(p), accepted[p], delivered[p],
                    accepted[p] - delivered[p], uncounted[p], calls.get(p)));
        }
        return results;
    }

    private long @Nullable [] delivered(String receiver, long[] bounds) {
        StringBuilder command = new StringBuilder("delivered ").append(receiver);
        for (long bound : bounds) {
            command.append(' ').append(bound);
        }
        try {
            String[] words = hostOf(receiver).call(command.toString()).trim().split("\\s+");
            long[] figures = new long[words.length];
            for (int i = 0; i < words.length; i++) {
                figures[i] = Long.parseLong(words[i]);
            }
            return figures;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private SoakProcess hostOf(String agent) {
        int a = agent.indexOf('A', "SoakH".length());
        return processes.get(Integer.parseInt(agent.substring("SoakH".length(), a)));
    }

    private void sampleAll() {
        long at = (System.nanoTime() - startNanos) / 1_000_000;
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%6.0f s %-8s", at / 1e3, phase));
        for (SoakProcess process : processes) {
            SoakProcess.Sample s = process.sample(at);
            samples.add(s);
            line.append(" | ").append(s.process()).append(' ').append(s.answered()
                    ? String.format(Locale.ROOT, "%,d/%,d MiB %d fd %d thr %,d KiB log", s.heapBytes() >> 20,
                    s.heapAfterGcBytes() >> 20, s.descriptors(), s.threads(), s.logBytes() >> 10)
                    : "NOT ANSWERING");
        }
        System.out.println(line);
    }

    private void event(String what) {
        String line = String.format(Locale.ROOT, "%.1f s: %s", (System.nanoTime() - startNanos) / 1e9, what);
        events.add(line);
        System.out.println("-- " + line);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
