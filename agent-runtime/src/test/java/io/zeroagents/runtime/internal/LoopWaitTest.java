package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentAddress;
import io.zeroagents.AgentOptions;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.testing.AgentAwait;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How an agent's loop sleeps ({@link LoopWait}): in its only receiving socket's own receive, woken
 * by queued calls, without a descriptor of its own; on a selector once it watches two sockets.
 */
@Timeout(60)
class LoopWaitTest {
    private static final Path FDS = Path.of("/proc/self/fd");
    private static final int AGENTS = 20;

    @Test
    void bind_pullWithHandler_costsNoDescriptorBeyondThoseOfAPushSocket() {
        try (TestRuntime runtime = new TestRuntime()) {
            runtime.agent("Warm").bind(Pattern.PUSH, "out");
            long pushFds = fdsPerAgent(runtime, "Pusher", false);
            long pullFds = fdsPerAgent(runtime, "Puller", true);

            // Both bind one tcp socket; the PULL agent sleeps in its socket's receive, so no selector.
            assertEquals(pushFds, pullFds, "descriptors per agent: PUSH " + pushFds + ", PULL with handler " + pullFds);
        }
    }

    @Test
    void call_agentSleepingInItsSocketsReceive_isAnsweredAndMessagesStillArrive() {
        try (TestRuntime runtime = new TestRuntime()) {
            List<String> got = new CopyOnWriteArrayList<>();
            Proxy sink = runtime.agent("Sink");
            AgentAddress in = sink.bind(Pattern.PULL, "in", String.class, (agent, message) -> got.add(message));
            Proxy source = runtime.agent("Source");
            source.connect(in, "out");

            for (int i = 0; i < 50; i++) {
                // Each call must wake the loop out of its blocking receive, or it times out.
                assertEquals("pong", sink.ping());
                source.send("out", "m" + i);
            }

            assertTrue(AgentAwait.until(() -> got.size() == 50, Duration.ofSeconds(10)), got.toString());
            assertEquals("m0", got.get(0));
            assertEquals("m49", got.get(49));
        }
    }

    @Test
    void bind_secondReceivingSocket_bothDeliverAndCallsAreAnswered() {
        try (TestRuntime runtime = new TestRuntime()) {
            List<String> got = new CopyOnWriteArrayList<>();
            Proxy sink = runtime.agent("TwoSockets");
            AgentAddress first = sink.bind(Pattern.PULL, "first", String.class, (agent, m) -> got.add("first:" + m));
            Proxy source = runtime.agent("Feeder");
            source.connect(first, "a");
            source.send("a", "1");
            assertTrue(AgentAwait.until(() -> got.size() == 1, Duration.ofSeconds(10)), got.toString());

            // The second socket moves the loop onto a selector; the first keeps delivering.
            AgentAddress second = sink.bind(Pattern.PULL, "second", String.class, (agent, m) -> got.add("second:" + m));
            source.connect(second, "b");
            source.send("b", "2");
            source.send("a", "3");
            assertTrue(AgentAwait.until(() -> got.size() == 3, Duration.ofSeconds(10)), got.toString());
            assertEquals("pong", sink.ping());

            // Closing one leaves the other working.
            sink.close("second");
            source.send("a", "4");
            assertTrue(AgentAwait.until(() -> got.size() == 4, Duration.ofSeconds(10)), got.toString());
            assertTrue(got.containsAll(List.of("first:1", "second:2", "first:3", "first:4")), got.toString());
        }
    }

    @Test
    void spinWait_spinningAgent_deliversAnswersTicksPausesAndStops() {
        try (TestRuntime runtime = new TestRuntime()) {
            List<String> got = new CopyOnWriteArrayList<>();
            // A long spin, so most of what follows reaches the loop while it polls, not while it sleeps.
            Proxy sink = runtime.agent("Spinner", AgentOptions.builder().spinWait(Duration.ofMillis(50)).build());
            AgentAddress first = sink.bind(Pattern.PULL, "first", String.class, (agent, m) -> got.add("first:" + m));
            Proxy source = runtime.agent("SpinFeeder");
            source.connect(first, "a");
            for (int i = 0; i < 20; i++) {
                assertEquals("pong", sink.ping());
                source.send("a", "m" + i);
            }
            assertTrue(AgentAwait.until(() -> got.size() == 20, Duration.ofSeconds(10)), got.toString());
            assertEquals("first:m19", got.get(19));

            // A timer due sooner than the spin still ticks on time, more than once.
            List<Long> ticks = new CopyOnWriteArrayList<>();
            sink.each(Duration.ofMillis(5), agent -> ticks.add(System.nanoTime()));
            assertTrue(AgentAwait.until(() -> ticks.size() >= 20, Duration.ofSeconds(10)), ticks.toString());
            sink.stopAllTimers();

            // A paused agent's spin leaves its sockets alone.
            sink.stop();
            source.send("a", "paused");
            assertEquals("pong", sink.ping());
            assertEquals(20, got.size(), got.toString());
            sink.resume();
            assertTrue(AgentAwait.until(() -> got.contains("first:paused"), Duration.ofSeconds(10)), got.toString());

            // Two sockets: the spin polls both.
            AgentAddress second = sink.bind(Pattern.PULL, "second", String.class, (agent, m) -> got.add("second:" + m));
            source.connect(second, "b");
            source.send("b", "x");
            source.send("a", "y");
            assertTrue(AgentAwait.until(() -> got.containsAll(List.of("second:x", "first:y")), Duration.ofSeconds(10)),
                    got.toString());

            long from = System.nanoTime();
            sink.shutdown();
            assertTrue(AgentAwait.until(() -> !sink.isRunning(), Duration.ofSeconds(5)));
            assertTrue(System.nanoTime() - from < Duration.ofSeconds(5).toNanos());
        }
    }

    /** Descriptors per agent, over {@value #AGENTS} agents that each bind one tcp socket. */
    private static long fdsPerAgent(TestRuntime runtime, String prefix, boolean pullWithHandler) {
        long before = openFds();
        for (int i = 0; i < AGENTS; i++) {
            Proxy agent = runtime.agent(prefix + i);
            if (pullWithHandler) {
                agent.bind(Pattern.PULL, "in", byte[].class, (self, message) -> { });
            } else {
                agent.bind(Pattern.PUSH, "out");
            }
        }
        long after = openFds();
        return Math.round((after - before) / (double) AGENTS);
    }

    private static long openFds() {
        try (Stream<Path> fds = Files.list(FDS)) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
