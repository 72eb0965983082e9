package io.zeroagents.nameserver.federation;

import static io.zeroagents.nameserver.TestEntries.agent;
import static io.zeroagents.nameserver.TestEntries.secret;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.zeroagents.NameServerException;
import io.zeroagents.nameserver.Attacker;
import io.zeroagents.nameserver.NameServerClient;
import io.zeroagents.nameserver.NameServerService;
import io.zeroagents.nameserver.protocol.Register;
import io.zeroagents.nameserver.protocol.Request;
import io.zeroagents.nameserver.protocol.Response;
import io.zeroagents.nameserver.protocol.Status;
import io.zeroagents.nameserver.protocol.Unregister;
import io.zeroagents.nameserver.registry.OwnerKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Someone who floods one federated name server with registrations (a plain DEALER speaking the
 * name-server protocol by hand, {@link Attacker}) fills the federation up to its limits and no
 * further: the rest are refused as {@link Status#FULL} with the setting to raise, by that name
 * server and by the others, which keep serving the hosts they hold; the flood's removals make room
 * again, on every name server.
 */
@Timeout(120)
class FederationFloodTest {
    private static final ByteString ATTACKER_SECRET = OwnerKey.newSecret();
    private static final int MAX_AGENTS = 20;
    private static final int MAX_PER_HOST = 5;

    @Test
    void registrationFloodThroughOneMember_beyondTheLimits_isRefusedAsFullByEveryMember() {
        try (TestFederation federation = TestFederation.start(2, Duration.ofSeconds(60), MAX_AGENTS, MAX_PER_HOST);
             NameServerService flooded = NameServerService.builder().registry(federation.member(0))
                     .adminTokenDirectory(null).start();
             NameServerService other = NameServerService.builder().registry(federation.member(1))
                     .adminTokenDirectory(null).start();
             NameServerClient host = new NameServerClient(other.address(), Duration.ofSeconds(10));
             Attacker attacker = new Attacker(flooded.address());
             Attacker accomplice = new Attacker(other.address())) {
            host.register(agent("Alice", "h-real"), secret("h-real"));

            List<String> accepted = new ArrayList<>();
            int perHostRefusals = 0;
            int totalRefusals = 0;
            for (int i = 0; i < 100; i++) {
                // Ten made-up host ids: the first twenty names fill five hosts up to their limit.
                String name = "Flood" + i;
                Response answer = attacker.send(register(name, "h-flood-" + (i % 10 < 4 ? 0 : i % 10)));
                if (answer.getStatus() == Status.OK) {
                    accepted.add(name);
                } else {
                    assertEquals(Status.FULL, answer.getStatus(), answer.toString());
                    if (answer.getError().contains("zeroagents.nameserver.max.agents.per.host")) {
                        perHostRefusals++;
                    } else {
                        assertTrue(answer.getError().contains("zeroagents.nameserver.max.agents)"), answer.getError());
                        totalRefusals++;
                    }
                }
            }

            assertEquals(MAX_AGENTS - 1, accepted.size(), "registrations accepted besides Alice's: " + accepted);
            assertTrue(perHostRefusals > 0 && totalRefusals > 0, perHostRefusals + " refused per host, "
                    + totalRefusals + " in total");
            assertEquals(MAX_AGENTS, federation.member(1).list().size());
            // The other name server refuses too: a new host, and a host already at its limit.
            assertEquals(Status.FULL, accomplice.send(register("Extra", "h-flood-new")).getStatus());
            Response perHost = accomplice.send(register("Extra", "h-flood-0"));
            assertEquals(Status.FULL, perHost.getStatus());
            assertTrue(perHost.getError().contains("zeroagents.nameserver.max.agents.per.host"), perHost.getError());
            assertEquals("h-real", host.lookup("Alice").getHostId());
            NameServerException refused = assertThrows(NameServerException.class,
                    () -> host.register(agent("Bob", "h-real"), secret("h-real")));
            assertTrue(refused.getMessage().contains("'Bob'")
                    && refused.getMessage().contains("zeroagents.nameserver.max.agents"), refused.getMessage());

            // The flood's own removals, through the first name server, make room on the other.
            for (String name : accepted.subList(0, 2)) {
                Response removed = attacker.send(Request.newBuilder().setUnregister(
                        Unregister.newBuilder().setName(name).setHostSecret(ATTACKER_SECRET)));
                assertEquals(Status.OK, removed.getStatus(), removed.toString());
            }
            host.register(agent("Bob", "h-real"), secret("h-real"));
            assertEquals(Status.OK, accomplice.send(register("Extra", "h-flood-new")).getStatus());
            assertEquals(Status.FULL, accomplice.send(register("Extra2", "h-flood-new")).getStatus());
        }
    }

    private static Request.Builder register(String name, String hostId) {
        return Request.newBuilder().setRegister(Register.newBuilder().setAgent(agent(name, hostId))
                .setHostSecret(ATTACKER_SECRET));
    }
}
