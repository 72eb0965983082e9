package io.zeroagents.it.acceptance;

import static io.zeroagents.it.acceptance.support.AcceptanceAgents.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentAddress;
import io.zeroagents.AgentOptions;
import io.zeroagents.AgentTimeoutException;
import io.zeroagents.Agents;
import io.zeroagents.DuplicateAgentNameException;
import io.zeroagents.NameServer;
import io.zeroagents.NameServerException;
import io.zeroagents.NameServerOptions;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.UnknownAgentException;
import io.zeroagents.it.acceptance.support.AcceptanceAgents;
import io.zeroagents.testkit.NameServerExtension;
import io.zeroagents.testing.AgentAwait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ports osBrain's {@code osbrain/tests/test_nameserver.py}: registration and listing of agents,
 * unique names, addresses by name, and shutting agents and name servers down.
 *
 * <p>Scenarios skipped, and why:
 * <ul>
 *   <li>{@code test_nameserver_proxy_shutdown_with_pyroerror}: a Pyro error; its Java counterpart, an
 *       agent killed before the name server shuts down, is ported.</li>
 *   <li>{@code test_nameserverprocess_shutdown_lazy_agents}: the same as the lazy-agent scenario
 *       through the other handle, ported once.</li>
 *   <li>{@code test_nameserver_sigint_shutdown}, {@code test_nameserver_sigint_kill}: signals to
 *       name-server processes; the daemon's SIGTERM is covered by {@code MultiProcessTest}.</li>
 *   <li>{@code test_random_nameserver_process}: there is no port-range option, only random ports.</li>
 *   <li>{@code test_nameserver_permissionerror}: these tests may run as root, who may bind port 22.</li>
 *   <li>{@code test_run_nameserver_base}, {@code test_nameserver_spawn_process}: name servers are not
 *       user-extensible classes, and Python daemonic processes do not apply.</li>
 * </ul>
 */
@Timeout(60)
class NameServerAcceptanceTest {
    @RegisterExtension
    final NameServerExtension ns = new NameServerExtension();

    @Test
    void agents_freshNameServer_listsNoAgent() {
        assertEquals(List.of(), Agents.nameServer(ns.nameServer().address()).agents());
    }

    @Test
    void agents_agentsRunWithTheNameServersAddress_areListed() {
        String address = ns.nameServer().address();
        Agents.runAgent("a0", AgentOptions.builder().nameServer(address).build());
        Agents.runAgent("a1", AgentOptions.builder().nameServer(address).build());

        assertEquals(List.of("a0", "a1"), Agents.nameServer(address).agents());
    }

    @Test
    void runAgent_nameAlreadyRegistered_isRefused() {
        Agents.runAgent("name");

        DuplicateAgentNameException error = assertThrows(DuplicateAgentNameException.class,
                () -> Agents.runAgent("name"));

        assertTrue(error.getMessage().contains("name"), error.getMessage());
        assertEquals(List.of("name"), ns.nameServer().agents());
    }

    @Test
    void ping_runningNameServer_answersPong() {
        assertEquals("pong", ns.nameServer().ping());
        assertEquals("pong", Agents.nameServer(ns.nameServer().address()).ping());
    }

    @Test
    void ping_nameServerShutDown_failsNamingItsAddress() {
        NameServer own = Agents.runNameServer();
        NameServer attached = Agents.nameServer(own.address());
        own.shutdown();

        NameServerException error = assertThrows(NameServerException.class, attached::ping);

        assertTrue(error.getMessage().contains(own.address()), error.getMessage());
    }

    @Test
    void proxyWithTimeout_agentRegisteringWhileItWaits_returnsItsProxy() throws Exception {
        NameServer nameServer = ns.nameServer();
        CompletableFuture<Proxy> found = CompletableFuture.supplyAsync(() -> nameServer.proxy("late", WAIT));

        Agents.runAgent("late");

        assertEquals("pong", found.get(WAIT.toSeconds() + 5, TimeUnit.SECONDS).ping());
    }

    @Test
    void proxyWithTimeout_agentAlreadyRegistered_returnsAtOnce() {
        Agents.runAgent("early");

        assertEquals("early", ns.nameServer().proxy("early", Duration.ZERO).name());
    }

    @Test
    void proxyWithTimeout_noSuchAgent_failsAfterTheTimeoutNamingTheAgent() {
        Agents.runAgent("other");

        long t0 = System.nanoTime();
        UnknownAgentException error = assertThrows(UnknownAgentException.class,
                () -> ns.nameServer().proxy("missing", Duration.ofMillis(300)));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);

        assertTrue(elapsed.compareTo(Duration.ofMillis(300)) >= 0, "gave up after only " + elapsed);
        assertTrue(elapsed.compareTo(Duration.ofSeconds(3)) < 0, "took " + elapsed);
        assertTrue(error.getMessage().contains("'missing'"), error.getMessage());
        assertTrue(error.getMessage().contains("other"), error.getMessage());
    }

    @Test
    void shutdownWithTimeout_agentsStopInTime_endsThemAndTheNameServer() {
        NameServer own = Agents.runNameServer();
        Proxy a0 = Agents.runAgent("a0", AgentOptions.builder().nameServer(own.address()).build());

        own.shutdown(WAIT);

        assertTrue(AgentAwait.death(a0, WAIT));
        assertThrows(NameServerException.class, () -> Agents.nameServer(own.address()).agents());
    }

    @Test
    void shutdownWithTimeout_lazyAgentOutlastsIt_throwsNamingItAndTheNameServerServesOn() {
        NameServer own = Agents.runNameServer();
        Proxy lazy = lazyAgent("lazy", own.address(), Duration.ofSeconds(3));

        long t0 = System.nanoTime();
        AgentTimeoutException error = assertThrows(AgentTimeoutException.class,
                () -> own.shutdown(Duration.ofMillis(300)));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);

        assertTrue(elapsed.compareTo(Duration.ofSeconds(2)) < 0, "shutdown(300 ms) took " + elapsed);
        assertTrue(error.getMessage().contains("lazy"), error.getMessage());
        assertEquals("pong", own.ping());
        assertTrue(AgentAwait.death(lazy, WAIT));
        own.shutdown(WAIT);
        assertThrows(NameServerException.class, () -> Agents.nameServer(own.address()).agents());
    }

    @Test
    void shutdown_noAgents_stopsTheNameServer() {
        NameServer own = Agents.runNameServer();

        own.shutdown();

        assertThrows(NameServerException.class, () -> Agents.nameServer(own.address()).agents());
    }

    @Test
    void shutdownAgents_twoAgents_unregistersThemAndKeepsServing() {
        Proxy agent0 = Agents.runAgent("Agent0");
        Proxy agent1 = Agents.runAgent("Agent1");

        ns.nameServer().shutdownAgents();

        assertEquals(List.of(), ns.nameServer().agents());
        assertFalse(agent0.isRunning());
        assertFalse(agent1.isRunning());
    }

    @Test
    void shutdown_withAgents_endsEveryAgent() {
        NameServer own = Agents.runNameServer();
        Proxy agent0 = Agents.runAgent("Agent0", AgentOptions.builder().nameServer(own.address()).build());
        Proxy agent1 = Agents.runAgent("Agent1", AgentOptions.builder().nameServer(own.address()).build());

        own.shutdown();

        assertTrue(AgentAwait.death(agent0, WAIT));
        assertTrue(AgentAwait.death(agent1, WAIT));
    }

    @Test
    void shutdown_manyAgents_endsThemAll() {
        NameServer own = Agents.runNameServer();
        List<Proxy> agents = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            agents.add(Agents.runAgent("Agent" + i, AgentOptions.builder().nameServer(own.address()).build()));
        }

        own.shutdown();

        for (Proxy agent : agents) {
            assertTrue(AgentAwait.death(agent, WAIT), agent.name());
        }
    }

    /** Starts an agent that is busy for {@code busy} when this returns (osBrain's {@code Lazy} agent). */
    private static Proxy lazyAgent(String name, String nameServer, Duration busy) {
        Proxy agent = Agents.runAgent(name, AgentOptions.builder().nameServer(nameServer).build());
        agent.setAttr("busy", false);
        agent.after(Duration.ZERO, self -> {
            self.setAttr("busy", true);
            AcceptanceAgents.letTimePass(busy);
        });
        assertTrue(AgentAwait.attrEquals(agent.unsafe(), "busy", true, WAIT));
        return agent;
    }

    @ParameterizedTest(name = "agents busy for {0} ms")
    @ValueSource(longs = {1000, 2500})
    void shutdown_lazyAgents_waitsForThemAndEndsThem(long busyMillis) {
        Duration busy = Duration.ofMillis(busyMillis);
        NameServer own = Agents.runNameServer();
        Proxy a0 = lazyAgent("a0", own.address(), busy);
        Proxy a1 = lazyAgent("a1", own.address(), busy);

        long t0 = System.nanoTime();
        own.shutdown();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);

        assertTrue(elapsed.compareTo(busy.dividedBy(2)) > 0, "shutdown took only " + elapsed);
        assertTrue(elapsed.compareTo(busy.plusSeconds(3)) < 0, "shutdown took " + elapsed);
        assertTrue(AgentAwait.death(a0, WAIT));
        assertTrue(AgentAwait.death(a1, WAIT));
    }

    @Test
    void shutdownAgents_limitShorterThanLazyAgents_throwsTimeoutInTimeAndShutdownStillSucceeds() {
        NameServer own = Agents.runNameServer();
        List<Proxy> agents = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            agents.add(lazyAgent("Agent" + i, own.address(), Duration.ofSeconds(4)));
        }

        long t0 = System.nanoTime();
        assertThrows(AgentTimeoutException.class, () -> own.shutdownAgents(Duration.ofMillis(300)));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);

        assertTrue(elapsed.compareTo(Duration.ofSeconds(2)) < 0, "shutdownAgents(300 ms) took " + elapsed);
        own.shutdown();
        for (Proxy agent : agents) {
            assertTrue(AgentAwait.death(agent, WAIT), agent.name());
        }
    }

    @Test
    void shutdownAgents_limitShorterThanALazyAgent_namesTheAgentNotYetShutDown() {
        lazyAgent("a0", ns.nameServer().address(), Duration.ofSeconds(3));

        AgentTimeoutException error = assertThrows(AgentTimeoutException.class,
                () -> ns.nameServer().shutdownAgents(Duration.ofMillis(300)));

        assertTrue(error.getMessage().contains("a0"), error.getMessage());
    }

    @Test
    void shutdown_afterAnAgentWasKilled_stillEndsTheOthers() {
        NameServer own = Agents.runNameServer();
        Proxy killed = Agents.runAgent("killed", AgentOptions.builder().nameServer(own.address()).build());
        Proxy other = Agents.runAgent("other", AgentOptions.builder().nameServer(own.address()).build());
        killed.kill();

        own.shutdown();

        assertTrue(AgentAwait.death(killed, WAIT));
        assertTrue(AgentAwait.death(other, WAIT));
    }

    @Test
    void shutdown_stoppedAgent_endsIt() {
        NameServer own = Agents.runNameServer();
        Proxy william = Agents.runAgent("william", AgentOptions.builder().nameServer(own.address()).build());
        william.stop();
        assertTrue(AgentAwait.until(() -> !william.isRunning(), WAIT));

        own.shutdown();

        assertTrue(AgentAwait.death(william, WAIT));
    }

    /**
     * osBrain's name-server process shutdown, through a handle attached by address: the agents end;
     * an embedded name server itself ends only when the program that embeds it says so.
     */
    @Test
    void shutdown_throughAnAttachedHandle_endsTheAgents() {
        NameServer own = Agents.runNameServer();
        Proxy a0 = Agents.runAgent("a0", AgentOptions.builder().nameServer(own.address()).build());
        Proxy a1 = Agents.runAgent("a1", AgentOptions.builder().nameServer(own.address()).build());
        NameServer attached = Agents.nameServer(own.address());
        assertEquals(List.of("a0", "a1"), attached.agents());

        try {
            attached.shutdown();

            assertTrue(AgentAwait.death(a0, WAIT));
            assertTrue(AgentAwait.death(a1, WAIT));
            assertEquals(List.of(), own.agents());
        } finally {
            own.shutdown();
        }
    }

    @Test
    void nameServer_startedAMomentLater_isLocatedOnceItServes() throws Exception {
        String address = "tcp://127.0.0.1:" + AcceptanceAgents.freePort();
        CompletableFuture<NameServer> later = CompletableFuture.supplyAsync(() -> {
            AcceptanceAgents.letTimePass(Duration.ofSeconds(1));
            return Agents.runNameServer(NameServerOptions.builder().address(address).build());
        });
        try {
            assertEquals(List.of(), Agents.nameServer(address).agents());
        } finally {
            later.get(30, TimeUnit.SECONDS).shutdown();
        }
    }

    @Test
    void runNameServer_defaultAddress_isLoopbackWithARealPort() {
        String address = ns.nameServer().address();

        assertTrue(address.matches("tcp://127\\.0\\.0\\.1:[1-9][0-9]*"), address);
    }

    @Test
    void runAgent_withoutNameServerOption_registersWithTheLatestNameServer() {
        Agents.runAgent("a0");
        Agents.runAgent("a1");

        assertEquals(List.of("a0", "a1"), ns.nameServer().agents());
    }

    @Test
    void agents_asAgentsRegister_growsOneByOne() {
        NameServer nameServer = ns.nameServer();
        assertEquals(List.of(), nameServer.agents());

        Agents.runAgent("Agent0");
        assertEquals(List.of("Agent0"), nameServer.agents());

        Agents.runAgent("Agent1");
        assertEquals(List.of("Agent0", "Agent1"), nameServer.agents());
    }

    @Test
    void addr_agentAndSocketAlias_returnsTheBoundAddress() {
        AgentAddress addr0 = Agents.runAgent("a0").bind(Pattern.PUB, "foo");
        AgentAddress addr1 = Agents.runAgent("a1").bind(Pattern.PUSH, "bar");

        assertEquals(addr0, ns.nameServer().addr("a0", "foo"));
        assertEquals(addr1, ns.nameServer().addr("a1", "bar"));
    }

    @Test
    void runNameServer_addressAlreadyInUse_fails() {
        NameServerOptions taken = NameServerOptions.builder().address(ns.nameServer().address()).build();

        NameServerException error = assertThrows(NameServerException.class, () -> Agents.runNameServer(taken));

        assertTrue(error.getMessage().contains(ns.nameServer().address()), error.getMessage());
    }
}
