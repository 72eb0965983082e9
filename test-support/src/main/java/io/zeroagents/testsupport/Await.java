package io.zeroagents.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Waits for what another thread, a timer or another process makes true, instead of sleeping a
 * guessed time: each method polls every few milliseconds and returns as soon as it can. An
 * interrupt while waiting fails the wait with an {@link AssertionError}, the thread's interrupt
 * status kept.
 *
 * <p>For tests of this project. Users of the API have {@code io.zeroagents.testing.AgentAwait}.
 */
public final class Await {
    /** How long {@link #until(BooleanSupplier, String)} waits. */
    public static final Duration DEFAULT_LIMIT = Duration.ofSeconds(10);
    /** How often a condition is checked. */
    private static final long POLL_MILLIS = 5;
    /** How often {@link #settle} reads its value: values worth settling are costly to read (thread lists, a GC). */
    private static final long SETTLE_POLL_MILLIS = 20;

    private Await() {
    }

    /**
     * Waits until a condition holds.
     *
     * @param limit     how long to wait
     * @param condition the condition
     * @param what      what is awaited, as in "waiting for <em>what</em>", for the failure message; asked only then
     * @throws AssertionError when the condition did not hold within {@code limit}, or the thread was interrupted
     */
    public static void until(Duration limit, BooleanSupplier condition, Supplier<String> what) {
        if (!poll(limit, condition, what)) {
            throw new AssertionError("Timed out after " + limit.toMillis() + " ms waiting for " + what.get());
        }
    }

    /**
     * Waits until a condition holds.
     *
     * @param limit     how long to wait
     * @param condition the condition
     * @param what      what is awaited, as in "waiting for <em>what</em>", for the failure message
     * @throws AssertionError when the condition did not hold within {@code limit}, or the thread was interrupted
     */
    public static void until(Duration limit, BooleanSupplier condition, String what) {
        until(limit, condition, () -> what);
    }

    /**
     * Waits {@link #DEFAULT_LIMIT} at most until a condition holds.
     *
     * @param condition the condition
     * @param what      what is awaited, as in "waiting for <em>what</em>", for the failure message
     * @throws AssertionError when the condition did not hold in time, or the thread was interrupted
     */
    public static void until(BooleanSupplier condition, String what) {
        until(DEFAULT_LIMIT, condition, () -> what);
    }

    /**
     * Waits until a condition holds, and says whether it did, for a test that asserts with a message
     * of its own (or asserts that something does not happen).
     *
     * @param limit     how long to wait
     * @param condition the condition
     * @return {@code true} as soon as the condition holds, {@code false} when {@code limit} passed first
     * @throws AssertionError when the thread was interrupted
     */
    public static boolean within(Duration limit, BooleanSupplier condition) {
        return poll(limit, condition, () -> "a condition");
    }

    /**
     * Waits until a value that comes down by itself (threads that end, sockets that close) is at
     * most {@code atMost}, and returns the last value read, which the test then asserts on with its
     * own message: {@code value} may be read once more than the condition needs.
     *
     * @param limit  how long to wait
     * @param value  the value, read about every 20 ms
     * @param atMost the value waited for, or any below it
     * @return the last value read: at most {@code atMost} unless {@code limit} passed first
     * @throws AssertionError when the thread was interrupted
     */
    public static long settle(Duration limit, LongSupplier value, long atMost) {
        long deadline = System.nanoTime() + limit.toNanos();
        long current = value.getAsLong();
        while (current > atMost && System.nanoTime() - deadline < 0) {
            sleep(SETTLE_POLL_MILLIS, () -> "a value to come down to " + atMost);
            current = value.getAsLong();
        }
        return current;
    }

    /**
     * Sleeps for a time the test needs to pass (not to wait for something: {@link #until} is for that).
     *
     * @param time how long
     * @throws AssertionError when the thread was interrupted
     */
    public static void pause(Duration time) {
        sleep(time.toMillis(), () -> "a pause of " + time.toMillis() + " ms to end");
    }

    private static boolean poll(Duration limit, BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            sleep(POLL_MILLIS, what);
        }
        return true;
    }

    private static void sleep(long millis, Supplier<String> what) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted waiting for " + what.get(), e);
        }
    }
}
