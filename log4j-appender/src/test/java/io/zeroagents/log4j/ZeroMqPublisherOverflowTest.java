package io.zeroagents.log4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A publisher that cannot keep up: logging threads drop and count, and never wait. */
class ZeroMqPublisherOverflowTest {

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void append_queueFullWhilePublisherHeld_dropsAndCountsWithoutBlocking() throws InterruptedException {
        HeldGate gate = new HeldGate();
        try (LogSubscriber subscriber = LogSubscriber.bound();
             StatusCapture status = StatusCapture.open()) {
            ZeroMqPublisherAppender appender = ZeroMqPublisherAppender.newBuilder().setName("overflow")
                    .setEndpoint(subscriber.endpoint()).setQueueSize(4).setGate(gate).build();
            assertNotNull(appender);
            try (TestLogging logging = TestLogging.withAppender("overflow", appender)) {
                Logger logger = logging.logger("io.zeroagents.test.Overflow");
                subscriber.syncWith(logger, Level.INFO);
                gate.close();
                assertTrue(gate.awaitHeld(LogSubscriber.TIMEOUT), "publisher held at the gate");

                // With the publisher held, a blocking append would hang here until the @Timeout.
                for (int i = 0; i < 2000; i++) {
                    logger.info("event {}", i);
                }

                assertEquals(1996, appender.droppedEvents(), "4 queued, the rest dropped");
                List<String> warnings = status.messagesContaining(Level.WARN, "'overflow' dropped a log event");
                assertEquals(2, warnings.size(), "a warning at the first drop and at the 1000th: " + warnings);
                assertTrue(warnings.getFirst().contains("queue of 4 events is full"), warnings.getFirst());
                assertTrue(warnings.getLast().contains("1000 dropped so far"), warnings.getLast());

                gate.open();
                for (int i = 0; i < 4; i++) {
                    assertEquals("event " + i, subscriber.next().line());
                }
                // Only now is the queue sure to have room: logged earlier, this line could still be dropped.
                logger.info("after the gate");
                assertEquals("after the gate", subscriber.next().line());
                assertEquals(1996, appender.droppedEvents());
            }
        }
    }
}
