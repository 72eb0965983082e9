package io.zeroagents.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class AwaitTest {

    @Test
    void until_conditionComesTrue_returnsOnceItHolds() {
        AtomicInteger reads = new AtomicInteger();

        Await.until(Duration.ofSeconds(5), () -> reads.incrementAndGet() >= 3, "the third read");

        assertEquals(3, reads.get());
    }

    @Test
    void until_conditionNeverHolds_failsAfterTheLimitSayingWhatWasAwaited() {
        long start = System.nanoTime();

        AssertionError failure = assertThrows(AssertionError.class,
                () -> Await.until(Duration.ofMillis(100), () -> false, () -> "Godot to come"));

        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals("Timed out after 100 ms waiting for Godot to come", failure.getMessage());
        assertTrue(elapsedMillis >= 100, "gave up after " + elapsedMillis + " ms");
    }

    @Test
    void until_conditionHoldsAtOnce_neverBuildsTheMessage() {
        Await.until(Duration.ZERO, () -> true, () -> {
            throw new AssertionError("the message was built");
        });
    }

    @Test
    void until_interrupted_failsAndKeepsTheInterrupt() {
        Thread.currentThread().interrupt();
        try {
            AssertionError failure = assertThrows(AssertionError.class,
                    () -> Await.until(() -> false, "nothing"));

            assertEquals("Interrupted waiting for nothing", failure.getMessage());
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void within_saysWhetherTheConditionHeldInTime() {
        AtomicInteger reads = new AtomicInteger();

        assertTrue(Await.within(Duration.ofSeconds(5), () -> reads.incrementAndGet() >= 2));
        assertFalse(Await.within(Duration.ofMillis(50), () -> false));
    }

    @Test
    void settle_valueComesDown_returnsTheFirstValueAtMostTheBound() {
        AtomicInteger value = new AtomicInteger(10);

        long settled = Await.settle(Duration.ofSeconds(5), value::decrementAndGet, 7);

        assertEquals(7, settled);
    }

    @Test
    void settle_valueStaysUp_returnsTheLastValueAfterTheLimit() {
        long settled = Await.settle(Duration.ofMillis(60), () -> 5, 2);

        assertEquals(5, settled);
    }

    @Test
    void pause_sleepsAtLeastTheTime() {
        long start = System.nanoTime();

        Await.pause(Duration.ofMillis(30));

        assertTrue(System.nanoTime() - start >= Duration.ofMillis(30).toNanos());
    }
}
