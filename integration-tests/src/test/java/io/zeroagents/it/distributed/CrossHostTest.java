package io.zeroagents.it.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentAddress;
import io.zeroagents.NameServer;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.SocketHandler;
import io.zeroagents.testing.AgentAwait;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import io.zeroagents.testkit.AgentHostContainer;
import org.testcontainers.containers.Network;

/**
 * Agents on three hosts (containers on one Docker network) find each other by name through one
 * name server and talk PUSH/PULL, REQ/REP and PUB/SUB across hosts; this test's JVM configures
 * them all through remote proxies. Nothing sent is lost.
 */
@Timeout(300)
class CrossHostTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static Network network;
    private static AgentHostContainer host1;
    private static AgentHostContainer host2;
    private static AgentHostContainer host3;
    private static NameServer ns;

    @BeforeAll
    static void startHosts() {
        DockerHosts.requireDocker();
        network = Network.newNetwork();
        host1 = new AgentHostContainer(network, "host1").withAgents(Collector.class, "A1", "A2");
        host2 = new AgentHostContainer(network, "host2").withAgents(Collector.class, "B1", "B2")
                .withAgentsRegisteredAt(host1);
        host3 = new AgentHostContainer(network, "host3").withAgents(Collector.class, "C1", "C2")
                .withAgentsRegisteredAt(host1);
        // Every host made before any starts: each one's allow-list then names the others' keys.
        host1.start();
        host2.start();
        host3.start();
        ns = host1.nameServer();
    }

    @AfterAll
    static void stopHosts() {
        if (ns != null) {
            ns.close();
        }
        for (AgentHostContainer host : new AgentHostContainer[] {host3, host2, host1}) {
            if (host != null) {
                host.stop();
            }
        }
        if (network != null) {
            network.close();
        }
    }

    @Test
    void agents_onThreeHosts_areAllRegisteredOnTheSharedNameServer() {
        assertTrue(AgentAwait.until(() -> ns.agents().equals(List.of("A1", "A2", "B1", "B2", "C1", "C2")), WAIT),
                () -> "agents: " + ns.agents());
        assertEquals("host2", ns.proxy("B1").call(String.class, "hostName"));
    }

    @Test
    void pushPull_acrossHosts_byName_deliversEveryMessage() {
        Proxy sink = ns.proxy("C1");
        AgentAddress in = sink.bind(Pattern.PULL, "in", SocketHandler.method("collect"));
        assertEquals(in, ns.addr("C1", "in"));
        assertTrue(in.endpoint().startsWith("tcp://172.") || !in.endpoint().contains("0.0.0.0"), in.endpoint());
        Proxy source = ns.proxy("B1");
        source.connect(ns.addr("C1", "in"), "out");
        IntStream.range(0, 100).forEach(i -> source.send("out", "m" + i));

        List<String> expected = IntStream.range(0, 100).mapToObj(i -> "m" + i).toList();
        assertTrue(AgentAwait.until(() -> expected.equals(sink.call(List.class, "received")), WAIT),
                () -> "C1 received " + sink.call(List.class, "received"));
    }

    @Test
    void reqRep_acrossHosts_answersEveryRequest() {
        Proxy server = ns.proxy("A2");
        server.bind(Pattern.REP, "service", SocketHandler.method("answer"));
        Proxy client = ns.proxy("C2");
        client.connect(ns.addr("A2", "service"), "service");
        for (int i = 0; i < 10; i++) {
            assertEquals("q" + i + " from A2", client.sendRecv("service", "q" + i, String.class));
        }
    }

    @Test
    void pubSub_acrossHosts_reachesSubscribersOnTwoOtherHosts() {
        Proxy publisher = ns.proxy("A1");
        AgentAddress news = publisher.bind(Pattern.PUB, "news");
        Proxy b2 = ns.proxy("B2");
        Proxy c1 = ns.proxy("C1");
        b2.connect(news, "news", SocketHandler.method("collect"));
        c1.connect(news, "news-feed", SocketHandler.method("collect"));
        assertTrue(AgentAwait.until(() -> {
            publisher.send("news", "sports", "goal");
            return received(b2).contains("goal") && received(c1).contains("goal");
        }, WAIT), "both subscribers hear the publisher on another host");
    }

    private static List<?> received(Proxy agent) {
        return agent.call(List.class, "received");
    }
}
