package io.zeroagents.log4j;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/** Starting with a bad endpoint, and stopping: the thread, the port, the events still queued. */
class ZeroMqPublisherLifecycleTest {

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void stop_loggerContextStopped_endsThePublisherThreadAndFreesTheBoundPort() {
        String endpoint;
        Thread publisher;
        try (TestLogging logging = TestLogging.withAttributes("stop-bind",
                Map.of("endpoint", "tcp://127.0.0.1:*", "bind", "true", "lingerMs", "0"))) {
            ZeroMqPublisherAppender appender = logging.appender();
            endpoint = appender.lastEndpoint();
            assertNotNull(endpoint);
            publisher = appender.publisherThread();
            assertTrue(publisher.isAlive(), "publisher thread running before the stop");
            logging.logger("io.zeroagents.test.Stop").info("published to nobody");
        }

        assertFalse(publisher.isAlive(), "publisher thread " + publisher.getName() + " still alive after stop");
        try (ZContext context = new ZContext(1)) {
            ZMQ.Socket socket = context.createSocket(SocketType.PUB);
            socket.setLinger(0);
            assertTrue(socket.bind(endpoint), "the appender's port is free again: " + endpoint);
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void stop_eventsStillQueued_publishesThemBeforeClosing() throws InterruptedException {
        HeldGate gate = new HeldGate();
        try (LogSubscriber subscriber = LogSubscriber.bound()) {
            ZeroMqPublisherAppender appender = ZeroMqPublisherAppender.newBuilder().setName("drain")
                    .setEndpoint(subscriber.endpoint()).setGate(gate).build();
            assertNotNull(appender);
            Thread publisher;
            try (TestLogging logging = TestLogging.withAppender("drain", appender)) {
                Logger logger = logging.logger("io.zeroagents.test.Drain");
                subscriber.syncWith(logger, Level.INFO);
                gate.close();
                assertTrue(gate.awaitHeld(LogSubscriber.TIMEOUT), "publisher held at the gate");
                IntStream.range(0, 500).forEach(i -> logger.info("queued {}", i));
                publisher = appender.publisherThread();
                gate.open();
            }

            assertFalse(publisher.isAlive(), "publisher thread ended");
            for (int i = 0; i < 500; i++) {
                assertEquals("queued " + i, subscriber.next().line());
            }
            assertEquals(0, appender.droppedEvents());
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void start_bindEndpointInUse_reportsStatusErrorAndLoggingGoesOn() {
        try (ZContext context = new ZContext(1);
             StatusCapture status = StatusCapture.open()) {
            ZMQ.Socket occupant = context.createSocket(SocketType.PUB);
            occupant.setLinger(0);
            occupant.bind("tcp://127.0.0.1:*");
            String taken = occupant.getLastEndpoint();

            try (TestLogging logging = TestLogging.withAttributes("in-use",
                    Map.of("endpoint", taken, "bind", "true", "ignoreExceptions", "false"))) {
                List<String> errors = status.messagesContaining(Level.ERROR, "ZeroMqPublisher appender 'zmq'");
                assertEquals(1, errors.size(), "status errors: " + status.messages(Level.ERROR));
                assertTrue(errors.getFirst().contains("cannot bind to endpoint '" + taken + "'"), errors.getFirst());

                Logger logger = logging.logger("io.zeroagents.test.InUse");
                assertDoesNotThrow(() -> logger.error("nobody hears this"));
                assertNull(logging.appender().lastEndpoint());
                assertEquals(1, logging.appender().droppedEvents());
            }
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void start_malformedEndpoint_reportsStatusErrorNamingIt() {
        try (StatusCapture status = StatusCapture.open();
             TestLogging logging = TestLogging.withAttributes("malformed",
                     Map.of("endpoint", "tcp//127.0.0.1:5555", "ignoreExceptions", "false"))) {

            List<String> errors = status.messagesContaining(Level.ERROR, "ZeroMqPublisher appender 'zmq'");
            assertEquals(1, errors.size(), "status errors: " + status.messages(Level.ERROR));
            assertTrue(errors.getFirst().contains("cannot connect to endpoint 'tcp//127.0.0.1:5555'"),
                    errors.getFirst());
            assertDoesNotThrow(() -> logging.logger("io.zeroagents.test.Malformed").warn("dropped"));
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void build_withoutEndpoint_returnsNullAndReportsError() {
        try (StatusCapture status = StatusCapture.open()) {
            ZeroMqPublisherAppender appender = ZeroMqPublisherAppender.newBuilder().setName("nowhere").build();

            assertNull(appender);
            assertEquals(1, status.messagesContaining(Level.ERROR, "'nowhere' has no endpoint").size(),
                    "status errors: " + status.messages(Level.ERROR));
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void build_queueSizeZero_returnsNullAndReportsError() {
        try (StatusCapture status = StatusCapture.open()) {
            ZeroMqPublisherAppender appender = ZeroMqPublisherAppender.newBuilder().setName("tiny")
                    .setEndpoint("tcp://127.0.0.1:5555").setQueueSize(0).build();

            assertNull(appender);
            assertEquals(1, status.messagesContaining(Level.ERROR, "'tiny' has queueSize 0").size(),
                    "status errors: " + status.messages(Level.ERROR));
        }
    }
}
