package io.zeroagents.it.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.NameServer;
import io.zeroagents.Proxy;
import io.zeroagents.testkit.AgentAwait;
import io.zeroagents.testkit.AgentHostContainer;
import io.zeroagents.testkit.NameServerContainer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.containers.Network;

/**
 * The test kit's name server container: it runs as a user other than root, is started once its
 * HEALTHCHECK ({@code agents ping}) passes, and serves agents of this JVM and of a host container.
 */
@Timeout(300)
class NameServerContainerTest {
    @Test
    void nameServerContainer_healthyAndNotRoot_registersAgentsFromHereAndFromAHost() {
        DockerHosts.requireDocker();
        try (Network network = Network.newNetwork();
             NameServerContainer registry = new NameServerContainer(network, "registry");
             AgentHostContainer host = new AgentHostContainer(network, "worker-host")
                     .withAgents(Collector.class, "Remote").withAgentsRegisteredAt(registry)) {
            registry.start();
            host.start();
            assertEquals("healthy", registry.getCurrentContainerInfo().getState().getHealth().getStatus());
            String user = registry.getContainerInfo().getConfig().getUser();
            assertNotEquals("", user);
            assertNotEquals("root", user);
            assertNotEquals("0", user.split(":")[0]);

            NameServer ns = registry.nameServer();
            Proxy local = Agents.runAgent("Local", AgentOptions.builder().nameServer(ns.address()).build());
            assertEquals(true, AgentAwait.until(() -> ns.agents().equals(List.of("Local", "Remote")),
                    Duration.ofSeconds(30)), () -> "agents: " + ns.agents());
            assertEquals("pong", ns.proxy("Remote").ping());
            local.shutdown();
            ns.close();
        }
    }
}
