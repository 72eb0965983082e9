package io.zeroagents.it.acceptance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.Agents;
import io.zeroagents.Proxy;
import io.zeroagents.testkit.NameServerExtension;
import io.zeroagents.testing.AgentAwait;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Ports osBrain's {@code osbrain/tests/test_bugs.py}: regressions osBrain once had.
 *
 * <p>Not ported: {@code test_slow_clean_up_socket_files}, which checks that a killed agent's IPC
 * socket files are removed even when its clean-up is slow. JeroMQ emulates {@code ipc} over
 * loopback TCP, so there are no socket files, and agents have no clean-up hook to slow down.
 */
@Timeout(90)
class BugsTest {
    /**
     * Far more ticks than Python's default recursion limit (1,000), and about as many Java frames as a
     * default thread stack holds, so a timer that recursed per tick would not get there.
     */
    private static final int TICKS = 20_000;

    @RegisterExtension
    final NameServerExtension ns = new NameServerExtension();

    @Test
    void each_tensOfThousandsOfTicks_keepsTicking() {
        Proxy agent = Agents.runAgent("a0");
        agent.setAttr("count", 0);

        agent.each(Duration.ofNanos(1_000), a -> a.setAttr("count", a.getAttr("count", Integer.class) + 1));

        // A minute: a loaded machine with two cores runs barely a thousand ticks a second.
        assertTrue(AgentAwait.attr(agent, "count", count -> (Integer) count > TICKS, Duration.ofSeconds(60)));
        assertTrue(agent.isRunning());
    }
}
