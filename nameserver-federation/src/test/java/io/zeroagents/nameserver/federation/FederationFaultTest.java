package io.zeroagents.nameserver.federation;

import static io.zeroagents.nameserver.TestEntries.owner;
import static io.zeroagents.nameserver.TestEntries.secret;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.nameserver.NameServerClient;
import io.zeroagents.nameserver.NameServerService;
import io.zeroagents.nameserver.protocol.AgentEntry;
import io.zeroagents.nameserver.protocol.HeartbeatResult;
import io.zeroagents.testsupport.Await;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Federations in trouble, in this JVM: a name server that dies and comes back, and a partition
 * that splits the federation in two and heals. Each test has a federation of its own.
 *
 * <p>The partition is real as far as Hazelcast can tell: the members' TCP connections are cut and
 * refused (Hazelcast's firewalling network layer), each side notices the other is gone and carries
 * on as a federation of its own, and when the connections are allowed again Hazelcast's split-brain
 * handler merges the sides with {@link RegistryMergePolicy}.
 */
@Timeout(180)
class FederationFaultTest {

    private static AgentEntry agent(String name, String hostId) {
        return AgentEntry.newBuilder().setName(name).setHostId(hostId).setControlEndpoint("tcp://127.0.0.1:7000").build();
    }

    @Test
    void deadNameServer_agentsVanishWhenLeasesRunOut_andReappearEverywhereWhenItsHostReRegistersThem() {
        Duration lease = Duration.ofSeconds(2);
        try (TestFederation federation = TestFederation.start(3, lease)) {
            federation.member(2).register(agent("Worker", "host-c"), owner("host-c"));
            assertTrue(federation.member(0).lookup("Worker").isPresent());

            federation.crash(2);

            // The survivors keep the entry (Hazelcast's backups) until its lease runs out, then drop it.
            federation.awaitClusterSize(2);
            Await.until(Duration.ofSeconds(20),
                    () -> federation.member(0).lookup("Worker").isEmpty() && federation.member(1).lookup("Worker").isEmpty(),
                    "Worker's lease to run out on the survivors");

            FederatedRegistry back = federation.restart(2);
            // What an agent host does on its next heartbeat: the name is unknown, so it registers again.
            assertEquals(List.of("Worker"), back.renew(owner("host-c"), List.of("Worker")));
            back.register(agent("Worker", "host-c"), owner("host-c"));

            for (FederatedRegistry member : federation.members()) {
                AgentEntry found = member.lookup("Worker").orElseThrow(() -> new AssertionError(member + " lost Worker"));
                assertEquals("host-c", found.getHostId());
                assertEquals(TestFederation.hostId(2), found.getNameserverHost());
            }
        }
    }

    @Test
    void partition_sameNameTakenOnBothSides_healsWithOneWinnerEverywhere_andChangesOfBothSidesKept() {
        // Long enough that nothing expires while the test runs: a stale copy must lose to the merge
        // rule, not to a lease.
        Duration lease = Duration.ofSeconds(60);
        try (TestFederation federation = TestFederation.start(3, lease)) {
            FederatedRegistry a = federation.member(0);
            FederatedRegistry c = federation.member(2);
            a.register(agent("Departing", "host-c"), owner("host-c"));
            c.register(agent("Moving", "host-c"), owner("host-c"));

            federation.partition(List.of(0, 1), List.of(2));

            // Both sides still hold every name: each member keeps a copy of every entry.
            assertTrue(c.lookup("Departing").isPresent());
            // The same name, free on both sides, taken on both: host-a first, then host-c.
            a.register(agent("Twin", "host-a"), owner("host-a"));
            Await.pause(Duration.ofMillis(5));
            c.register(agent("Twin", "host-c"), owner("host-c"));
            // A registration, a removal and an address change made on the minority side.
            c.register(agent("Newcomer", "host-c"), owner("host-c"));
            assertTrue(c.unregister("Departing", owner("host-c")));
            c.register(agent("Moving", "host-c").toBuilder().setControlEndpoint("tcp://127.0.0.1:7999").build(),
                    owner("host-c"));
            // And a registration on the majority side.
            federation.member(1).register(agent("Majority", "host-b"), owner("host-b"));

            federation.heal();

            // Hazelcast merges partition by partition: wait until the last name has been merged everywhere.
            List<String> merged = List.of("Majority", "Moving", "Newcomer", "Twin");
            for (FederatedRegistry member : federation.members()) {
                Await.until(Duration.ofSeconds(30),
                        () -> member.list().stream().map(AgentEntry::getName).toList().equals(merged)
                                && member.lookup("Twin").map(AgentEntry::getHostId).orElse("").equals("host-a")
                                && member.lookup("Moving").map(AgentEntry::getControlEndpoint).orElse("")
                                        .equals("tcp://127.0.0.1:7999"),
                        member.hostId() + " to merge every name");
            }
            for (FederatedRegistry member : federation.members()) {
                assertEquals("host-a", member.lookup("Twin").orElseThrow().getHostId(),
                        member + ": the earlier registration keeps the name");
                assertEquals(Optional.empty(), member.lookup("Departing"), member + ": the removal survives the heal");
                assertEquals("tcp://127.0.0.1:7999", member.lookup("Moving").orElseThrow().getControlEndpoint(),
                        member + ": the newer copy of host-c's entry wins");
                assertTrue(member.lookup("Majority").isPresent(), member.toString());
                assertEquals(merged, member.list().stream().map(AgentEntry::getName).toList(), member.toString());
            }
            // The loser renews its agent on its own side: the name is no longer its own.
            assertEquals(List.of("Twin"), c.renew(owner("host-c"), List.of("Twin")));
            assertEquals(List.of(), c.renew(owner("host-c"), List.of("Moving", "Newcomer")));
        }
    }

    @Test
    void losingHost_learnsFromItsNextHeartbeat_whoHoldsItsNameNow() {
        Duration lease = Duration.ofSeconds(60);
        try (TestFederation federation = TestFederation.start(2, lease);
             NameServerService minorityServer = NameServerService.builder().registry(federation.member(1)).start();
             NameServerClient minorityHost = new NameServerClient(minorityServer.address(), Duration.ofSeconds(10))) {
            federation.partition(List.of(0), List.of(1));
            federation.member(0).register(agent("Twin", "host-a"), owner("host-a"));
            Await.pause(Duration.ofMillis(5));
            minorityHost.register(agent("Twin", "host-b"), secret("host-b"));
            assertEquals(List.of(),
                    minorityHost.heartbeat("host-b", secret("host-b"), List.of("Twin")).getUnknownNamesList());

            federation.heal();

            Await.until(Duration.ofSeconds(30),
                    () -> "host-a".equals(federation.member(1).lookup("Twin").map(AgentEntry::getHostId).orElse("")),
                    "the minority side to see the merged winner");
            HeartbeatResult result = minorityHost.heartbeat("host-b", secret("host-b"), List.of("Twin"));
            assertEquals(List.of("Twin"), result.getUnknownNamesList());
            assertEquals(1, result.getLostCount(), result.toString());
            assertEquals("host-a", result.getLost(0).getHostId());
            assertEquals(TestFederation.hostId(0), result.getLost(0).getNameserverHost());
        }
    }
}
