package io.zeroagents.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentAddress;
import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.DuplicateAgentNameException;
import io.zeroagents.NameServer;
import io.zeroagents.NameServerException;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.UnknownAgentException;
import io.zeroagents.UnknownAliasException;
import io.zeroagents.testsupport.Await;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class NameServerTest {
    private final List<NameServer> started = new java.util.ArrayList<>();

    private NameServer runNameServer() {
        NameServer ns = Agents.runNameServer();
        started.add(ns);
        return ns;
    }

    @AfterEach
    void shutDown() {
        started.forEach(NameServer::shutdown);
    }

    @Test
    void runNameServer_bindsRandomLoopbackPort() {
        NameServer ns = runNameServer();

        assertTrue(ns.address().matches("tcp://127\\.0\\.0\\.1:\\d+"), ns.address());
        assertEquals(List.of(), ns.agents());
    }

    @Test
    void close_attachedHandle_leavesNameServerAndAgentsRunning() {
        NameServer ns = runNameServer();
        Proxy alice = Agents.runAgent("Alice");
        try (NameServer attached = Agents.nameServer(ns.address())) {
            assertEquals(List.of("Alice"), attached.agents());
        }
        assertEquals("pong", alice.ping());
        assertEquals(List.of("Alice"), ns.agents());
    }

    @Test
    void agents_listsRegisteredAgentsSorted() {
        NameServer ns = runNameServer();
        Agents.runAgent("Charlie");
        Agents.runAgent("Alice");
        Agents.runAgent("Bob");

        assertEquals(List.of("Alice", "Bob", "Charlie"), ns.agents());
    }

    @Test
    void runAgent_duplicateName_isRefusedWithClearError() {
        NameServer ns = runNameServer();
        Agents.runAgent("Alice");

        DuplicateAgentNameException refused = assertThrows(DuplicateAgentNameException.class,
                () -> Agents.runAgent("Alice"));

        assertTrue(refused.getMessage().contains("'Alice'"), refused.getMessage());
        assertEquals(List.of("Alice"), ns.agents());
    }

    @Test
    void addr_boundAlias_returnsRegisteredAddress() {
        NameServer ns = runNameServer();
        Proxy alice = Agents.runAgent("Alice");
        AgentAddress bound = alice.bind(Pattern.PUSH, "main");

        assertEquals(bound, ns.addr("Alice", "main"));
    }

    @Test
    void addr_closedSocketOrUnknownAgent_isRefused() {
        NameServer ns = runNameServer();
        Proxy alice = Agents.runAgent("Alice");
        alice.bind(Pattern.PUSH, "main");
        alice.close("main");

        assertThrows(UnknownAliasException.class, () -> ns.addr("Alice", "main"));
        UnknownAgentException unknown = assertThrows(UnknownAgentException.class, () -> ns.addr("Nobody", "main"));
        assertTrue(unknown.getMessage().contains("'Nobody'"), unknown.getMessage());
        assertThrows(UnknownAgentException.class, () -> ns.proxy("Nobody"));
    }

    @Test
    void shutdownAgents_stopsEveryAgentAndEmptiesRegistry() {
        NameServer ns = runNameServer();
        Proxy a = Agents.runAgent("A");
        Proxy b = Agents.runAgent("B");

        ns.shutdownAgents();

        assertFalse(a.isRunning());
        assertFalse(b.isRunning());
        assertEquals(List.of(), ns.agents());
    }

    @Test
    void shutdown_stopsEveryAgentRegisteredThere() {
        NameServer ns = Agents.runNameServer();
        Proxy a = Agents.runAgent("Agent0");
        Proxy b = Agents.runAgent("Agent1");
        a.each(java.time.Duration.ofMillis(50), self -> self.logInfo("tick"));

        ns.shutdown();

        assertFalse(a.isRunning());
        assertFalse(b.isRunning());
    }

    @Test
    void shutdown_calledFromAgentsOwnHandler_stopsEveryAgentAndFreesThePort() {
        NameServer ns = Agents.runNameServer();
        Proxy boss = Agents.runAgent("Boss");
        Proxy worker = Agents.runAgent("Worker");
        boss.bind(Pattern.PULL, "in");
        boss.setMethod("endAll", (self, args) -> {
            ns.shutdown();
            return null;
        });

        boss.oneway().call("endAll");

        Await.until(() -> !boss.isRunning() && !worker.isRunning(), "every agent to stop");
        int port = Integer.parseInt(ns.address().substring(ns.address().lastIndexOf(':') + 1));
        Await.until(() -> !listening(port), "the name server's port to close");
    }

    private static boolean listening(int port) {
        try {
            new java.net.Socket("127.0.0.1", port).close();
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void shutdown_agentOfOtherNameServer_keepsRunning() {
        NameServer first = runNameServer();
        NameServer second = runNameServer();
        Proxy onFirst = Agents.runAgent("Keeper", AgentOptions.builder().nameServer(first.address()).build());
        Proxy onSecond = Agents.runAgent("Goner", AgentOptions.builder().nameServer(second.address()).build());

        second.shutdown();

        assertFalse(onSecond.isRunning());
        assertTrue(onFirst.isRunning());
        assertEquals(List.of("Keeper"), first.agents());
    }

    @Test
    void nameServer_attachByAddress_seesSameAgents() {
        NameServer ns = runNameServer();
        Agents.runAgent("Alice").bind(Pattern.PULL, "in");

        NameServer attached = Agents.nameServer(ns.address());

        assertEquals(List.of("Alice"), attached.agents());
        assertEquals(ns.addr("Alice", "in"), attached.addr("Alice", "in"));
        assertEquals("pong", attached.proxy("Alice").ping());
    }

    @Test
    void nameServer_nothingListening_failsNamingAddress() {
        NameServerException failure = assertThrows(NameServerException.class,
                () -> Agents.nameServer("tcp://127.0.0.1:1"));

        assertTrue(failure.getMessage().contains("tcp://127.0.0.1:1"), failure.getMessage());
    }

    @Test
    void shutdown_agentItself_releasesItsName() {
        NameServer ns = runNameServer();
        Proxy alice = Agents.runAgent("Alice");

        alice.shutdown();

        Await.until(() -> ns.agents().isEmpty(), "Alice to leave the registry");
        assertEquals("pong", Agents.runAgent("Alice").ping());
    }
}
