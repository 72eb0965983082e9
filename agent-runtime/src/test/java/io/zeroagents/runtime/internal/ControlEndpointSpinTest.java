package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.runtime.internal.control.ControlRequest;
import io.zeroagents.runtime.internal.control.ControlResponse;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The control endpoint's spin ({@code zeroagents.control.spin.micros}): its serving thread keeps
 * polling for that long after a request or an answer, and sleeps otherwise. What the thread does is
 * read from its CPU time: a spinning thread uses the processor, a sleeping one almost none.
 */
@Timeout(60)
class ControlEndpointSpinTest {
    private static final Duration CALL_LIMIT = Duration.ofSeconds(10);
    /** Far more CPU than a sleeping thread uses in the measured span, far less than a spinning one. */
    private static final long IDLE_CPU_NANOS = 30_000_000;

    private final TestRuntime runtime = new TestRuntime();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    @AfterEach
    void close() {
        runtime.close();
    }

    @Test
    void serve_afterACall_spinsForItsWindowThenSleeps() throws Exception {
        runtime.agent("Target").setAttr("x", 7);
        Duration spin = Duration.ofSeconds(1);
        try (ControlEndpoint endpoint = endpoint(spin); ControlClient client = client(endpoint)) {
            Thread serving = servingThread(endpoint);
            assertTrue(cpuNanosOver(serving, Duration.ofMillis(300)) < IDLE_CPU_NANOS,
                    "the endpoint spun before any proxy called it");

            for (int i = 0; i < 20; i++) {
                assertEquals("7", attribute(client));
            }
            long spinning = cpuNanosOver(serving, Duration.ofMillis(500));
            // Even on a machine shared with other builds the spinning thread gets a share of a core.
            assertTrue(spinning > 25_000_000, "the endpoint slept right after a call: " + spinning + " ns of CPU in 500 ms");

            Thread.sleep(spin.toMillis());
            long after = cpuNanosOver(serving, Duration.ofMillis(300));
            assertTrue(after < IDLE_CPU_NANOS, "the endpoint still spun after its window: " + after + " ns in 300 ms");
            assertEquals("7", attribute(client), "a sleeping endpoint answers");
        }
    }

    @Test
    void serve_zeroSpin_sleepsRightAfterACall() throws Exception {
        runtime.agent("Target").setAttr("x", 7);
        try (ControlEndpoint endpoint = endpoint(Duration.ZERO); ControlClient client = client(endpoint)) {
            Thread serving = servingThread(endpoint);
            for (int i = 0; i < 20; i++) {
                assertEquals("7", attribute(client));
            }
            long after = cpuNanosOver(serving, Duration.ofMillis(300));
            assertTrue(after < IDLE_CPU_NANOS, "a zero spin still spun: " + after + " ns in 300 ms");
        }
    }

    private ControlEndpoint endpoint(Duration spin) {
        return new ControlEndpoint("127.0.0.1", null, runtime.context, runtime.codecs,
                ControlEndpoint.maxMessageBytes(TestRuntime.MAX_FRAME_BYTES), runtime.host::agent, null, spin);
    }

    private ControlClient client(ControlEndpoint endpoint) {
        return new ControlClient(endpoint.endpoint(), runtime.context, Duration.ofSeconds(1),
                ControlEndpoint.maxMessageBytes(TestRuntime.MAX_FRAME_BYTES), null);
    }

    private static String attribute(ControlClient client) {
        ControlResponse response = client.call(ControlRequest.newBuilder().setAgent("Target").setOperation("get_attr")
                .addParams("x"), CALL_LIMIT, "Target");
        assertTrue(response.getOk(), response.toString());
        return response.getResult().getData().toString(StandardCharsets.UTF_8);
    }

    private static Thread servingThread(ControlEndpoint endpoint) {
        String name = "zeroagents-control-" + endpoint.endpoint().substring(endpoint.endpoint().lastIndexOf(':') + 1);
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
