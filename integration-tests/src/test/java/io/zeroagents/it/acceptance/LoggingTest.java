package io.zeroagents.it.acceptance;

import static io.zeroagents.it.acceptance.support.ChannelAgents.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.Agents;
import io.zeroagents.Proxy;
import io.zeroagents.testkit.NameServerExtension;
import io.zeroagents.testing.AgentAwait;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Ports osBrain's {@code osbrain/tests/test_logging.py}: an agent's log lines reach its logger
 * agent, each level in a history of its own.
 *
 * <p>Not ported: {@code test_pyro_log}, which checks the environment variables that turn on
 * Pyro's own log file; there is no Pyro here.
 */
@Timeout(30)
class LoggingTest {
    @RegisterExtension
    final NameServerExtension ns = new NameServerExtension();

    private static List<?> history(Proxy logger, String attribute) {
        return (List<?>) logger.getAttr(attribute);
    }

    /** Waits until the last line of a history contains {@code text} (osBrain's {@code position=-1}). */
    private static boolean lastLineContains(Proxy logger, String attribute, String text) {
        return AgentAwait.attr(logger, attribute, lines -> lines instanceof List<?> list && !list.isEmpty()
                && String.valueOf(list.get(list.size() - 1)).contains(text), WAIT);
    }

    @Test
    void log_atEachLevel_eachLineLandsInItsLevelsHistoryOnly() {
        Proxy agent = Agents.runAgent("agent");
        Proxy logger = Agents.runLogger("logger");
        agent.setLogger(logger);
        // osBrain's way in: log numbered INFO lines until the logger has some, then wait for the last.
        AtomicInteger i = new AtomicInteger();
        assertTrue(AgentAwait.until(() -> {
            agent.log("INFO", String.valueOf(i.incrementAndGet()));
            return !history(logger, "log_history").isEmpty();
        }, WAIT));
        assertTrue(AgentAwait.attr(logger, "log_history", lines -> lines instanceof List<?> list && !list.isEmpty()
                && String.valueOf(list.get(list.size() - 1)).endsWith("] " + i.get()), WAIT));
        int before = history(logger, "log_history").size();

        agent.log("INFO", "some information");
        agent.log("WARN", "some warning");
        agent.log("ERROR", "some error");
        agent.log("DEBUG", "some debug");

        assertTrue(lastLineContains(logger, "log_history_info", "some information"));
        assertTrue(lastLineContains(logger, "log_history_warning", "some warning"));
        assertTrue(lastLineContains(logger, "log_history_error", "some error"));
        assertTrue(lastLineContains(logger, "log_history_debug", "some debug"));
        assertEquals(1 + before, history(logger, "log_history_info").size());
        assertEquals(1, history(logger, "log_history_warning").size());
        assertEquals(1, history(logger, "log_history_error").size());
        assertEquals(1, history(logger, "log_history_debug").size());
    }
}
