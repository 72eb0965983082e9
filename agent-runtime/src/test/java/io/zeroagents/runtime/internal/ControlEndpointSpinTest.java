package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.runtime.internal.control.ControlRequest;
import io.zeroagents.runtime.internal.control.ControlResponse;
import io.zeroagents.runtime.internal.control.GetAttr;
import io.zeroagents.testing.AgentAwait;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The control endpoint's spin ({@code zeroagents.control.spin.micros}): its serving thread keeps
 * polling for that long after a request or an answer, and sleeps otherwise; an agent's loop polls
 * as long after calls from the endpoint that come one after another. Whether it sleeps is
 * read from its count of sleeps (a sleeping thread wakes every 100 ms and sleeps again) and from
 * its CPU time, which a sleeping thread barely uses. How much CPU a polling thread gets is not
 * asserted: it yields, and on a busy machine others get the processor first.
 */
@Timeout(60)
class ControlEndpointSpinTest {
    private static final Duration CALL_LIMIT = Duration.ofSeconds(10);
    private static final Duration SLEEP_LIMIT = Duration.ofSeconds(10);
    /** Far more CPU than a sleeping thread uses in the measured span, far less than a spinning one. */
    private static final long IDLE_CPU_NANOS = 30_000_000;
    /** Calls in a row of the zero-spin test. */
    private static final int CALLS = 40;
    private static final int WARM_UP_CALLS = 500;

    private final TestRuntime runtime = new TestRuntime();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    @AfterEach
    void close() {
        runtime.close();
    }

    @Test
    void serve_afterACall_pollsForItsWindowThenSleeps() throws Exception {
        runtime.agent("Target").setAttr("x", 7);
        Duration spin = Duration.ofSeconds(2);
        try (ControlEndpoint endpoint = runtime.controlEndpoint(spin);
                ControlClient client = runtime.controlClient(endpoint.endpoint())) {
            Thread serving = servingThread(endpoint);
            long idle = endpoint.sleeps();
            assertTrue(AgentAwait.until(() -> endpoint.sleeps() > idle + 1, SLEEP_LIMIT),
                    "the endpoint did not sleep before any proxy called it");
            assertTrue(cpuNanosOver(serving, Duration.ofMillis(300)) < IDLE_CPU_NANOS,
                    "the endpoint spun before any proxy called it");

            repeat(20, readsAttribute(client));
            // Well inside the window, which began when the last answer left.
            assertPollsThroughThenSleeps("the endpoint", endpoint::sleeps, serving, Duration.ofMillis(500), client);
        }
    }

    @Test
    void serve_zeroSpin_sleepsRightAfterACall() throws Exception {
        runtime.agent("Target").setAttr("x", 7);
        try (ControlEndpoint endpoint = runtime.controlEndpoint(Duration.ZERO);
                ControlClient client = runtime.controlClient(endpoint.endpoint())) {
            Thread serving = servingThread(endpoint);
            repeat(20, readsAttribute(client));
            long afterCalls = endpoint.sleeps();
            assertTrue(AgentAwait.until(() -> endpoint.sleeps() > afterCalls, SLEEP_LIMIT),
                    "a zero spin did not sleep after the calls");
            long after = cpuNanosOver(serving, Duration.ofMillis(300));
            assertTrue(after < IDLE_CPU_NANOS, "a zero spin still spun: " + after + " ns in 300 ms");
        }
    }

    @Test
    void ranRemoteCall_callsInARow_eachCallRenewsTheWindow() throws Exception {
        AgentCore core = target();
        long window = Duration.ofMillis(100).toNanos();
        // Calls posted straight to the loop, as the endpoint posts them, but microseconds apart
        // on any machine: over the network a busy machine can space them more than 1 ms apart.
        repeat(WARM_UP_CALLS, () -> ranRemoteCall(core, window));
        long before = core.loopSleeps();
        // Calls for ten windows: a window that only the first call opened would end nine times.
        int calls = callFor(Duration.ofNanos(10 * window), () -> ranRemoteCall(core, window));
        long slept = core.loopSleeps() - before;
        // Only a pause longer than the window (a long GC pause, say) lets the loop sleep.
        assertTrue(slept <= 3, "the loop slept " + slept + " times in " + calls + " calls in a row");
    }

    @Test
    void ranRemoteCall_callsInARow_loopPollsUntilTheWindowAfterTheLastThenSleeps() throws Exception {
        AgentCore core = target();
        try (ControlEndpoint endpoint = runtime.controlEndpoint(Duration.ofSeconds(1));
                ControlClient client = runtime.controlClient(endpoint.endpoint())) {
            Thread loop = thread("agent-Target");
            // Calls in a fresh JVM take milliseconds each until the JIT has compiled their path.
            repeat(WARM_UP_CALLS, readsAttribute(client));
            long before = core.loopSleeps();
            int calls = callFor(Duration.ofMillis(300), readsAttribute(client));
            long slept = core.loopSleeps() - before;
            assertTrue(slept < calls / 2, "the loop slept " + slept + " times in " + calls + " calls in a row");
            // Well inside the window, which began when the last call ended.
            assertPollsThroughThenSleeps("the loop", core::loopSleeps, loop, Duration.ofMillis(300), client);
        }
    }

    @Test
    void ranRemoteCall_callsFarApart_loopSleepsAfterEach() throws Exception {
        AgentCore core = target();
        try (ControlEndpoint endpoint = runtime.controlEndpoint(Duration.ofSeconds(2));
                ControlClient client = runtime.controlClient(endpoint.endpoint())) {
            Thread loop = thread("agent-Target");
            long before = core.loopSleeps();
            for (int i = 0; i < 5; i++) {
                assertEquals("7", attribute(client));
                // Calls 20 ms apart are not calls one after another.
                Thread.sleep(20);
            }
            assertTrue(AgentAwait.until(() -> core.loopSleeps() - before >= 5, SLEEP_LIMIT),
                    "the loop slept " + (core.loopSleeps() - before) + " times after 5 calls far apart");
            long after = cpuNanosOver(loop, Duration.ofMillis(300));
            assertTrue(after < IDLE_CPU_NANOS, "the loop polled after calls far apart: " + after + " ns in 300 ms");
        }
    }

    @Test
    void ranRemoteCall_zeroSpin_loopSleepsAfterEachCall() throws Exception {
        AgentCore core = target();
        try (ControlEndpoint endpoint = runtime.controlEndpoint(Duration.ZERO);
                ControlClient client = runtime.controlClient(endpoint.endpoint())) {
            // Calls in a fresh JVM take milliseconds each until the JIT has compiled their path.
            repeat(WARM_UP_CALLS, readsAttribute(client));
            long before = core.loopSleeps();
            repeat(CALLS, readsAttribute(client));
            long slept = core.loopSleeps() - before;
            // The loop sleeps after each call, unless the next came before it went to sleep.
            assertTrue(slept > CALLS / 2, "with a zero spin the loop slept only " + slept + " times in " + CALLS
                    + " calls");
        }
    }

    /**
     * After the last call: {@code who} does not sleep for {@code within} (inside its window), then
     * sleeps and uses next to no CPU, and a sleeping {@code who} still answers.
     */
    private void assertPollsThroughThenSleeps(String who, LongSupplier sleeps, Thread thread, Duration within,
                                              ControlClient client) throws InterruptedException {
        long afterCalls = sleeps.getAsLong();
        Thread.sleep(within.toMillis());
        assertEquals(afterCalls, sleeps.getAsLong(), who + " slept within its window");
        assertTrue(AgentAwait.until(() -> sleeps.getAsLong() > afterCalls, SLEEP_LIMIT),
                who + " never slept after its window");
        long after = cpuNanosOver(thread, Duration.ofMillis(300));
        assertTrue(after < IDLE_CPU_NANOS, who + " still polled after its window: " + after + " ns in 300 ms");
        assertEquals("7", attribute(client), who + " did not answer once asleep");
    }

    private static void ranRemoteCall(AgentCore core, long window) throws Exception {
        core.post("call", () -> {
            core.ranRemoteCall(window);
            return null;
        }).get(CALL_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The agent the calls go to, with the attribute they read. */
    private AgentCore target() {
        runtime.agent("Target").setAttr("x", 7);
        return runtime.core("Target");
    }

    /** One call, through the network or straight to the loop. */
    private interface Call {
        void make() throws Exception;
    }

    /** Calls one after another for {@code span}; returns how many. */
    private static int callFor(Duration span, Call call) throws Exception {
        long until = System.nanoTime() + span.toNanos();
        int calls = 0;
        while (System.nanoTime() - until < 0) {
            call.make();
            calls++;
        }
        return calls;
    }

    private static void repeat(int times, Call call) throws Exception {
        for (int i = 0; i < times; i++) {
            call.make();
        }
    }

    /** A call through the endpoint that reads the target's attribute. */
    private static Call readsAttribute(ControlClient client) {
        return () -> assertEquals("7", attribute(client));
    }

    private static String attribute(ControlClient client) {
        ControlResponse response = client.call(ControlRequest.newBuilder().setAgent("Target")
                .setGetAttr(GetAttr.newBuilder().setName("x")), CALL_LIMIT, "Target");
        assertTrue(response.getOk(), response.toString());
        return response.getValue().getData().toString(StandardCharsets.UTF_8);
    }

    private static Thread servingThread(ControlEndpoint endpoint) {
        return thread("zeroagents-control-" + endpoint.endpoint().substring(endpoint.endpoint().lastIndexOf(':') + 1));
    }

    private static Thread thread(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no thread " + name));
    }

    /** The CPU time the thread uses while this thread sleeps for {@code span}. */
    private long cpuNanosOver(Thread thread, Duration span) throws InterruptedException {
        long before = threads.getThreadCpuTime(thread.threadId());
        Thread.sleep(span.toMillis());
        return threads.getThreadCpuTime(thread.threadId()) - before;
    }
}
