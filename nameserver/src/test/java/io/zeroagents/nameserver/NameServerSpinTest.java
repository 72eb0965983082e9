package io.zeroagents.nameserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.zeroagents.nameserver.registry.LocalRegistry;
import io.zeroagents.testsupport.Await;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The name server's polling after a request ({@value NameServerService#SPIN_PROPERTY}): its serving
 * thread keeps polling for that long after answering a request that came less than 1 ms after the
 * answer before, and sleeps otherwise. Whether it sleeps is
 * read from its count of blocking receives (a sleeping thread wakes every 100 ms at most and sleeps
 * again) and from its CPU time, which a sleeping thread barely uses. How much CPU a polling thread
 * gets is not asserted: it yields, and on a busy machine others get the processor first.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NameServerSpinTest {
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SLEEP_LIMIT = Duration.ofSeconds(10);
    /** Far more CPU than a sleeping thread uses in the measured span, far less than a polling one. */
    private static final long IDLE_CPU_NANOS = 30_000_000;
    private static final int REQUESTS = 200;
    /** Requests in a fresh JVM take milliseconds each until the JIT has compiled their path. */
    private static final int WARM_UP_REQUESTS = 500;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    @BeforeEach
    void threadCpuTimeIsMeasured() {
        // Unmeasured CPU time reads -1, and every "uses next to no CPU" check would pass.
        assumeTrue(threads.isThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled(),
                "this JVM does not measure threads' CPU time");
    }

    @Test
    void serve_requestsInARow_pollsBetweenThemAndThroughItsWindowThenSleeps() throws Exception {
        try (NameServerService service = start(Duration.ofSeconds(2));
                NameServerClient client = new NameServerClient(service.address(), CLIENT_TIMEOUT)) {
            Thread serving = servingThread(service);
            repeatPings(client, WARM_UP_REQUESTS);
            long before = service.sleeps();
            repeatPings(client, REQUESTS);
            long slept = service.sleeps() - before;
            // A request that comes more than 1 ms after the answer before (a busy machine, a GC pause)
            // ends the streak, and the server sleeps once more; without polling it sleeps after each.
            assertTrue(slept < REQUESTS / 2, "the server slept " + slept + " times in " + REQUESTS
                    + " requests in a row");

            long afterRequests = service.sleeps();
            // Well inside the 2 s window, which began when the last answer left.
            Thread.sleep(300);
            assertEquals(afterRequests, service.sleeps(), "the server slept within its window");
            Await.until(SLEEP_LIMIT, () -> service.sleeps() > afterRequests, "the server to sleep after its window");
            long cpu = cpuNanosOver(serving, Duration.ofMillis(300));
            assertTrue(cpu < IDLE_CPU_NANOS, "the server still polled after its window: " + cpu + " ns in 300 ms");
            assertEquals(service.serverId(), client.ping(), "the server did not answer once asleep");
        }
    }

    @Test
    void serve_requestsFarApart_sleepsAfterEach() throws Exception {
        try (NameServerService service = start(Duration.ofSeconds(2));
                NameServerClient client = new NameServerClient(service.address(), CLIENT_TIMEOUT)) {
            Thread serving = servingThread(service);
            long before = service.sleeps();
            for (int i = 0; i < 5; i++) {
                client.ping();
                // Requests 20 ms apart are not requests one after another.
                Thread.sleep(20);
            }
            // Both checks well inside the 2 s a polling server would poll after the last request.
            Await.until(Duration.ofMillis(500), () -> service.sleeps() - before >= 5,
                    "the server to sleep after each of 5 requests far apart");
            long cpu = cpuNanosOver(serving, Duration.ofMillis(300));
            assertTrue(cpu < IDLE_CPU_NANOS, "the server polled after requests far apart: " + cpu + " ns in 300 ms");
        }
    }

    @Test
    void serve_beforeAnyRequest_sleeps() throws Exception {
        try (NameServerService service = start(Duration.ofSeconds(2))) {
            Thread serving = servingThread(service);
            long cpu = cpuNanosOver(serving, Duration.ofMillis(300));
            assertTrue(cpu < IDLE_CPU_NANOS, "the server polled before any request: " + cpu + " ns in 300 ms");
            assertTrue(service.sleeps() > 0, "the server never went to a blocking receive");
        }
    }

    @Test
    void serve_zeroSpin_sleepsAfterEachRequest() {
        try (NameServerService service = start(Duration.ZERO);
                NameServerClient client = new NameServerClient(service.address(), CLIENT_TIMEOUT)) {
            repeatPings(client, WARM_UP_REQUESTS);
            long before = service.sleeps();
            repeatPings(client, REQUESTS);
            // The last answer reaches the client before the server is back in its receive, where it
            // counts the sleep; a server that polled between requests would sleep far fewer times.
            Await.until(Duration.ofSeconds(5), () -> service.sleeps() - before >= REQUESTS,
                    () -> "the server to sleep after each of " + REQUESTS + " requests with a zero spin (it slept "
                            + (service.sleeps() - before) + " times)");
        }
    }

    @Test
    void spin_fromPropertyOrVariable_isReadInMicrosecondsAndBadValuesAreRefused() {
        assertEquals(Duration.ofNanos(NameServerService.DEFAULT_SPIN_MICROS * 1000),
                NameServerService.spin(null, null));
        assertEquals(Duration.ofNanos(50_000), NameServerService.spin("50", "70"));
        assertEquals(Duration.ofNanos(70_000), NameServerService.spin(" ", "70"));
        assertEquals(Duration.ZERO, NameServerService.spin("0", null));
        for (String bad : new String[] {"-1", "1000001", "fast", "1.5"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> NameServerService.spin(bad, null));
            String message = e.getMessage();
            assertTrue(message.contains("'" + bad + "'") && message.contains(NameServerService.SPIN_PROPERTY)
                    && message.contains("ZEROAGENTS_NAMESERVER_SPIN_MICROS"), message);
        }
    }

    private static NameServerService start(Duration spin) {
        return NameServerService.builder().registry(new LocalRegistry(Duration.ofSeconds(30))).spin(spin).start();
    }

    private static void repeatPings(NameServerClient client, int times) {
        for (int i = 0; i < times; i++) {
            client.ping();
        }
    }

    private static Thread servingThread(NameServerService service) {
        String name = "zeroagents-nameserver-" + service.address().substring(service.address().lastIndexOf(':') + 1);
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no thread " + name));
    }

    private long cpuNanosOver(Thread thread, Duration span) throws InterruptedException {
        long before = threads.getThreadCpuTime(thread.threadId());
        Thread.sleep(span.toMillis());
        return threads.getThreadCpuTime(thread.threadId()) - before;
    }
}
