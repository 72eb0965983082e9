package io.zeroagents.it.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.DuplicateAgentNameException;
import io.zeroagents.NameServer;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.SocketHandler;
import io.zeroagents.testing.AgentAwait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import io.zeroagents.testkit.AgentHostContainer;
import org.testcontainers.containers.Network;

/**
 * Three hosts, each with its own name server, federated through Hazelcast, and agents registered
 * with their own host's name server. Any name server sees every agent; hosts die, come back, freeze
 * and are cut off, and afterwards nothing is stale and nothing is lost.
 */
@Timeout(600)
class FederatedHostsTest {
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final List<String> ALL = List.of("A1", "A2", "B1", "B2", "C1", "C2");

    private Network network;
    private final Map<String, AgentHostContainer> hosts = new java.util.LinkedHashMap<>();
    private final List<NameServer> attached = new ArrayList<>();

    @BeforeEach
    void startFederation() {
        DockerHosts.requireDocker();
        network = Network.newNetwork();
        for (String host : List.of("host1", "host2", "host3")) {
            String letter = host.equals("host1") ? "A" : host.equals("host2") ? "B" : "C";
            hosts.put(host, new AgentHostContainer(network, host)
                    .withAgents(Collector.class, letter + "1", letter + "2").withFederation("host1", "host2", "host3"));
        }
        hosts.values().parallelStream().forEach(AgentHostContainer::start);
        for (String host : hosts.keySet()) {
            assertTrue(AgentAwait.until(() -> ns(host).agents().equals(ALL), SETTLE),
                    () -> host + " sees " + ns(host).agents());
        }
    }

    @AfterEach
    void stopFederation() {
        attached.forEach(NameServer::close);
        hosts.values().forEach(AgentHostContainer::stop);
        if (network != null) {
            network.close();
        }
    }

    private NameServer ns(String host) {
        NameServer nameServer = hosts.get(host).nameServer();
        attached.add(nameServer);
        return nameServer;
    }

    private static List<?> received(Proxy agent) {
        return agent.call(List.class, "received");
    }

    @Test
    void pushPullReqRepPubSub_acrossHosts_throughEachHostsOwnNameServer() {
        NameServer ns2 = ns("host2");
        NameServer ns3 = ns("host3");
        Proxy sink = ns3.proxy("C1");
        sink.bind(Pattern.PULL, "in", SocketHandler.method("collect"));
        Proxy source = ns2.proxy("A1");
        source.connect(ns2.addr("C1", "in"), "out");
        IntStream.range(0, 50).forEach(i -> source.send("out", "m" + i));
        List<String> expected = IntStream.range(0, 50).mapToObj(i -> "m" + i).toList();
        assertTrue(AgentAwait.until(() -> expected.equals(received(sink)), SETTLE), () -> "C1 got " + received(sink));

        ns("host1").proxy("B2").bind(Pattern.REP, "svc", SocketHandler.method("answer"));
        Proxy client = ns3.proxy("C2");
        client.connect(ns3.addr("B2", "svc"), "svc");
        assertEquals("q from B2", client.sendRecv("svc", "q", String.class));

        Proxy publisher = ns2.proxy("A2");
        publisher.bind(Pattern.PUB, "news");
        Proxy listener = ns("host1").proxy("B1");
        listener.connect(ns3.addr("A2", "news"), "news", SocketHandler.method("collect"));
        assertTrue(AgentAwait.until(() -> {
            publisher.send("news", "t", "hello");
            return received(listener).contains("hello");
        }, SETTLE));
    }

    @Test
    void hostKilledAndRestarted_itsAgentsVanishThenComeBackEverywhere() {
        AgentHostContainer host3 = hosts.get("host3");
        host3.kill();
        List<String> withoutHost3 = List.of("A1", "A2", "B1", "B2");
        for (String host : List.of("host1", "host2")) {
            assertTrue(AgentAwait.until(() -> ns(host).agents().equals(withoutHost3), SETTLE),
                    () -> host + " still sees " + ns(host).agents());
        }
        host3.stop();
        host3.start();
        for (String host : hosts.keySet()) {
            assertTrue(AgentAwait.until(() -> ns(host).agents().equals(ALL), SETTLE),
                    () -> host + " sees " + ns(host).agents() + " after host3 came back");
        }
        assertEquals("pong", ns("host1").proxy("C1").ping(), "the restarted host's agent is reachable from host1");
    }

    @Test
    void hostPausedAndUnpaused_nothingLostNothingStale() {
        AgentHostContainer host2 = hosts.get("host2");
        DockerHosts.client().pauseContainerCmd(host2.getContainerId()).exec();
        try {
            assertTrue(AgentAwait.until(() -> ns("host1").agents().equals(List.of("A1", "A2", "C1", "C2")), SETTLE),
                    () -> "host1 sees " + ns("host1").agents());
        } finally {
            DockerHosts.client().unpauseContainerCmd(host2.getContainerId()).exec();
        }
        for (String host : hosts.keySet()) {
            assertTrue(AgentAwait.until(() -> ns(host).agents().equals(ALL), SETTLE),
                    () -> host + " sees " + ns(host).agents() + " after the unpause");
        }
    }

    @Test
    void hostCutOffThenReconnected_changesOnEitherSideAreSeenEverywhere() {
        AgentHostContainer host3 = hosts.get("host3");
        // Attached before the cut: while its federation notices the lost member, host1's name server
        // may not answer for a few seconds (a CI run's attach timed out then), which the wait below
        // tolerates and a fresh attach does not.
        NameServer ns1 = ns("host1");
        DockerHosts.client().disconnectFromNetworkCmd().withNetworkId(network.getId())
                .withContainerId(host3.getContainerId()).exec();
        assertTrue(AgentAwait.until(() -> ns1.agents().equals(List.of("A1", "A2", "B1", "B2")), SETTLE),
                () -> "host1 sees " + ns1.agents());
        // During the partition: one agent leaves, one joins, on host1's side.
        ns1.proxy("A2").shutdown();
        Proxy newcomer = Agents.runAgent("Newcomer", AgentOptions.builder().nameServer(ns1.address()).build());
        DockerHosts.client().connectToNetworkCmd().withNetworkId(network.getId())
                .withContainerId(host3.getContainerId())
                .withContainerNetwork(new com.github.dockerjava.api.model.ContainerNetwork()
                        .withAliases("host3").withIpamConfig(null))
                .exec();
        List<String> healed = List.of("A1", "B1", "B2", "C1", "C2", "Newcomer");
        try {
            for (String host : List.of("host1", "host2")) {
                assertTrue(AgentAwait.until(() -> ns(host).agents().equals(healed), SETTLE),
                        () -> host + " sees " + ns(host).agents() + " after the heal");
            }
            NameServer ns3 = host3.nameServer();
            attached.add(ns3);
            assertTrue(AgentAwait.until(() -> ns3.agents().equals(healed), SETTLE),
                    () -> "host3 sees " + ns3.agents() + " after the heal");
        } finally {
            newcomer.shutdown();
        }
    }

    @Test
    void sameNameRegisteredOnTwoHostsAtOnce_exactlyOneWinnerEverywhere() throws Exception {
        NameServer ns1 = ns("host1");
        NameServer ns2 = ns("host2");
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Proxy>> racers = new ArrayList<>();
        for (NameServer nameServer : List.of(ns1, ns2)) {
            racers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Agents.runAgent("Contested", AgentOptions.builder().nameServer(nameServer.address()).build());
            }));
        }
        go.countDown();
        int won = 0;
        int refused = 0;
        for (CompletableFuture<Proxy> racer : racers) {
            try {
                racer.join().ping();
                won++;
            } catch (java.util.concurrent.CompletionException e) {
                assertTrue(e.getCause() instanceof DuplicateAgentNameException, e.toString());
                refused++;
            }
        }
        assertEquals(1, won);
        assertEquals(1, refused);
        for (String host : hosts.keySet()) {
            assertTrue(AgentAwait.until(() -> ns(host).agents().stream().filter("Contested"::equals).count() == 1,
                    SETTLE), () -> host + " sees " + ns(host).agents());
        }
        racers.stream().filter(r -> !r.isCompletedExceptionally()).forEach(r -> r.join().shutdown());
    }
}
