package io.zeroagents.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.Agents;
import io.zeroagents.Proxy;
import io.zeroagents.testkit.NameServerExtension;
import io.zeroagents.testing.AgentAwait;
import io.zeroagents.testsupport.SystemProperties;
import java.time.Duration;
import java.util.List;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.ConfigurationFactory;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** osBrain's logger agent: agents set to log to it, and plain Log4j through the ZeroMqPublisher appender. */
@Timeout(30)
class LoggerAgentTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final NameServerExtension ns = new NameServerExtension();

    @Test
    void setLogger_agentLogLines_areKeptPerLevel() {
        Proxy logger = Agents.runLogger("Logger");
        Proxy worker = Agents.runAgent("Worker");
        worker.setLogger(logger);
        assertTrue(AgentAwait.loggerSynced(worker, logger, WAIT));

        worker.log("INFO", "started");
        worker.log("WARNING", "slow disk");
        worker.log("ERROR", "disk gone");

        assertTrue(AgentAwait.loggerLine(logger, "INFO", "[Worker] started", WAIT));
        assertTrue(AgentAwait.loggerLine(logger, "WARN", "[Worker] slow disk", WAIT));
        assertTrue(AgentAwait.loggerLine(logger, "ERROR", "[Worker] disk gone", WAIT));
        assertFalse(AgentAwait.loggerLine(logger, "INFO", "disk gone", Duration.ofMillis(200)),
                "each level keeps its own lines");
        assertTrue(AgentAwait.attr(logger, "log_history",
                lines -> lines instanceof List<?> all && all.size() >= 3, WAIT));
    }

    @Test
    void zeroMqPublisherAppender_plainLog4jConfiguration_feedsTheLoggerAgent() throws Exception {
        Proxy logger = Agents.runLogger("Logger");
        String endpoint = logger.addr(Agents.LOGGER_ALIAS).endpoint();
        LoggerContext context = new LoggerContext("appender-to-logger");
        SystemProperties.run("zeroagents.test.logger.endpoint", endpoint, () -> {
            ConfigurationSource source = ConfigurationSource.fromResource("appender-to-logger.xml",
                    getClass().getClassLoader());
            context.start(ConfigurationFactory.getInstance().getConfiguration(context, source));
        });
        try {
            Logger billing = context.getLogger("app.Billing");
            // A new PUB connection drops what it sends before the subscriber has joined: sync first.
            assertTrue(AgentAwait.until(() -> {
                billing.info("sync");
                return AgentAwait.loggerLine(logger, "INFO", "sync", Duration.ofMillis(50));
            }, WAIT));

            billing.warn("invoice 7 late");
            billing.error("invoice 8 lost");

            assertTrue(AgentAwait.loggerLine(logger, "WARN", "[Billing] invoice 7 late", WAIT));
            assertTrue(AgentAwait.loggerLine(logger, "ERROR", "[Billing] invoice 8 lost", WAIT));
        } finally {
            context.stop();
        }
    }
}
