package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.Proxy;
import io.zeroagents.runtime.internal.control.Mode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Calls through one host's control client do not wait for each other: a slow call holds its own
 * connection, and a call to another agent of the same host, or one the slow call's agent can serve
 * beside it, is answered at once.
 */
@Timeout(60)
class RemoteCallConcurrencyTest {
    /** How long the slow call takes; the fast ones must come back far sooner. */
    private static final long SLOW_MILLIS = 4_000;
    private static final long FAST_LIMIT_MILLIS = 1_500;

    @Test
    void slowCallInFlight_callToAnotherAgentOfTheSameHost_isAnsweredAtOnce() throws Exception {
        try (TestRuntime runtime = new TestRuntime()) {
            CountDownLatch napping = new CountDownLatch(1);
            napper(runtime, napping);
            runtime.agent("Quick");
            try (ControlClient client = runtime.controlClientFor("Slow")) {
                Proxy slow = new RemoteProxy("Slow", client, Mode.SAFE, runtime.codecs, Duration.ofSeconds(20));
                Proxy quick = new RemoteProxy("Quick", client, Mode.SAFE, runtime.codecs, Duration.ofSeconds(20));
                assertEquals("pong", quick.ping(), "a first call, so the connection is made before timing");

                CompletableFuture<Object> nap = CompletableFuture.supplyAsync(() -> slow.call("nap", SLOW_MILLIS));
                assertTrue(napping.await(10, TimeUnit.SECONDS), "the slow call to start");

                long started = System.nanoTime();
                assertEquals("pong", quick.ping());
                long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

                assertFalse(nap.isDone(), "the slow call was still in flight when the quick one was answered");
                assertTrue(tookMillis < FAST_LIMIT_MILLIS, "the quick call took " + tookMillis
                        + " ms behind a slow call of " + SLOW_MILLIS + " ms");
                assertEquals("rested", nap.get(20, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void slowSafeCallInFlight_unsafeCallToTheSameAgent_isAnsweredAtOnce() throws Exception {
        try (TestRuntime runtime = new TestRuntime()) {
            CountDownLatch napping = new CountDownLatch(1);
            napper(runtime, napping).setAttr("mood", "sleepy");
            try (ControlClient client = runtime.controlClientFor("Slow")) {
                Proxy slow = new RemoteProxy("Slow", client, Mode.SAFE, runtime.codecs, Duration.ofSeconds(20));
                Proxy beside = new RemoteProxy("Slow", client, Mode.UNSAFE, runtime.codecs, Duration.ofSeconds(20));
                assertEquals("sleepy", beside.getAttr("mood"));

                CompletableFuture<Object> nap = CompletableFuture.supplyAsync(() -> slow.call("nap", SLOW_MILLIS));
                assertTrue(napping.await(10, TimeUnit.SECONDS), "the slow call to start");

                long started = System.nanoTime();
                // Unsafe: read on the host's worker thread, beside the loop the slow call holds.
                assertEquals("sleepy", beside.getAttr("mood"));
                long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

                assertFalse(nap.isDone(), "the slow call was still in flight when the other one was answered");
                assertTrue(tookMillis < FAST_LIMIT_MILLIS, "the unsafe call took " + tookMillis
                        + " ms behind a slow call of " + SLOW_MILLIS + " ms");
                assertEquals("rested", nap.get(20, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void callsOneAfterAnother_reuseOneConnection() {
        try (TestRuntime runtime = new TestRuntime()) {
            runtime.agent("Target");
            int socketsBefore = runtime.context.getSockets().size();
            try (ControlClient client = runtime.controlClientFor("Target")) {
                Proxy target = new RemoteProxy("Target", client, Mode.SAFE, runtime.codecs, Duration.ofSeconds(20));
                for (int i = 0; i < 50; i++) {
                    assertEquals("pong", target.ping());
                }
                assertEquals(socketsBefore + 1, runtime.context.getSockets().size(),
                        "sockets of the context after 50 calls in a row through one client");
            }
            assertEquals(socketsBefore, runtime.context.getSockets().size(), "the client closed its connections");
        }
    }

    /** Starts agent "Slow" with a method {@code nap(millis)} that counts down {@code napping} and sleeps. */
    private static Proxy napper(TestRuntime runtime, CountDownLatch napping) {
        Proxy slow = runtime.agent("Slow");
        slow.setMethod("nap", (self, args) -> {
            napping.countDown();
            Thread.sleep(((Number) args[0]).longValue());
            return "rested";
        });
        return slow;
    }
}
