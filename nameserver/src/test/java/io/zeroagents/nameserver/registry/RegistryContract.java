package io.zeroagents.nameserver.registry;

import static io.zeroagents.nameserver.TestEntries.address;
import static io.zeroagents.nameserver.TestEntries.agent;
import static io.zeroagents.nameserver.TestEntries.owner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.DuplicateAgentNameException;
import io.zeroagents.UnknownAgentException;
import io.zeroagents.nameserver.TestEntries;
import io.zeroagents.nameserver.protocol.AgentEntry;
import io.zeroagents.testsupport.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link Registry} does, whichever it is: the local one with leases and the federated
 * one over Hazelcast pass the same contract. Entries belong to the key of the host's secret
 * ({@link OwnerKey}): a host id is a label, and another key under the same host id is another
 * owner. A subclass says which registry the tests use and the lease it was made with; the tests may
 * share one registry, as each uses names of its own.
 *
 * <p>Leases run on the registry's own clock here, so the tests about their end take about a
 * lease each; finer timing is tested against the local registry's settable clock in
 * {@code LocalRegistryTest}.
 */
@Timeout(120)
public abstract class RegistryContract {
    private static final AtomicInteger NEXT = new AtomicInteger();

    /** The registry under test. */
    protected abstract Registry registry();

    /** The lease the registry gives its entries; short, as some tests wait for one to end. */
    protected abstract Duration lease();

    /** A name no other test of this run uses. */
    private static String name(String base) {
        return base + "-" + NEXT.incrementAndGet();
    }

    private static List<String> names(List<AgentEntry> entries) {
        return entries.stream().map(AgentEntry::getName).toList();
    }

    @Test
    void lookup_afterRegister_returnsTheEntryWithItsLeaseRemaining() {
        String alice = name("Alice");
        AgentEntry entry = agent(alice, "h1").toBuilder().addAddresses(address("main", "tcp://127.0.0.1:1")).build();

        registry().register(entry, owner("h1"));
        AgentEntry found = registry().lookup(alice).orElseThrow();

        // What the registry adds aside: the lease remaining, and the name server the entry lives on.
        assertEquals(entry, found.toBuilder().clearLeaseRemainingMs().clearNameserverHost().build());
        assertTrue(found.getLeaseRemainingMs() > 0 && found.getLeaseRemainingMs() <= lease().toMillis(),
                "lease remaining " + found.getLeaseRemainingMs() + " ms of " + lease().toMillis());
    }

    @Test
    void register_nameHeldByAnotherHost_refusedNamingTheHolder() {
        String alice = name("Alice");
        registry().register(agent(alice, "h1"), owner("h1"));

        DuplicateAgentNameException e = assertThrows(DuplicateAgentNameException.class,
                () -> registry().register(agent(alice, "h2"), owner("h2")));

        assertTrue(e.getMessage().contains(alice) && e.getMessage().contains("h1"), e.getMessage());
        assertEquals("h1", registry().lookup(alice).orElseThrow().getHostId());
    }

    @Test
    void register_sameNameFromTheSameHost_replacesTheEntry() {
        String alice = name("Alice");
        registry().register(agent(alice, "h1"), owner("h1"));

        registry().register(agent(alice, "h1").toBuilder().setControlEndpoint("tcp://10.0.0.1:1").build(), owner("h1"));

        assertEquals("tcp://10.0.0.1:1", registry().lookup(alice).orElseThrow().getControlEndpoint());
    }

    @Test
    void register_blankNameOrHostIdOrRepeatedAlias_rejected() {
        String alice = name("Alice");

        assertThrows(IllegalArgumentException.class, () -> registry().register(agent(" ", "h1"), owner("h1")));
        assertThrows(IllegalArgumentException.class, () -> registry().register(agent(alice, ""), owner("h1")));
        assertThrows(IllegalArgumentException.class, () -> registry().register(agent(alice, "h1").toBuilder()
                .addAddresses(address("main", "tcp://127.0.0.1:1"))
                .addAddresses(address("main", "tcp://127.0.0.1:2")).build(), owner("h1")));
        assertTrue(registry().lookup(alice).isEmpty());
    }

    @Test
    void unregister_ownEntry_removesItOnce() {
        String alice = name("Alice");
        registry().register(agent(alice, "h1"), owner("h1"));

        assertTrue(registry().unregister(alice, owner("h1")));

        assertTrue(registry().lookup(alice).isEmpty());
        assertFalse(registry().unregister(alice, owner("h1")));
    }

    @Test
    void unregister_entryOfAnotherHost_refusedAndKept() {
        String alice = name("Alice");
        registry().register(agent(alice, "h1"), owner("h1"));

        assertThrows(NotOwnerException.class, () -> registry().unregister(alice, owner("h2")));

        assertTrue(registry().lookup(alice).isPresent());
    }

    @Test
    void renew_namesTheHostDoesNotHold_returnedAndNotTaken() {
        String alice = name("Alice");
        String bob = name("Bob");
        String nobody = name("Nobody");
        registry().register(agent(alice, "h1"), owner("h1"));
        registry().register(agent(bob, "h2"), owner("h2"));

        List<String> notHeld = registry().renew(owner("h1"), List.of(alice, bob, nobody));

        assertEquals(List.of(bob, nobody), notHeld);
        assertEquals("h2", registry().lookup(bob).orElseThrow().getHostId());
        assertTrue(registry().lookup(nobody).isEmpty(), "a heartbeat registers nothing");
    }

    @Test
    void renew_ownNamesForLongerThanALease_keepsThem() {
        String alice = name("Alice");
        registry().register(agent(alice, "h1"), owner("h1"));
        long until = System.nanoTime() + lease().multipliedBy(3).dividedBy(2).toNanos();

        while (System.nanoTime() < until) {
            assertEquals(List.of(), registry().renew(owner("h1"), List.of(alice)));
            Await.pause(lease().dividedBy(5));
        }

        assertTrue(registry().lookup(alice).isPresent(), "renewed every fifth of a lease, the entry stays");
    }

    @Test
    void leaseNotRenewed_entryRunsOutAndIsReportedExpired() {
        String alice = name("Alice");
        registry().register(agent(alice, "h1"), owner("h1"));
        List<String> expired = new ArrayList<>();

        Await.until(lease().multipliedBy(10), () -> {
            expired.addAll(names(registry().expire()));
            return expired.contains(alice) && registry().lookup(alice).isEmpty();
        }, () -> alice + " to run out and be reported expired (expired so far: " + expired + ")");

        registry().register(agent(alice, "h2"), owner("h2"));
        assertEquals("h2", registry().lookup(alice).orElseThrow().getHostId(), "a name that ran out is free");
    }

    @Test
    void putAddress_newAndExistingAlias_addsAndReplaces() {
        String alice = name("Alice");
        registry().register(agent(alice, "h1"), owner("h1"));

        registry().putAddress(alice, owner("h1"), address("main", "tcp://127.0.0.1:1"));
        registry().putAddress(alice, owner("h1"), address("pub", "tcp://127.0.0.1:2"));
        registry().putAddress(alice, owner("h1"), address("main", "tcp://127.0.0.1:3"));

        assertEquals(List.of(address("main", "tcp://127.0.0.1:3"), address("pub", "tcp://127.0.0.1:2")),
                registry().lookup(alice).orElseThrow().getAddressesList());
    }

    @Test
    void removeAddress_knownAndUnknownAlias_removesTheKnownOne() {
        String alice = name("Alice");
        registry().register(agent(alice, "h1").toBuilder().addAddresses(address("main", "tcp://127.0.0.1:1"))
                .addAddresses(address("pub", "tcp://127.0.0.1:2")).build(), owner("h1"));

        registry().removeAddress(alice, owner("h1"), "main");
        registry().removeAddress(alice, owner("h1"), "nothing");

        assertEquals(List.of(address("pub", "tcp://127.0.0.1:2")),
                registry().lookup(alice).orElseThrow().getAddressesList());
    }

    @Test
    void putAndRemoveAddress_byAnotherHostOrForNobody_refused() {
        String alice = name("Alice");
        String nobody = name("Nobody");
        registry().register(agent(alice, "h1").toBuilder().addAddresses(address("main", "tcp://127.0.0.1:1")).build(),
                owner("h1"));

        assertThrows(NotOwnerException.class,
                () -> registry().putAddress(alice, owner("h2"), address("main", "tcp://127.0.0.1:9")));
        assertThrows(NotOwnerException.class, () -> registry().removeAddress(alice, owner("h2"), "main"));
        assertThrows(UnknownAgentException.class,
                () -> registry().putAddress(nobody, owner("h1"), address("main", "tcp://127.0.0.1:9")));
        assertThrows(UnknownAgentException.class, () -> registry().removeAddress(nobody, owner("h1"), "main"));
        assertEquals(List.of(address("main", "tcp://127.0.0.1:1")),
                registry().lookup(alice).orElseThrow().getAddressesList());
    }

    @Test
    void list_registeredNames_sortedByNameWithLeasesRemaining() {
        String prefix = name("Listed");
        for (String suffix : List.of("c", "a", "b")) {
            registry().register(agent(prefix + "-" + suffix, "h1"), owner("h1"));
        }

        List<AgentEntry> listed = registry().list().stream().filter(e -> e.getName().startsWith(prefix)).toList();

        assertEquals(List.of(prefix + "-a", prefix + "-b", prefix + "-c"), names(listed));
        assertTrue(listed.stream().allMatch(e -> e.getLeaseRemainingMs() > 0), listed.toString());
    }

    @Test
    void register_sameHostIdWithAnotherSecret_refusedAndEntryKept() {
        String alice = name("Alice");
        registry().register(agent(alice, "h1"), owner("h1"));

        assertThrows(DuplicateAgentNameException.class, () -> registry().register(
                agent(alice, "h1").toBuilder().setControlEndpoint("tcp://10.6.6.6:1").build(), owner("forger")));

        assertEquals("tcp://127.0.0.1:7000", registry().lookup(alice).orElseThrow().getControlEndpoint());
    }

    @Test
    void register_sameSecretUnderAnotherHostId_replacesTheEntry() {
        String alice = name("Alice");
        registry().register(agent(alice, "h1"), owner("h1"));

        registry().register(agent(alice, "h1-renamed"), owner("h1"));

        assertEquals("h1-renamed", registry().lookup(alice).orElseThrow().getHostId(),
                "the secret owns, not the label");
    }

    @Test
    void unregisterAndAddressChanges_sameHostIdWithAnotherSecret_refused() {
        String alice = name("Alice");
        registry().register(agent(alice, "h1").toBuilder().addAddresses(address("main", "tcp://127.0.0.1:1")).build(),
                owner("h1"));

        assertThrows(NotOwnerException.class, () -> registry().unregister(alice, owner("forger")));
        assertThrows(NotOwnerException.class,
                () -> registry().putAddress(alice, owner("forger"), address("main", "tcp://10.6.6.6:1")));
        assertThrows(NotOwnerException.class, () -> registry().removeAddress(alice, owner("forger"), "main"));

        assertEquals(List.of(address("main", "tcp://127.0.0.1:1")),
                registry().lookup(alice).orElseThrow().getAddressesList());
    }

    @Test
    void notOwner_message_namesTheHolderAndNothingOfItsSecret() {
        String alice = name("Alice");
        registry().register(agent(alice, "h1"), owner("h1"));

        NotOwnerException e = assertThrows(NotOwnerException.class, () -> registry().unregister(alice, owner("h2")));

        assertTrue(e.getMessage().contains(alice) && e.getMessage().contains("h1"), e.getMessage());
        assertFalse(e.getMessage().contains(TestEntries.secret("h1").toStringUtf8()), e.getMessage());
    }

    @Test
    void renew_entryOfAnotherSecretUnderTheSameHostId_notRenewedAndRunsOut() {
        String alice = name("Alice");
        registry().register(agent(alice, "h1"), owner("forger"));

        Await.until(lease().multipliedBy(10), () -> {
            assertEquals(List.of(alice), registry().renew(owner("h1"), List.of(alice)),
                    "renewed by a host that does not hold its secret");
            return registry().lookup(alice).isEmpty();
        }, () -> alice + " to run out although the host named in it heartbeats it");
    }

    @Test
    void evict_entryOfAnyHost_removesItAndReturnsIt() {
        String alice = name("Alice");
        registry().register(agent(alice, "h1"), owner("h1"));

        AgentEntry evicted = registry().evict(alice).orElseThrow();

        assertEquals("h1", evicted.getHostId());
        assertTrue(registry().lookup(alice).isEmpty());
        assertTrue(registry().evict(alice).isEmpty(), "an evicted name is gone");
        registry().register(agent(alice, "h2"), owner("h2"));
        assertEquals("h2", registry().lookup(alice).orElseThrow().getHostId(), "an evicted name is free");
    }

    @Test
    void lease_isWhatTheRegistryWasMadeWith() {
        assertEquals(lease(), registry().lease());
    }
}
