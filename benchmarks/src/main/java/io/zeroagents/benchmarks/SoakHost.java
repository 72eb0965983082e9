package io.zeroagents.benchmarks;

import io.zeroagents.AgentAddress;
import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.NameServer;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A JVM of the soak test ({@link Soak}): either its name server, or a host of agents that send each
 * other numbered messages. It speaks {@link Peer}'s line protocol on stdin and stdout ({@code @OK} or
 * {@code @ERR} per command) and exits when stdin closes, so it never outlives the harness.
 *
 * <pre>
 * nameserver                  runs the name server; answers its address
 * agents NS HOST M SIZE       starts M agents registered with NS, named {@link #agentName}(HOST, i):
 *                             an EchoAgent with a PULL socket 'in' counting what arrives, a PUB socket 'news'
 *                             and payloads of SIZE bytes
 * connect NS HOSTS            connects each agent's PUSH 'out' to the 'in' of its namesake on the next host
 * start RATE                  each agent sends RATE numbered messages a second on 'out' (and one on 'news' a tick)
 * stop                        stops sending; answers as mark does
 * mark                        each agent's count of accepted messages: NAME=COUNT,...
 * refused                     sends that threw, in all
 * delivered AGENT B0 B1 ...   of the messages that reached AGENT's 'in', how many of those numbered
 *                             [B0, B1), [B1, B2), ... arrived; then duplicates and foreign messages
 * stats                       heap used and used after the last collection (bytes), open descriptors,
 *                             live threads
 * quit
 * </pre>
 */
public final class SoakHost {
    /** The period of the sending timers: a hundred ticks a second. */
    private static final Duration TICK = Duration.ofMillis(10);

    private final PrintStream out;
    private final Map<String, Proxy> agents = new LinkedHashMap<>();
    private final Map<String, AtomicLong> accepted = new LinkedHashMap<>();
    private final Map<String, SequenceLedger> ledgers = new LinkedHashMap<>();
    private final AtomicLong refused = new AtomicLong();
    /** Whether the agents' timers send; read on their loops. */
    private volatile boolean sending;
    private int payloadBytes = 64;
    /** The name server this JVM runs, if it is the soak test's name-server JVM. */
    private @Nullable NameServer nameServer;

    private SoakHost(PrintStream out) {
        this.out = out;
    }

    /**
     * Runs the command loop.
     *
     * @param args none
     * @throws IOException when stdin cannot be read
     */
    public static void main(String[] args) throws IOException {
        // stdout carries the protocol only: whatever else prints goes to stderr.
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        SoakHost host = new SoakHost(protocol);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null && !line.equals("quit")) {
                if (!line.isBlank()) {
                    host.handle(line.trim().split("\\s+"));
                }
            }
        }
        protocol.flush();
        // The runtime's threads would keep the JVM up; the agents' leases end their registrations.
        System.exit(0);
    }

    /** The name of agent {@code index} of host {@code host}, both counted from 1. */
    static String agentName(int host, int index) {
        return "SoakH" + host + "A" + index;
    }

    private void handle(String[] words) {
        try {
            String result = switch (words[0]) {
                case "nameserver" -> nameServer();
                case "agents" -> agents(words[1], Integer.parseInt(words[2]), Integer.parseInt(words[3]),
                        Integer.parseInt(words[4]));
                case "connect" -> connect(words[1], Integer.parseInt(words[2]));
                case "start" -> start(Integer.parseInt(words[1]));
                case "stop" -> stop();
                case "mark" -> mark();
                case "refused" -> String.valueOf(refused.get());
                case "delivered" -> delivered(words);
                case "stats" -> stats();
                default -> throw new IllegalArgumentException("unknown command '" + words[0] + "'");
            };
            out.println(result.isEmpty() ? "@OK" : "@OK " + result);
        } catch (Throwable t) {
            out.println("@ERR " + String.valueOf(t).replace('\n', ' '));
        }
    }

    private String nameServer() {
        NameServer running = Agents.runNameServer();
        nameServer = running;
        return running.address();
    }

    private String agents(String ns, int host, int count, int payload) {
        payloadBytes = payload;
        for (int i = 1; i <= count; i++) {
            String name = agentName(host, i);
            Proxy agent = Agents.runAgent(name, AgentOptions.builder(EchoAgent.class).nameServer(ns).build());
            SequenceLedger ledger = new SequenceLedger();
            agent.bind(Pattern.PULL, "in", byte[].class,
                    (self, message) -> ledger.record(SequenceLedger.sequenceOf(message)));
            agent.bind(Pattern.PUB, "news");
            agents.put(name, agent);
            accepted.put(name, new AtomicLong());
            ledgers.put(name, ledger);
        }
        return String.join(",", agents.keySet());
    }

    private String connect(String ns, int hosts) {
        NameServer names = Agents.nameServer(ns);
        for (String name : agents.keySet()) {
            AgentAddress in = names.addr(Soak.receiverOf(name, hosts), "in");
            agents.get(name).connect(in, "out");
        }
        return "";
    }

    private String start(int perSecond) {
        sending = true;
        // A hundred ticks a second, each sending its share; the remainder goes to the first ticks of a second.
        for (Map.Entry<String, Proxy> entry : agents.entrySet()) {
            AtomicLong count = accepted.get(entry.getKey());
            long[] tick = {0};
            entry.getValue().each(TICK, self -> {
                long due = (tick[0] + 1) * perSecond / 100 - tick[0] * perSecond / 100;
                tick[0]++;
                for (long k = 0; k < due && sending; k++) {
                    try {
                        self.send("out", SequenceLedger.payload(count.get(), payloadBytes));
                    } catch (RuntimeException e) {
                        // Not accepted: the same number goes again at the next tick.
                        refused.incrementAndGet();
                        break;
                    }
                    count.incrementAndGet();
                }
                if (sending) {
                    self.send("news", "tick", count.get());
                }
            });
        }
        return "";
    }

    /**
     * Stops the traffic without waiting for the agents' loops, which may be inside a {@code send} to a
     * JVM that went away: a send under way when this answers is counted after the counts it returns,
     * so it belongs to no phase.
     */
    private String stop() {
        sending = false;
        return mark();
    }

    private String mark() {
        return accepted.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().get())
                .collect(Collectors.joining(","));
    }

    private String delivered(String[] words) {
        SequenceLedger ledger = ledgers.get(words[1]);
        if (ledger == null) {
            throw new IllegalArgumentException("No agent '" + words[1] + "' here; agents: " + ledgers.keySet());
        }
        List<String> figures = new ArrayList<>();
        for (int i = 2; i + 1 < words.length; i++) {
            figures.add(String.valueOf(ledger.delivered(Long.parseLong(words[i]), Long.parseLong(words[i + 1]))));
        }
        figures.add(String.valueOf(ledger.duplicates()));
        figures.add(String.valueOf(ledger.foreign()));
        return String.join(" ", figures);
    }

    /**
     * Heap in use now, heap in use after the last collection (the sum over the heap's pools: what a
     * leak grows), open descriptors ({@code -1} without {@code /proc}) and live threads.
     */
    private static String stats() {
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long afterGc = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage collected = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
            if (collected != null) {
                afterGc += collected.getUsed();
            }
        }
        long fds;
        try (Stream<Path> open = Files.list(Path.of("/proc/self/fd"))) {
            fds = open.count();
        } catch (IOException | UncheckedIOException e) {
            fds = -1;
        }
        return heap + " " + afterGc + " " + fds + " " + ManagementFactory.getThreadMXBean().getThreadCount();
    }
}
