package io.zeroagents.log4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.testsupport.SystemProperties;
import io.zeroagents.transport.CurveKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/**
 * The appender with CURVE: subscribers holding the system's keys receive its events, plain-text
 * ones receive nothing; keys come from the {@code curveDir} attribute or the
 * {@code zeroagents.curve.dir} setting. Without keys, binding beyond loopback is refused.
 */
@Timeout(60)
class ZeroMqPublisherCurveTest {
    private static final String LOGGER = "io.zeroagents.test.Curve";
    /** How long a plain subscriber listens for what it must not receive. */
    private static final Duration SILENCE = Duration.ofSeconds(2);

    @TempDir
    Path keysDir;
    private CurveKeys keys;

    @BeforeEach
    void makeKeys() throws IOException {
        keys = CurveKeys.init(keysDir, "log-host");
    }

    @Test
    void append_boundWithCurveDir_curveSubscriberReceivesAndPlainSubscriberDoesNot() {
        try (TestLogging logging = TestLogging.withAttributes("curve-bound", Map.of("endpoint", "tcp://127.0.0.1:*",
                "bind", "true", "curveDir", keysDir.toString()))) {
            String endpoint = logging.appender().lastEndpoint();
            Logger logger = logging.logger(LOGGER);
            try (LogSubscriber holder = LogSubscriber.connectedWithCurve(endpoint, keys);
                 LogSubscriber stranger = LogSubscriber.connectedTo(endpoint)) {
                holder.syncWith(logger, Level.INFO);

                logger.warn("sealed line");

                assertEquals("sealed line", holder.awaitLineContaining("sealed line").line());
                long deadline = System.nanoTime() + SILENCE.toNanos();
                while (System.nanoTime() - deadline < 0) {
                    logger.warn("another sealed line");
                    assertNull(stranger.receive(Duration.ofMillis(100)), "a plain-text subscriber got a log event");
                }
            }
        }
    }

    @Test
    @ResourceLock(Resources.SYSTEM_PROPERTIES)
    void append_connectedWithCurveSetting_reachesACurveSubscriber() {
        try (LogSubscriber holder = LogSubscriber.boundWithCurve(keys);
             TestLogging logging = SystemProperties.with("zeroagents.curve.dir", keysDir.toString(),
                     () -> TestLogging.withAttributes("curve-setting", Map.of("endpoint", holder.endpoint())))) {
            Logger logger = logging.logger(LOGGER);
            holder.syncWith(logger, Level.INFO);

            logger.error("through the setting's keys");

            assertEquals("ERROR", holder.awaitLineContaining("through the setting's keys").topic());
        }
    }

    @Test
    void append_connectedWithoutCurve_getsNothingIntoACurveSubscriber() {
        try (LogSubscriber holder = LogSubscriber.boundWithCurve(keys);
             TestLogging logging = TestLogging.withAttributes("plain-to-curve", Map.of("endpoint", holder.endpoint()))) {
            Logger logger = logging.logger(LOGGER);
            long deadline = System.nanoTime() + SILENCE.toNanos();
            while (System.nanoTime() - deadline < 0) {
                logger.warn("plain line");
                assertNull(holder.receive(Duration.ofMillis(100)), "a plain-text appender got through");
            }
        }
    }

    @Test
    void start_bindBeyondLoopbackWithoutCurve_isRefusedNamingTheSettings() {
        try (StatusCapture status = StatusCapture.open();
             TestLogging logging = TestLogging.withAttributes("plain-wildcard", Map.of("endpoint", "tcp://0.0.0.0:*",
                     "bind", "true"))) {
            assertNull(logging.appender().lastEndpoint(), "the appender bound a wildcard in plain text");
            List<String> errors = status.messagesContaining(Level.ERROR, "tcp://0.0.0.0:*");
            assertEquals(1, errors.size(), () -> "errors: " + status.messages(Level.ERROR));
            assertTrue(errors.getFirst().contains("curveDir") && errors.getFirst().contains("zeroagents.curve.dir")
                    && errors.getFirst().contains("zeroagents.insecure.no.curve"), errors.getFirst());
        }
    }
}
