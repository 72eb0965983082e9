package io.zeroagents.it.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition instead of sleeping a guessed time. */
public final class Await {
    private Await() {
    }

    /** Polls {@code condition} every few milliseconds until it holds; fails with {@code what} after {@code limit}. */
    public static void until(Duration limit, BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + limit.toMillis() + " ms waiting for " + what.get());
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted waiting for " + what.get(), e);
            }
        }
    }

    /** {@link #until(Duration, BooleanSupplier, Supplier)} with a ten-second limit. */
    public static void until(BooleanSupplier condition, String what) {
        until(Duration.ofSeconds(10), condition, () -> what);
    }
}
