package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zeroagents.AgentAddress;
import io.zeroagents.BindOptions;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.SocketHandler;
import io.zeroagents.Transport;
import io.zeroagents.testsupport.Await;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What an agent's sockets already received when it stops is never lost without a count:
 * {@code shutdown()} handles it within the drain limit, a drain limit of 0 and {@code kill()} drop
 * it, counted (the agent's dropped messages and the {@value StopDrain#DROPPED_AT_STOP} meter) and
 * logged.
 *
 * <p>Each test holds the receiver's handler in its first message while 500 messages wait in the
 * receiver's inproc socket (an inproc pipe holds them on the receiver's side as soon as the
 * sender's {@code send} returns), stops it, then lets the handler return.
 */
@Timeout(60)
class StopDrainTest {
    private static final int SENT = 500;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void addMeterRegistry() {
        Metrics.addRegistry(meters);
    }

    @AfterEach
    void removeMeterRegistry() {
        Metrics.removeRegistry(meters);
        meters.close();
    }

    @Test
    void shutdown_messagesAlreadyReceived_areAllHandled() throws Exception {
        try (TestRuntime runtime = new TestRuntime(Map.of("zeroagents.shutdown.drain", "20000"))) {
            Receiver receiver = receiver(runtime);
            CompletableFuture<Void> shutdown = CompletableFuture.runAsync(receiver.proxy::shutdown);
            Await.until(() -> !receiver.core.alive(), "the receiver to be asked to stop");
            receiver.release.countDown();
            shutdown.get(30, TimeUnit.SECONDS);

            assertEquals(SENT, receiver.handled.get(), "messages handled by the agent that shut down");
            assertEquals(0, receiver.core.droppedMessages());
        }
    }

    @Test
    void shutdown_drainLimitZero_dropsCountsAndLogsWhatWasReceived() throws Exception {
        double before = droppedAtStop("shutdown");
        try (TestRuntime runtime = new TestRuntime(Map.of("zeroagents.shutdown.drain", "0"))) {
            Receiver receiver = receiver(runtime);
            CompletableFuture<Void> shutdown = CompletableFuture.runAsync(receiver.proxy::shutdown);
            Await.until(() -> !receiver.core.alive(), "the receiver to be asked to stop");
            receiver.release.countDown();
            shutdown.get(30, TimeUnit.SECONDS);

            assertEquals(1, receiver.handled.get(), "messages handled: only the one in hand at the stop");
            assertEquals(SENT - 1, receiver.core.droppedMessages(), "messages counted as dropped");
            assertEquals(SENT - 1, droppedAtStop("shutdown") - before, 0.0, StopDrain.DROPPED_AT_STOP);
        }
    }

    @Test
    void kill_dropsCountsAndLogsWhatWasReceived() throws Exception {
        double before = droppedAtStop("kill");
        try (TestRuntime runtime = new TestRuntime(Map.of("zeroagents.shutdown.drain", "20000"))) {
            Receiver receiver = receiver(runtime);
            receiver.core.kill();
            receiver.release.countDown();
            receiver.core.stopped().get(30, TimeUnit.SECONDS);

            assertEquals(1, receiver.handled.get(), "messages handled: only the one in hand at the kill");
            assertEquals(SENT - 1, receiver.core.droppedMessages(), "messages counted as dropped");
            assertEquals(SENT - 1, droppedAtStop("kill") - before, 0.0, StopDrain.DROPPED_AT_STOP);
        }
    }

    private double droppedAtStop(String stop) {
        Counter counter = meters.find(StopDrain.DROPPED_AT_STOP).tag("stop", stop).counter();
        return counter == null ? 0 : counter.count();
    }

    /** A receiver whose handler holds its first message until {@link #release}, with {@value #SENT} messages waiting. */
    private record Receiver(Proxy proxy, AgentCore core, AtomicInteger handled, CountDownLatch release) {
    }

    private static Receiver receiver(TestRuntime runtime) throws InterruptedException {
        AtomicInteger handled = new AtomicInteger();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Proxy receiver = runtime.agent("Receiver");
        AgentAddress in = receiver.bind(Pattern.PULL, "in", BindOptions.builder().transport(Transport.INPROC)
                .handler(SocketHandler.onMessage(Integer.class, (agent, n) -> {
                    if (handled.incrementAndGet() == 1) {
                        holding.countDown();
                        release.await();
                    }
                })).build());
        Proxy sender = runtime.agent("Sender");
        sender.connect(in, "out");
        for (int i = 0; i < SENT; i++) {
            sender.send("out", i);
        }
        assertTrue(holding.await(10, TimeUnit.SECONDS), "the receiver's handler to take the first message");
        return new Receiver(receiver, runtime.core("Receiver"), handled, release);
    }
}
