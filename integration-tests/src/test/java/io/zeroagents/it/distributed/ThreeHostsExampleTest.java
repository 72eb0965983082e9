package io.zeroagents.it.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.NameServer;
import io.zeroagents.testkit.AgentAwait;
import io.zeroagents.testkit.AgentHostContainer;
import io.zeroagents.testkit.HostGroup;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.containers.Network;

/** The test kit's example (docs/guide/testing.md): three federated hosts, one killed and restarted. */
@Timeout(600)
class ThreeHostsExampleTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void federatedHosts_oneKilledAndRestarted_itsAgentLeavesAndComesBackEverywhere() {
        DockerHosts.requireDocker();
        try (Network network = Network.newNetwork();
             HostGroup<AgentHostContainer> hosts = HostGroup.start(Stream.of("a", "b", "c")
                     .map(h -> new AgentHostContainer(network, "host-" + h).withAgents(Collector.class, h + "1")
                             .withFederation("host-a", "host-b", "host-c")).toList());
             NameServer ns = hosts.get(0).nameServer()) {
            assertTrue(AgentAwait.until(() -> ns.agents().equals(List.of("a1", "b1", "c1")), WAIT), "all joined");
            hosts.get(2).kill();
            assertTrue(AgentAwait.until(() -> ns.agents().equals(List.of("a1", "b1")), WAIT), "c1 left");
            hosts.get(2).restart();
            assertTrue(AgentAwait.until(() -> ns.agents().equals(List.of("a1", "b1", "c1")), WAIT), "c1 back");
            assertEquals("pong", ns.proxy("c1").ping());
        }
    }
}
