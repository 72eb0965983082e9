package io.zeroagents.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.NameServer;
import io.zeroagents.Proxy;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The kit's AgentAwait waits as agent-api's does, on a real agent. */
@Timeout(30)
class AgentAwaitTest {
    @Test
    void attrEquals_valueSetByTheAgent_isSeen(@EmbeddedNameServer NameServer ns) {
        Proxy agent = Agents.runAgent("Counter", AgentOptions.builder().nameServer(ns.address()).build());
        agent.setAttr("count", 3);

        assertTrue(AgentAwait.attrEquals(agent, "count", 3, Duration.ofSeconds(5)));
        assertFalse(AgentAwait.attrEquals(agent, "count", 4, Duration.ofMillis(50)), "a value never set is not seen");
    }

    @Test
    void death_agentShutDown_isSeen(@EmbeddedNameServer NameServer ns) {
        Proxy agent = Agents.runAgent("Mortal", AgentOptions.builder().nameServer(ns.address()).build());
        assertFalse(AgentAwait.death(agent, Duration.ofMillis(50)));
        agent.shutdown();

        assertTrue(AgentAwait.death(agent, Duration.ofSeconds(5)));
    }
}
