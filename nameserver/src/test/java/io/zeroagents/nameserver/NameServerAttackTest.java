package io.zeroagents.nameserver;

import static io.zeroagents.nameserver.TestEntries.address;
import static io.zeroagents.nameserver.TestEntries.agent;
import static io.zeroagents.nameserver.TestEntries.secret;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.zeroagents.nameserver.protocol.AgentEntry;
import io.zeroagents.nameserver.protocol.Evict;
import io.zeroagents.nameserver.protocol.Heartbeat;
import io.zeroagents.nameserver.protocol.HeartbeatResult;
import io.zeroagents.nameserver.protocol.ListAgents;
import io.zeroagents.nameserver.protocol.Lookup;
import io.zeroagents.nameserver.protocol.PutAddress;
import io.zeroagents.nameserver.protocol.Register;
import io.zeroagents.nameserver.protocol.RemoveAddress;
import io.zeroagents.nameserver.protocol.Request;
import io.zeroagents.nameserver.protocol.Response;
import io.zeroagents.nameserver.protocol.Shutdown;
import io.zeroagents.nameserver.protocol.Status;
import io.zeroagents.nameserver.protocol.StopAgents;
import io.zeroagents.nameserver.protocol.Unregister;
import io.zeroagents.nameserver.registry.LocalRegistry;
import io.zeroagents.nameserver.registry.OwnerKey;
import io.zeroagents.testsupport.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacks that worked against the name-server port with default settings, each by someone who
 * reaches the port and speaks the protocol by hand ({@link Attacker}), knowing all that anyone can
 * read there (host ids, control endpoints) and with a secret of its own: every one is refused with
 * its reason and counted, the name server keeps serving, and the real host's agent keeps its entry.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NameServerAttackTest {
    private static final String FORGED_CONTROL = "tcp://203.0.113.66:6666";
    private static final ByteString ATTACKER_SECRET = OwnerKey.newSecret();

    @TempDir
    Path tokens;

    private NameServerService service;
    private NameServerClient host;

    /** A name server as the daemon runs it by default, and a real host with its agent Alice. */
    private void start(Duration lease) {
        service = NameServerService.builder().registry(new LocalRegistry(lease)).acceptsShutdown(true)
                .adminTokenDirectory(tokens).start();
        host = new NameServerClient(service.address(), Duration.ofSeconds(5));
        host.register(agent("Alice", "h-real").toBuilder()
                .addAddresses(address("main", "tcp://127.0.0.1:7001")).build(), secret("h-real"));
    }

    @AfterEach
    void stop() {
        if (host != null) {
            host.close();
        }
        if (service != null) {
            service.close();
        }
    }

    /** What anyone reads on the port: Alice's entry, host id included, and nothing that authorizes. */
    private static AgentEntry readAlice(Attacker attacker) {
        Response listed = attacker.send(Request.newBuilder().setList(ListAgents.getDefaultInstance()));
        assertEquals(Status.OK, listed.getStatus());
        assertFalse(listed.toByteString().toStringUtf8().contains(secret("h-real").toStringUtf8()),
                "a listing carries the host's secret");
        return listed.getAgents().getAgentsList().stream().filter(e -> e.getName().equals("Alice")).findFirst()
                .orElseThrow();
    }

    private void assertAliceUntouchedAndServing() {
        AgentEntry alice = host.lookup("Alice");
        assertEquals("tcp://127.0.0.1:7000", alice.getControlEndpoint(), "Alice's control endpoint");
        assertEquals(List.of(address("main", "tcp://127.0.0.1:7001")), alice.getAddressesList(), "Alice's addresses");
        HeartbeatResult beat = host.heartbeat("h-real", secret("h-real"), List.of("Alice"));
        assertEquals(List.of(), beat.getUnknownNamesList(), "the real host still holds Alice");
        assertEquals(List.of(), beat.getStopNamesList(), "stop requests handed to the real host");
        assertEquals(service.serverId(), host.ping());
    }

    private void assertForbidden(Response answer, String operation) {
        assertEquals(Status.FORBIDDEN, answer.getStatus(), answer.toString());
        assertTrue(answer.getError().startsWith(operation + " needs the admin token; the CLI reads it from "
                + service.adminTokenFile().orElseThrow()), answer.getError());
        assertFalse(answer.getError().contains(service.adminToken()), "the refusal tells the token");
    }

    @Test
    void register_underAnotherHostsNameWithItsReadableHostId_refusedAndEntryKept() {
        start(Duration.ofSeconds(30));
        try (Attacker attacker = new Attacker(service.address())) {
            AgentEntry alice = readAlice(attacker);

            Response forged = attacker.send(Request.newBuilder().setRegister(Register.newBuilder()
                    .setAgent(alice.toBuilder().clearLeaseRemainingMs().setControlEndpoint(FORGED_CONTROL)
                            .clearAddresses().addAddresses(address("main", "tcp://203.0.113.66:6667")))
                    .setHostSecret(ATTACKER_SECRET)));
            Response bare = attacker.send(Request.newBuilder().setRegister(Register.newBuilder()
                    .setAgent(alice.toBuilder().setControlEndpoint(FORGED_CONTROL))));

            assertEquals(Status.DUPLICATE_NAME, forged.getStatus(), forged.toString());
            assertEquals(Status.BAD_REQUEST, bare.getStatus(), bare.toString());
            assertTrue(bare.getError().contains("carries no host_secret"), bare.getError());
            assertEquals(1, service.refusedRequests());
            assertAliceUntouchedAndServing();
        }
    }

    @Test
    void unregister_withTheReadableHostId_refusedAndEntryKept() {
        start(Duration.ofSeconds(30));
        try (Attacker attacker = new Attacker(service.address())) {
            AgentEntry alice = readAlice(attacker);

            Response evicted = attacker.send(Request.newBuilder().setUnregister(Unregister.newBuilder()
                    .setName("Alice").setHostId(alice.getHostId()).setHostSecret(ATTACKER_SECRET)));

            assertEquals(Status.NOT_OWNER, evicted.getStatus(), evicted.toString());
            assertTrue(evicted.getError().contains("did not carry that host's secret"), evicted.getError());
            assertEquals(1, service.refusedRequests());
            assertAliceUntouchedAndServing();
        }
    }

    @Test
    void putAndRemoveAddress_withTheReadableHostId_refusedAndAddressesKept() {
        start(Duration.ofSeconds(30));
        try (Attacker attacker = new Attacker(service.address())) {
            AgentEntry alice = readAlice(attacker);

            Response put = attacker.send(Request.newBuilder().setPutAddress(PutAddress.newBuilder().setName("Alice")
                    .setHostId(alice.getHostId()).setHostSecret(ATTACKER_SECRET)
                    .setAddress(address("main", "tcp://203.0.113.66:6667"))));
            Response removed = attacker.send(Request.newBuilder().setRemoveAddress(RemoveAddress.newBuilder()
                    .setName("Alice").setHostId(alice.getHostId()).setHostSecret(ATTACKER_SECRET).setAlias("main")));

            assertEquals(Status.NOT_OWNER, put.getStatus(), put.toString());
            assertEquals(Status.NOT_OWNER, removed.getStatus(), removed.toString());
            assertAliceUntouchedAndServing();
        }
    }

    @Test
    void stopAgents_withoutAdmin_refusedAndNoStopReachesTheHost() {
        start(Duration.ofSeconds(30));
        try (Attacker attacker = new Attacker(service.address())) {
            Response stop = attacker.send(Request.newBuilder().setStopAgents(StopAgents.getDefaultInstance()));
            Response guessed = attacker.send(Request.newBuilder().setAdminToken(AdminToken.generate())
                    .setStopAgents(StopAgents.newBuilder().addNames("Alice")));

            assertForbidden(stop, "stop_agents");
            assertEquals(Status.FORBIDDEN, guessed.getStatus(), guessed.toString());
            assertTrue(guessed.getError().contains("the token it carried is not this name server's"),
                    guessed.getError());
            assertEquals(2, service.refusedRequests());
            assertAliceUntouchedAndServing();
        }
    }

    @Test
    void shutdown_withoutAdmin_refusedAndTheNameServerServes() {
        start(Duration.ofSeconds(30));
        try (Attacker attacker = new Attacker(service.address())) {
            Response shutdown = attacker.send(Request.newBuilder().setShutdown(Shutdown.getDefaultInstance()));

            assertForbidden(shutdown, "shutdown");
            assertFalse(service.shutdownRequested().isDone(), "the name server was told to end");
            assertAliceUntouchedAndServing();
        }
    }

    @Test
    void evict_withoutAdmin_refusedAndEntryKept() {
        start(Duration.ofSeconds(30));
        try (Attacker attacker = new Attacker(service.address())) {
            Response evict = attacker.send(Request.newBuilder().setEvict(Evict.newBuilder().setName("Alice")));

            assertForbidden(evict, "evict");
            assertAliceUntouchedAndServing();
        }
    }

    @Test
    void heartbeat_withTheReadableHostId_renewsNothingAndStealsNoStopRequests() {
        start(Duration.ofSeconds(30));
        try (Attacker attacker = new Attacker(service.address());
             NameServerClient admin = new NameServerClient(service.address(), Duration.ofSeconds(5))) {
            AgentEntry alice = readAlice(attacker);
            admin.stopAgents(List.of("Alice"), service.adminToken());

            Response beat = attacker.send(Request.newBuilder().setHeartbeat(Heartbeat.newBuilder()
                    .setHostId(alice.getHostId()).setHostSecret(ATTACKER_SECRET).addNames("Alice")));

            assertEquals(Status.OK, beat.getStatus(), beat.toString());
            assertEquals(List.of("Alice"), beat.getHeartbeat().getUnknownNamesList());
            assertEquals(List.of(), beat.getHeartbeat().getStopNamesList(), "the forger learned of the stop");
            assertEquals(List.of("Alice"),
                    host.heartbeat("h-real", secret("h-real"), List.of("Alice")).getStopNamesList(),
                    "the real host is told to stop its agent");
        }
    }

    @Test
    void forgedEntry_afterTheRealLeaseLapsed_isNotKeptAliveByTheRealHostsHeartbeat() {
        Duration lease = Duration.ofMillis(600);
        start(lease);
        Await.until(Duration.ofSeconds(10), () -> host.list().isEmpty(), () -> "Alice's lease to run out");
        try (Attacker attacker = new Attacker(service.address())) {
            Response forged = attacker.send(Request.newBuilder().setRegister(Register.newBuilder()
                    .setAgent(agent("Alice", "h-real").toBuilder().setControlEndpoint(FORGED_CONTROL))
                    .setHostSecret(ATTACKER_SECRET)));
            assertEquals(Status.OK, forged.getStatus(), "a free name is anyone's: " + forged);

            HeartbeatResult beat = host.heartbeat("h-real", secret("h-real"), List.of("Alice"));

            assertEquals(List.of("Alice"), beat.getUnknownNamesList(), "the real host renewed the forged entry");
            assertEquals(FORGED_CONTROL, beat.getLost(0).getControlEndpoint(), "the real host learns who holds it");
            // Its heartbeats renew nothing of the forger's: the forged entry runs out with its own lease.
            Await.until(Duration.ofSeconds(10), () -> {
                host.heartbeat("h-real", secret("h-real"), List.of("Alice"));
                return attacker.send(Request.newBuilder().setLookup(Lookup.newBuilder().setName("Alice")))
                        .getStatus() == Status.UNKNOWN_AGENT;
            }, () -> "the forged entry to run out although the real host heartbeats its name");
            assertEquals(service.serverId(), host.ping());
        }
    }
}
