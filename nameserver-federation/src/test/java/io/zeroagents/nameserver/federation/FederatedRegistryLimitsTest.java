package io.zeroagents.nameserver.federation;

import static io.zeroagents.nameserver.TestEntries.agent;
import static io.zeroagents.nameserver.TestEntries.owner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.map.IMap;
import io.zeroagents.nameserver.protocol.AgentEntry;
import io.zeroagents.nameserver.registry.RegistryFullException;
import io.zeroagents.testsupport.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A federation holds at most its limits, in total and per host, counted across its members: a new
 * entry beyond either is refused through whichever member it comes, with the message a single name
 * server gives; what it holds is renewed and re-registered as before, and removals and leases that
 * run out make room. Each test has a federation of two members of its own.
 */
@Timeout(120)
class FederatedRegistryLimitsTest {

    private static final Duration LONG_LEASE = Duration.ofSeconds(60);

    @Test
    void register_beyondTheLimitsAcrossMembers_isRefusedOnEveryMemberNamingAgentHostAndSetting() {
        try (TestFederation federation = TestFederation.start(2, LONG_LEASE, 4, 2)) {
            FederatedRegistry a = federation.member(0);
            FederatedRegistry b = federation.member(1);
            a.register(agent("A1", "h1"), owner("h1"));
            b.register(agent("A2", "h1"), owner("h1"));

            RegistryFullException perHost = assertThrows(RegistryFullException.class,
                    () -> a.register(agent("A3", "h1"), owner("h1")));
            assertTrue(perHost.getMessage().contains("'A3'") && perHost.getMessage().contains("h1")
                    && perHost.getMessage().contains("zeroagents.nameserver.max.agents.per.host"), perHost.getMessage());

            a.register(agent("B1", "h2"), owner("h2"));
            b.register(agent("C1", "h3"), owner("h3"));
            RegistryFullException total = assertThrows(RegistryFullException.class,
                    () -> a.register(agent("D1", "h4"), owner("h4")));
            assertTrue(total.getMessage().contains("'D1'") && total.getMessage().contains("h4")
                    && total.getMessage().contains("zeroagents.nameserver.max.agents)"), total.getMessage());
            assertThrows(RegistryFullException.class, () -> b.register(agent("D1", "h4"), owner("h4")));

            // Full, what is held is renewed and registered again, through either member.
            assertEquals(List.of(), b.renew(owner("h1"), List.of("A1", "A2")));
            b.register(agent("A1", "h1").toBuilder().setControlEndpoint("tcp://127.0.0.1:7100").build(), owner("h1"));
            assertEquals("tcp://127.0.0.1:7100", a.lookup("A1").orElseThrow().getControlEndpoint());
            assertEquals(4, a.counts().total());
            assertEquals(2, b.counts().ofHost("h1"));

            assertTrue(b.unregister("A1", owner("h1")));
            a.register(agent("A3", "h1"), owner("h1"));
            assertEquals("B1", b.evict("B1").orElseThrow().getName());
            b.register(agent("D1", "h4"), owner("h4"));
            assertEquals(List.of("A2", "A3", "C1", "D1"), names(a));
        }
    }

    @Test
    void full_leasesRunOut_makeRoomOnEveryMember() {
        Duration lease = Duration.ofSeconds(2);
        try (TestFederation federation = TestFederation.start(2, lease, 2, 2)) {
            federation.member(0).register(agent("Old1", "h1"), owner("h1"));
            federation.member(1).register(agent("Old2", "h2"), owner("h2"));
            assertThrows(RegistryFullException.class,
                    () -> federation.member(1).register(agent("New1", "h3"), owner("h3")));

            // Hazelcast expires each entry on its own, up to a second or two apart, so the two places
            // come back one at a time: each new agent waits for the place it needs.
            awaitRegistered(federation, 1, "New1");
            awaitRegistered(federation, 0, "New2");
        }
    }

    /** Registers {@code name} of host h3 through member {@code member} once the federation has room. */
    private static void awaitRegistered(TestFederation federation, int member, String name) {
        Await.until(Duration.ofSeconds(30), () -> {
            try {
                federation.member(member).register(agent(name, "h3"), owner("h3"));
                return true;
            } catch (RegistryFullException stillFull) {
                return false;
            }
        }, "an expired entry to make room for " + name + " through member " + member);
    }

    @Test
    void register_racingThroughEveryMember_neverTakesMoreThanTheLimit() throws Exception {
        int limit = 10;
        try (TestFederation federation = TestFederation.start(2, LONG_LEASE, limit, 1_000)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> racers = new ArrayList<>();
                for (int r = 0; r < 4; r++) {
                    int racer = r;
                    racers.add(pool.submit(() -> {
                        start.await();
                        int taken = 0;
                        for (int n = 0; n < 10; n++) {
                            String host = "racer-" + racer;
                            try {
                                federation.member(racer % 2).register(agent("R" + racer + "-" + n, host), owner(host));
                                taken++;
                            } catch (RegistryFullException full) {
                                // Expected once the places are gone.
                            }
                        }
                        return taken;
                    }));
                }
                start.countDown();
                int taken = 0;
                for (Future<Integer> racer : racers) {
                    taken += racer.get(60, TimeUnit.SECONDS);
                }
                assertEquals(limit, taken);
                assertEquals(limit, federation.member(0).list().size());
                assertEquals(limit, federation.member(1).counts().total());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void recount_countsThatDriftedFromTheMap_areCorrected() {
        try (TestFederation federation = TestFederation.start(2, LONG_LEASE, 3, 3)) {
            federation.member(0).register(agent("A1", "h1"), owner("h1"));
            federation.member(1).register(agent("B1", "h2"), owner("h2"));
            // What a crash between a reservation and its registration, or a healed split, leaves behind.
            IMap<String, Long> counts = federation.member(0).member().getMap(AgentCounts.MAP_NAME);
            counts.put("total", 3L);
            counts.put("host:h1", 0L);
            counts.put("host:gone", 7L);
            assertThrows(RegistryFullException.class,
                    () -> federation.member(1).register(agent("C1", "h3"), owner("h3")));

            federation.member(1).counts().recount();

            assertEquals(2, federation.member(0).counts().total());
            assertEquals(1, federation.member(0).counts().ofHost("h1"));
            assertEquals(0, federation.member(0).counts().ofHost("gone"));
            federation.member(1).register(agent("C1", "h3"), owner("h3"));
        }
    }

    private static List<String> names(FederatedRegistry registry) {
        return registry.list().stream().map(AgentEntry::getName).toList();
    }
}
