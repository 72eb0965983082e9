package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentAddress;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.testsupport.Await;
import io.zeroagents.testsupport.ZeroMqContextLeakCheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Creating and shutting down 1,000 agents, half of them binding a PULL socket and half connecting
 * a PUSH to one and sending on it, leaves threads, file descriptors, heap and ZeroMQ sockets where
 * they started, measured through the JDK's MXBeans and {@code /proc/self/fd}, and no agent is
 * still reachable.
 */
@Timeout(120)
class AgentLeakTest {
    private static final int AGENTS = 1_000;
    private static final int BATCH = 50;
    private static final Path FDS = Path.of("/proc/self/fd");

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    @Test
    void createAndShutDown_thousandAgents_leavesThreadsFdsHeapAndSocketsAsTheyWere() {
        try (TestRuntime runtime = new TestRuntime()) {
            run(runtime, 0, 2 * BATCH, new ArrayList<>()); // warms up classes, the host and its name-server client
            settle(runtime);
            long threadsBefore = threads.getThreadCount();
            long fdsBefore = openFds();
            long heapBefore = usedHeapAfterGc();
            long start = System.nanoTime();

            List<WeakReference<AgentCore>> cores = new ArrayList<>();
            run(runtime, 1_000_000, AGENTS, cores);
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            settle(runtime);

            long threadsAfter = waitForAtMost(threads::getThreadCount, threadsBefore + 2);
            long fdsAfter = waitForAtMost(AgentLeakTest::openFds, fdsBefore + 8);
            long heapAfter = usedHeapAfterGc();
            // shutdown() returns once an agent has stopped; its thread may still be unwinding, and its
            // frames hold the agent until it ends.
            long agentThreads = waitForAtMost(() -> Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.isAlive() && t.getName().startsWith("agent-Leak-")).count(), 0);
            long reachable = waitForAtMost(() -> {
                System.gc();
                return cores.stream().filter(ref -> ref.get() != null).count();
            }, 0);
            System.out.printf("AgentLeakTest: %d agents in %d ms; threads %d -> %d, fds %d -> %d, heap %d KiB -> %d KiB,"
                    + " agents still reachable %d%n", AGENTS, elapsedMillis, threadsBefore, threadsAfter, fdsBefore,
                    fdsAfter, heapBefore / 1024, heapAfter / 1024, reachable);

            assertEquals(AGENTS, cores.size());
            assertTrue(threadsAfter <= threadsBefore + 2, "threads " + threadsBefore + " -> " + threadsAfter);
            assertTrue(fdsAfter <= fdsBefore + 8, "file descriptors " + fdsBefore + " -> " + fdsAfter);
            assertTrue(heapAfter <= heapBefore + 16 * 1024 * 1024, "heap " + heapBefore + " -> " + heapAfter);
            assertEquals(0, agentThreads, "agent threads still alive after shutting down");
            assertEquals(0, reachable, "agents still reachable after shutting down");
            assertEquals(List.of(), runtime.host.agents());
        }
    }

    @Test
    void nameServer_nothingAnswersAtTheAddress_failsAndLeavesNoContextOpen() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        // Counted before the runtime starts: its context's threads start with it.
        int before = ZeroMqContextLeakCheck.zeroMqThreads().size();
        JeroMqRuntime runtime = new JeroMqRuntime(Settings.from(java.util.Map.of("zeroagents.default.timeout", "300")::get,
                java.util.Map.of()));
        try {
            for (int i = 0; i < 3; i++) {
                org.junit.jupiter.api.Assertions.assertThrows(io.zeroagents.NameServerException.class,
                        () -> runtime.nameServer("tcp://127.0.0.1:" + port));
            }
            // At most the runtime's own context runs meanwhile: the attaches share it.
            assertTrue(ZeroMqContextLeakCheck.zeroMqThreads().size() <= before + 2, ZeroMqContextLeakCheck.zeroMqThreads()
                    .toString());
        } finally {
            runtime.close();
        }

        long after = waitForAtMost(() -> ZeroMqContextLeakCheck.zeroMqThreads().size(), before);
        assertEquals(before, after, "JeroMQ threads after failed attaches: " + ZeroMqContextLeakCheck.zeroMqThreads());
    }

    @Test
    void runAgent_nameServerNotThere_failsAndLeavesNoAgentHostBehind() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        JeroMqRuntime runtime = new JeroMqRuntime(Settings.from(java.util.Map.of("zeroagents.default.timeout", "300")::get,
                java.util.Map.of()));
        try {
            for (int i = 0; i < 3; i++) {
                String name = "Lost" + i;
                org.junit.jupiter.api.Assertions.assertThrows(io.zeroagents.NameServerException.class,
                        () -> runtime.runAgent(name, io.zeroagents.AgentOptions.builder()
                                .nameServer("tcp://127.0.0.1:" + port).build()));
            }

            long hostThreads = waitForAtMost(() -> hostThreads().size(), 0);
            assertEquals(0, hostThreads, "threads of agent hosts left behind: " + hostThreads());
        } finally {
            runtime.close();
        }
    }

    private static List<String> hostThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("zeroagents-heartbeat-") || name.startsWith("zeroagents-control-"))
                .toList();
    }

    /** Runs {@code count} agents in batches: even ones bind a PULL, odd ones connect a PUSH to it and send. */
    private static void run(TestRuntime runtime, int first, int count, List<WeakReference<AgentCore>> cores) {
        for (int batch = 0; batch < count; batch += BATCH) {
            List<Proxy> agents = new ArrayList<>();
            AgentAddress pull = null;
            for (int i = batch; i < batch + BATCH; i++) {
                String name = "Leak-" + (first + i);
                Proxy agent = runtime.agent(name);
                agents.add(agent);
                cores.add(new WeakReference<>(runtime.core(name)));
                if (i % 2 == 0) {
                    pull = agent.bind(Pattern.PULL, "in", String.class, (self, message) -> { });
                } else {
                    agent.connect(pull, "out");
                    agent.send("out", "hello");
                }
            }
            for (Proxy agent : agents) {
                agent.shutdown();
            }
        }
    }

    /** Waits until no agent socket is open in the context (sockets close on their agents' threads). */
    private static void settle(TestRuntime runtime) {
        // When no agent runs, the context holds the host's two: its control endpoint and its name-server client.
        waitForAtMost(() -> runtime.context.getSockets().size(), 2);
        assertEquals(2, runtime.context.getSockets().size(), "sockets left open: " + runtime.context.getSockets());
    }

    /** Waits 15 s at most for {@code value} to come down to {@code limit}; returns the last value read. */
    private static long waitForAtMost(LongSupplier value, long limit) {
        return Await.settle(Duration.ofSeconds(15), value, limit);
    }

    private long usedHeapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static long openFds() {
        try (Stream<Path> fds = Files.list(FDS)) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
