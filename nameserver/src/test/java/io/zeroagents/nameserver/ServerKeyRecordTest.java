package io.zeroagents.nameserver;

import static io.zeroagents.nameserver.TestEntries.address;
import static io.zeroagents.nameserver.TestEntries.agent;
import static io.zeroagents.nameserver.TestEntries.secret;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.zeroagents.nameserver.protocol.AgentEntry;
import io.zeroagents.nameserver.registry.LocalRegistry;
import io.zeroagents.transport.CurveKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The name server hands out, with each entry and address, the key of the host that registered it:
 * with CURVE, the key that host authenticated with, not one its request claims. Real sockets, two
 * hosts with key pairs of their own.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ServerKeyRecordTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void register_withCurve_recordsTheRegisteringHostsKeyWhateverTheRequestClaims() throws Exception {
        CurveKeys server = CurveKeys.init(dir.resolve("server"), "ns");
        CurveKeys host = CurveKeys.init(dir.resolve("host"), "host");
        CurveKeys other = CurveKeys.init(dir.resolve("other"), "other");
        Files.writeString(server.directory().resolve(CurveKeys.AUTHORIZED_DIR).resolve("host.public"),
                host.publicCertificate());
        Path serverCertificate = dir.resolve("ns.public");
        Files.writeString(serverCertificate, server.publicCertificate());

        try (NameServerService service = NameServerService.builder().registry(new LocalRegistry(Duration.ofSeconds(30)))
                .adminTokenDirectory(null).curve(server).start()) {
            CurveKeys.trust(host.directory(), serverCertificate, List.of(service.address()));
            try (NameServerClient client = new NameServerClient(service.address(), TIMEOUT, host)) {
                // The host claims another host's key for its control endpoint and its socket.
                AgentEntry claimed = agent("Alice", "h1").toBuilder().setControlServerKey(other.publicKey())
                        .addAddresses(address("in", "tcp://127.0.0.1:7001").toBuilder().setServerKey(other.publicKey()))
                        .build();
                client.register(claimed, secret("h1"));
                client.putAddress("Alice", secret("h1"), address("out", "tcp://127.0.0.1:7002").toBuilder()
                        .setServerKey(other.publicKey()).build());

                AgentEntry handedOut = client.lookup("Alice");

                assertNotEquals(server.publicKey(), host.publicKey());
                assertEquals(host.publicKey(), handedOut.getControlServerKey());
                assertEquals(List.of(host.publicKey(), host.publicKey()),
                        handedOut.getAddressesList().stream().map(a -> a.getServerKey()).toList());
                assertEquals(handedOut.toBuilder().clearLeaseRemainingMs().build(),
                        client.list().getFirst().toBuilder().clearLeaseRemainingMs().build(),
                        "a listing hands out the same keys");
            }
        }
    }

    @Test
    void register_withoutCurve_keepsTheEntryAsSent() {
        try (NameServerService service = NameServerService.builder().registry(new LocalRegistry(Duration.ofSeconds(30)))
                .adminTokenDirectory(null).start();
             NameServerClient client = new NameServerClient(service.address(), TIMEOUT)) {
            client.register(agent("Bob", "h2"), secret("h2"));

            assertEquals("", client.lookup("Bob").getControlServerKey());
        }
    }
}
