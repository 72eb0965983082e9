package io.zeroagents.log4j;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.serialization.EnvelopeCodec;
import io.zeroagents.serialization.proto.Envelope;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What subscribers receive: frames, topics, envelopes and headers, in both socket roles. */
class ZeroMqPublisherAppenderTest {

    private static final String LOGGER = "io.zeroagents.test.Wire";

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void append_connectedToBoundSubscriber_publishesTopicAndEnvelopePerEvent() {
        try (LogSubscriber subscriber = LogSubscriber.bound();
             TestLogging logging = TestLogging.withAttributes("wire", Map.of("endpoint", subscriber.endpoint()))) {
            Logger logger = logging.logger(LOGGER);
            subscriber.syncWith(logger, Level.INFO);
            List<Level> levels = List.of(Level.TRACE, Level.DEBUG, Level.INFO, Level.WARN, Level.ERROR, Level.FATAL);

            long before = System.currentTimeMillis();
            for (Level level : levels) {
                logger.log(level, "line at {}", level);
            }
            long after = System.currentTimeMillis();

            String thread = Thread.currentThread().getName();
            for (Level level : levels) {
                LogSubscriber.Message message = subscriber.next();
                Envelope envelope = message.envelope();
                long timestamp = Long.parseLong(envelope.getHeadersOrThrow("timestamp"));
                assertAll(level.name(),
                        () -> assertEquals(2, message.frames().size(), "frames"),
                        () -> assertEquals(level.name(), new String(message.frames().get(0), StandardCharsets.UTF_8)),
                        () -> assertEquals(EnvelopeCodec.VERSION, envelope.getVersion()),
                        () -> assertEquals("string", envelope.getCodec()),
                        () -> assertEquals("line at " + level, envelope.getPayload().toStringUtf8()),
                        () -> assertEquals(LOGGER, envelope.getSender(), "sender defaults to the logger name"),
                        () -> assertEquals(level.name(), envelope.getTopic()),
                        () -> assertEquals(Map.of("logger", LOGGER, "thread", thread, "level", level.name(),
                                "timestamp", Long.toString(timestamp)), envelope.getHeadersMap()),
                        () -> assertTrue(before <= timestamp && timestamp <= after,
                                timestamp + " not within [" + before + ", " + after + "]"));
            }
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void append_subscriberOnWarn_receivesOnlyWarnings() {
        try (LogSubscriber subscriber = LogSubscriber.bound("WARN");
             TestLogging logging = TestLogging.withAttributes("warn-only", Map.of("endpoint", subscriber.endpoint()))) {
            Logger logger = logging.logger(LOGGER);
            subscriber.syncWith(logger, Level.WARN);

            logger.info("info 1");
            logger.warn("warn 1");
            logger.error("error 1");
            logger.debug("debug 1");
            logger.fatal("fatal 1");
            logger.warn("warn 2");
            logger.trace("trace 1");
            logger.warn("last");

            List<String> received = new ArrayList<>();
            List<String> topics = new ArrayList<>();
            do {
                LogSubscriber.Message message = subscriber.next();
                received.add(message.line());
                topics.add(message.topic());
            } while (!received.getLast().equals("last"));
            assertEquals(List.of("warn 1", "warn 2", "last"), received);
            assertEquals(List.of("WARN", "WARN", "WARN"), topics);
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void append_bindMode_connectingSubscriberReceivesEvents() {
        try (TestLogging logging = TestLogging.withAttributes("bind",
                Map.of("endpoint", "tcp://127.0.0.1:*", "bind", "true"))) {
            String endpoint = logging.appender().lastEndpoint();
            assertNotNull(endpoint, "a bound appender reports its endpoint");
            assertNotEquals("tcp://127.0.0.1:*", endpoint, "the wildcard port is resolved");
            Logger logger = logging.logger(LOGGER);

            try (LogSubscriber subscriber = LogSubscriber.connectedTo(endpoint)) {
                subscriber.syncWith(logger, Level.INFO);
                logger.error("bound and heard");

                LogSubscriber.Message message = subscriber.next();
                assertEquals("ERROR", message.topic());
                assertEquals("bound and heard", message.line());
                assertEquals(LOGGER, message.envelope().getSender());
            }
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void append_defaultLayoutAndException_publishesMessageAndStackTrace() {
        try (LogSubscriber subscriber = LogSubscriber.bound();
             TestLogging logging = TestLogging.withAttributes("exception", Map.of("endpoint", subscriber.endpoint()))) {
            Logger logger = logging.logger(LOGGER);
            subscriber.syncWith(logger, Level.INFO);

            logger.error("it failed", new IllegalStateException("boom"));

            String line = subscriber.next().line();
            assertTrue(line.startsWith("it failed"), line);
            assertTrue(line.contains("java.lang.IllegalStateException: boom"), line);
        }
    }
}
