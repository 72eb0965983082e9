package io.zeroagents.nameserver;

import static io.zeroagents.nameserver.TestEntries.agent;
import static io.zeroagents.nameserver.TestEntries.secret;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.zeroagents.NameServerException;
import io.zeroagents.nameserver.protocol.Register;
import io.zeroagents.nameserver.protocol.Request;
import io.zeroagents.nameserver.protocol.Response;
import io.zeroagents.nameserver.protocol.Status;
import io.zeroagents.nameserver.registry.LocalRegistry;
import io.zeroagents.nameserver.registry.OwnerKey;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Someone who floods the name server with registrations (by hand, {@link Attacker}) fills it up to
 * its limits and no further: the rest are refused as {@link Status#FULL}, with the setting to
 * raise, and the name server keeps serving the hosts it holds.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RegistryFloodTest {
    private static final ByteString ATTACKER_SECRET = OwnerKey.newSecret();
    private static final int MAX_AGENTS = 20;
    private static final int MAX_PER_HOST = 5;

    @Test
    void registrationFlood_beyondTheLimits_isRefusedAsFullAndTheNameServerKeepsServing() {
        try (NameServerService service = NameServerService.builder()
                .registry(new LocalRegistry(Duration.ofSeconds(30), MAX_AGENTS, MAX_PER_HOST))
                .adminTokenDirectory(null).start();
             NameServerClient host = new NameServerClient(service.address(), Duration.ofSeconds(5));
             Attacker attacker = new Attacker(service.address())) {
            host.register(agent("Alice", "h-real"), secret("h-real"));

            int accepted = 0;
            int perHostRefusals = 0;
            int totalRefusals = 0;
            for (int i = 0; i < 100; i++) {
                // Ten made-up host ids: the first twenty names fill five hosts up to their limit.
                Response answer = attacker.send(Request.newBuilder().setRegister(Register.newBuilder()
                        .setAgent(agent("Flood" + i, "h-flood-" + (i % 10 < 4 ? 0 : i % 10)))
                        .setHostSecret(ATTACKER_SECRET)));
                if (answer.getStatus() == Status.OK) {
                    accepted++;
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

            assertEquals(MAX_AGENTS - 1, accepted, "registrations accepted besides Alice's");
            assertTrue(perHostRefusals > 0 && totalRefusals > 0, perHostRefusals + " refused per host, "
                    + totalRefusals + " in total");
            assertEquals(MAX_AGENTS, service.registry().list().size());
            assertEquals("h-real", host.lookup("Alice").getHostId());
            NameServerException refused = assertThrows(NameServerException.class,
                    () -> host.register(agent("Bob", "h-real"), secret("h-real")));
            assertTrue(refused.getMessage().contains("'Bob'") && refused.getMessage().contains("register")
                    && refused.getMessage().contains("zeroagents.nameserver.max.agents"), refused.getMessage());
        }
    }
}
