package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.Proxy;
import io.zeroagents.nameserver.NameServerClient;
import io.zeroagents.nameserver.NameServerService;
import io.zeroagents.nameserver.protocol.AgentEntry;
import io.zeroagents.nameserver.registry.LocalRegistry;
import io.zeroagents.nameserver.registry.OwnerKey;
import io.zeroagents.testsupport.Await;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An agent whose name another host took (here: after its lease ran out on a name server whose
 * clock the test moves; in a federation: when a split heals in the other host's favour) learns it
 * from its host's next heartbeat, and stops.
 */
@Timeout(30)
class AgentHostNameLostTest {

    @Test
    void agentWhoseNameAnotherHostHolds_isStoppedAtTheNextHeartbeat_andTheHolderKeepsTheName() {
        AtomicLong now = new AtomicLong();
        try (NameServerService server = NameServerService.builder()
                .registry(new LocalRegistry(Duration.ofSeconds(30), now::get)).start();
             NameServerClient intruder = new NameServerClient(server.address(), Duration.ofSeconds(5))) {
            Proxy bob = Agents.runAgent("Bob", AgentOptions.builder().nameServer(server.address()).build());
            assertTrue(bob.isRunning());

            // The lease runs out without the host noticing, and another host takes the name.
            now.addAndGet(TimeUnit.SECONDS.toNanos(31));
            intruder.register(AgentEntry.newBuilder().setName("Bob").setHostId("other-host")
                    .setControlEndpoint("tcp://127.0.0.1:1").build(), OwnerKey.newSecret());

            assertTrue(Await.within(Duration.ofSeconds(15), () -> !bob.isRunning()), "Bob lost his name and must stop");
            // Stopping did not unregister the name from its new holder.
            assertEquals("other-host", intruder.lookup("Bob").getHostId());
        }
    }
}
