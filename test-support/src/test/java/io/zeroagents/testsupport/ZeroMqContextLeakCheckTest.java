package io.zeroagents.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** Runs small test classes under the check, as JUnit does, and reads what it reported. */
@Timeout(30)
class ZeroMqContextLeakCheckTest {
    /** Holds the threads that {@link LeavesAContext} starts until the test has seen the check fail. */
    private static volatile CountDownLatch release = new CountDownLatch(1);

    /** Starts what an open JeroMQ context keeps running: a reaper and an I/O thread. */
    @ExtendWith(ZeroMqContextLeakCheck.class)
    static class LeavesAContext {
        @Test
        void opensAContext() {
            for (String name : List.of("reaper-leak-test", "iothread-leak-test")) {
                CountDownLatch held = release;
                Thread.ofPlatform().name(name).daemon().start(() -> {
                    try {
                        held.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
        }
    }

    /** Starts a JeroMQ-named thread that ends by itself, as a closed context's threads do. */
    @ExtendWith(ZeroMqContextLeakCheck.class)
    static class ClosesItsContext {
        @Test
        void opensAndClosesAContext() {
            Thread.ofPlatform().name("reaper-closed-test").daemon().start(() -> Await.pause(Duration.ofMillis(200)));
        }
    }

    @BeforeEach
    void hold() {
        release = new CountDownLatch(1);
    }

    @AfterEach
    void release() {
        release.countDown();
    }

    @Test
    void afterAll_classLeftAContextOpen_failsNamingItsThreads() {
        TestExecutionSummary summary = run(LeavesAContext.class);

        assertEquals(1, summary.getTestsSucceededCount());
        assertEquals(1, summary.getFailures().size(), "the class itself fails");
        String message = summary.getFailures().get(0).getException().getMessage();
        assertTrue(message.contains("left JeroMQ contexts open"), message);
        assertTrue(message.contains("reaper-leak-test") && message.contains("iothread-leak-test"), message);
    }

    @Test
    void afterAll_threadsEndSoonAfterTheClass_passes() {
        TestExecutionSummary summary = run(ClosesItsContext.class);

        assertEquals(1, summary.getTestsSucceededCount());
        assertEquals(List.of(), summary.getFailures());
    }

    @Test
    void zeroMqThreads_namesOnlyJeroMqThreads() {
        assertTrue(ZeroMqContextLeakCheck.zeroMqThreads().stream()
                .allMatch(name -> name.startsWith("reaper-") || name.startsWith("iothread-")));
        assertTrue(ZeroMqContextLeakCheck.zeroMqThreads().stream().noneMatch(name -> name.equals("main")));
    }

    private static TestExecutionSummary run(Class<?> testClass) {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass))
                .build(), listener);
        return listener.getSummary();
    }
}
