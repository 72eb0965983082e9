package io.zeroagents.it.acceptance;

import static io.zeroagents.it.acceptance.support.ChannelAgents.WAIT;
import static io.zeroagents.it.acceptance.support.ChannelAgents.received;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentAddress;
import io.zeroagents.AgentException;
import io.zeroagents.Agents;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.SocketHandler;
import io.zeroagents.UnknownAliasException;
import io.zeroagents.it.acceptance.support.ChannelAgents;
import io.zeroagents.testkit.NameServerExtension;
import io.zeroagents.testing.AgentAwait;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * osBrain's {@code send(address, message)}: an agent sends on the socket it bound to or connected to
 * an address, named by that address rather than by its alias.
 */
@Timeout(30)
class SendToAddressTest {
    private static final Duration TICK = Duration.ofMillis(50);

    @RegisterExtension
    final NameServerExtension ns = new NameServerExtension();

    private static Proxy receiver(String name) {
        return ChannelAgents.withReceivedList(Agents.runAgent(name));
    }

    @Test
    void send_theAddressAClientConnectedTo_goesOutOnThatConnection() {
        Proxy bob = receiver("Bob");
        AgentAddress addr = bob.bind(Pattern.PULL, "in", Object.class, ChannelAgents::appendReceived);
        Proxy alice = Agents.runAgent("Alice");
        alice.connect(addr, "out");

        alice.send(addr, "Hello, Bob!");

        assertTrue(AgentAwait.attrContains(bob, "received", "Hello, Bob!", WAIT));
        assertEquals("out", alice.aliasOf(addr));
    }

    @Test
    void send_theAddressConnectReturned_goesOutOnThatConnection() {
        Proxy bob = receiver("Bob");
        AgentAddress addr = bob.bind(Pattern.PULL, "in", Object.class, ChannelAgents::appendReceived);
        Proxy alice = Agents.runAgent("Alice");
        AgentAddress own = alice.connect(addr, "out");

        alice.send(own, "by the client's address");

        assertTrue(AgentAwait.attrContains(bob, "received", "by the client's address", WAIT));
    }

    @Test
    void send_theAddressTheAgentBound_goesOutOnTheBoundSocket() {
        Proxy alice = Agents.runAgent("Alice");
        AgentAddress addr = alice.bind(Pattern.PUSH, "main");
        Proxy bob = receiver("Bob");
        bob.connect(addr, "in", Object.class, ChannelAgents::appendReceived);

        alice.send(addr, "Hello, Bob!");

        assertTrue(AgentAwait.attrContains(bob, "received", "Hello, Bob!", WAIT));
    }

    @Test
    void send_topicToTheAddressOfAPub_subscribersGetItUnderThatTopic() {
        Proxy alice = Agents.runAgent("Alice");
        AgentAddress addr = alice.bind(Pattern.PUB, "pub");
        Proxy bob = receiver("Bob");
        bob.connect(addr, "sub", SocketHandler.onTopicMessage(Object.class,
                (agent, message, topic) -> received(agent).add(topic + ":" + message)));

        alice.each(TICK, agent -> agent.send(addr, "news", "headline"));

        assertTrue(AgentAwait.attrContains(bob, "received", "news:headline", WAIT));
    }

    @Test
    void aliasOf_eitherSideOfABoundAddress_findsTheBoundSocket() {
        Proxy alice = Agents.runAgent("Alice");
        AgentAddress addr = alice.bind(Pattern.PUSH, "main");

        assertEquals("main", alice.aliasOf(addr));
        assertEquals("main", alice.aliasOf(addr.twin()));
    }

    @Test
    void send_anAddressNoSocketUses_isRefusedNamingTheAgentAndItsSockets() {
        Proxy alice = Agents.runAgent("Alice");
        alice.bind(Pattern.PUSH, "main");
        AgentAddress elsewhere = Agents.runAgent("Carol").bind(Pattern.PULL, "in");

        UnknownAliasException error = assertThrows(UnknownAliasException.class, () -> alice.send(elsewhere, "lost"));

        assertTrue(error.getMessage().contains("'Alice'"), error.getMessage());
        assertTrue(error.getMessage().contains(elsewhere.endpoint()), error.getMessage());
        assertTrue(error.getMessage().contains("main"), error.getMessage());
    }

    @Test
    void send_anAddressTwoConnectionsUse_isRefusedNamingBothAliases() {
        Proxy bob = Agents.runAgent("Bob");
        AgentAddress addr = bob.bind(Pattern.PULL, "in");
        Proxy alice = Agents.runAgent("Alice");
        alice.connect(addr, "first");
        alice.connect(addr, "second");

        AgentException error = assertThrows(AgentException.class, () -> alice.send(addr, "which?"));

        assertTrue(error.getMessage().contains("first"), error.getMessage());
        assertTrue(error.getMessage().contains("second"), error.getMessage());
    }
}
