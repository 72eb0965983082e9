package io.zeroagents.log4j;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@link LogPublisher.Gate} a test closes to hold the publisher thread before it takes its next
 * event, so that the queue fills up exactly as it would behind a slow publisher.
 */
final class HeldGate implements LogPublisher.Gate {

    private volatile CountDownLatch opened = new CountDownLatch(0);
    private volatile CountDownLatch held = new CountDownLatch(1);

    /** From now on the publisher stops at the gate, once it has published what it holds. */
    void close() {
        held = new CountDownLatch(1);
        opened = new CountDownLatch(1);
    }

    /** Lets the publisher go on. */
    void open() {
        opened.countDown();
    }

    /** Waits until the publisher stands at the closed gate. */
    boolean awaitHeld(Duration timeout) throws InterruptedException {
        return held.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void pass() {
        CountDownLatch gate = opened;
        if (gate.getCount() == 0) {
            return;
        }
        held.countDown();
        while (true) {
            try {
                gate.await();
                return;
            } catch (InterruptedException e) {
                // Not passed on: the publisher thread must never carry an interrupt into JeroMQ.
            }
        }
    }
}
