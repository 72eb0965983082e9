package io.zeroagents.nameserver.federation;

import static io.zeroagents.nameserver.TestEntries.owner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.DuplicateAgentNameException;
import io.zeroagents.UnknownAgentException;
import io.zeroagents.nameserver.protocol.AddressEntry;
import io.zeroagents.nameserver.protocol.AgentEntry;
import io.zeroagents.nameserver.registry.NotOwnerException;
import io.zeroagents.testsupport.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three federated registries in this JVM, one Hazelcast member each on loopback: what one member
 * registers, every member sees; a name is taken once across all of them; leases run out everywhere.
 * The members are shared by the tests, which use names of their own.
 */
@Timeout(120)
class FederatedRegistryTest {

    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static TestFederation federation;

    @BeforeAll
    static void startFederation() {
        federation = TestFederation.start(3, LEASE);
    }

    @AfterAll
    static void stopFederation() {
        if (federation != null) {
            federation.close();
        }
    }

    private static AgentEntry agent(String name, String hostId) {
        return AgentEntry.newBuilder().setName(name).setHostId(hostId).setControlEndpoint("tcp://127.0.0.1:7000")
                .addAddresses(AddressEntry.newBuilder().setAlias("main").setEndpoint("tcp://127.0.0.1:7001")
                        .setPattern("PULL").setCodec("string"))
                .build();
    }

    @Test
    void registrationOnOneMember_isVisibleOnEveryMember_withTheHostItLivesOn() {
        federation.member(0).register(agent("Alice", "host-a"), owner("host-a"));

        for (FederatedRegistry member : federation.members()) {
            Optional<AgentEntry> found = member.lookup("Alice");
            assertTrue(found.isPresent(), member + " does not see Alice");
            assertEquals("host-a", found.get().getHostId());
            assertEquals(TestFederation.hostId(0), found.get().getNameserverHost());
            assertEquals("tcp://127.0.0.1:7001", found.get().getAddresses(0).getEndpoint());
            assertTrue(found.get().getLeaseRemainingMs() > 0 && found.get().getLeaseRemainingMs() <= LEASE.toMillis(),
                    found.get().toString());
            assertTrue(member.list().stream().anyMatch(entry -> entry.getName().equals("Alice")), member + ".list()");
        }
        assertTrue(federation.member(2).unregister("Alice", owner("host-a")));
    }

    @Test
    void nameHeldThroughOneMember_isRefusedToAnotherHostOnAnotherMember_namingTheHolder() {
        federation.member(0).register(agent("Bob", "host-a"), owner("host-a"));

        DuplicateAgentNameException refused = assertThrows(DuplicateAgentNameException.class,
                () -> federation.member(1).register(agent("Bob", "host-b"), owner("host-b")));

        assertTrue(refused.getMessage().contains("'Bob'") && refused.getMessage().contains("host-a")
                && refused.getMessage().contains("'" + TestFederation.hostId(0) + "'"), refused.getMessage());
        // The same host re-registering through another member is a re-registration, not a duplicate.
        federation.member(2).register(agent("Bob", "host-a"), owner("host-a"));
        assertEquals(TestFederation.hostId(2), federation.member(0).lookup("Bob").orElseThrow().getNameserverHost());
        federation.member(1).unregister("Bob", owner("host-a"));
    }

    @Test
    void sameNameRegisteredAtOnceThroughEveryMember_hasExactlyOneWinner() throws Exception {
        int names = 20;
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            ConcurrentHashMap<String, String> winners = new ConcurrentHashMap<>();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> racers = new ArrayList<>();
            for (int m = 0; m < 3; m++) {
                int index = m;
                racers.add(pool.submit(() -> {
                    start.await();
                    for (int n = 0; n < names; n++) {
                        String host = "racer-" + index;
                        try {
                            federation.member(index).register(agent("Race" + n, host), owner(host));
                            String earlier = winners.putIfAbsent("Race" + n, host);
                            assertEquals(null, earlier, "Race" + n + " won by " + earlier + " and " + host);
                        } catch (DuplicateAgentNameException lost) {
                            // Expected for all but one racer per name.
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> racer : racers) {
                racer.get(60, TimeUnit.SECONDS);
            }
            assertEquals(names, winners.size(), winners.toString());
            for (FederatedRegistry member : federation.members()) {
                for (int n = 0; n < names; n++) {
                    assertEquals(winners.get("Race" + n), member.lookup("Race" + n).orElseThrow().getHostId());
                }
            }
            for (int n = 0; n < names; n++) {
                federation.member(0).unregister("Race" + n, owner(winners.get("Race" + n)));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void leaseNotRenewed_runsOutOnEveryMember_andIsReportedAsExpired() {
        federation.member(1).register(agent("Carol", "host-c"), owner("host-c"));
        federation.member(1).register(agent("Dave", "host-c"), owner("host-c"));

        // Renewed through another member: Dave outlives Carol.
        long until = System.nanoTime() + LEASE.toNanos() * 2;
        while (System.nanoTime() - until < 0) {
            assertEquals(List.of(), federation.member(2).renew(owner("host-c"), List.of("Dave")));
            Await.pause(LEASE.dividedBy(4));
        }

        for (FederatedRegistry member : federation.members()) {
            assertEquals(Optional.empty(), member.lookup("Carol"), member.toString());
            assertTrue(member.list().stream().noneMatch(entry -> entry.getName().equals("Carol")), member.toString());
            assertTrue(member.lookup("Dave").isPresent(), member.toString());
        }
        List<String> reported = new ArrayList<>();
        Await.until(WAIT, () -> {
            for (FederatedRegistry member : federation.members()) {
                member.expire().forEach(entry -> reported.add(member.hostId() + ":" + entry.getName()));
            }
            return federation.members().stream().allMatch(member -> reported.contains(member.hostId() + ":Carol"));
        }, "every member to report that Carol's lease ran out");
        assertFalse(reported.stream().anyMatch(line -> line.endsWith(":Dave")), reported.toString());
        assertEquals(List.of("Carol"), federation.member(0).renew(owner("host-c"), List.of("Carol")));
        federation.member(0).unregister("Dave", owner("host-c"));
    }

    @Test
    void renewalAndChanges_byAnotherHost_areRefused_andRemovalFreesTheName() {
        federation.member(0).register(agent("Erin", "host-e"), owner("host-e"));

        assertEquals(List.of("Erin", "Nobody"),
                federation.member(1).renew(owner("host-x"), List.of("Erin", "Nobody")));
        assertThrows(NotOwnerException.class, () -> federation.member(2).unregister("Erin", owner("host-x")));
        NotOwnerException notOwner = assertThrows(NotOwnerException.class, () -> federation.member(2)
                .putAddress("Erin", owner("host-x"), AddressEntry.newBuilder().setAlias("x").setEndpoint("tcp://h:1")
                        .build()));
        assertTrue(notOwner.getMessage().contains("host-e") && notOwner.getMessage().contains("secret"),
                notOwner.getMessage());
        assertThrows(UnknownAgentException.class,
                () -> federation.member(2).removeAddress("Nobody", owner("host-e"), "x"));

        federation.member(1).putAddress("Erin", owner("host-e"),
                AddressEntry.newBuilder().setAlias("out").setEndpoint("tcp://127.0.0.1:7002").setPattern("PUSH").build());
        federation.member(2).removeAddress("Erin", owner("host-e"), "main");
        assertEquals(List.of("out"), federation.member(0).lookup("Erin").orElseThrow().getAddressesList().stream()
                .map(AddressEntry::getAlias).toList());

        assertTrue(federation.member(1).unregister("Erin", owner("host-e")));
        assertFalse(federation.member(2).unregister("Erin", owner("host-e")), "a second removal finds nothing");
        for (FederatedRegistry member : federation.members()) {
            assertEquals(Optional.empty(), member.lookup("Erin"));
            assertTrue(member.list().stream().noneMatch(entry -> entry.getName().equals("Erin")));
        }
        federation.member(2).register(agent("Erin", "host-f"), owner("host-f"));
        assertEquals("host-f", federation.member(0).lookup("Erin").orElseThrow().getHostId());
        federation.member(2).unregister("Erin", owner("host-f"));
    }
}
