package io.zeroagents.nameserver.registry;

import static io.zeroagents.nameserver.TestEntries.address;
import static io.zeroagents.nameserver.TestEntries.agent;
import static io.zeroagents.nameserver.TestEntries.owner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.zeroagents.DuplicateAgentNameException;
import io.zeroagents.UnknownAgentException;
import io.zeroagents.nameserver.protocol.AgentEntry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LocalRegistryTest {

    private static final Duration LEASE = Duration.ofSeconds(10);

    // Starts near the wrap-around point so that deadline arithmetic must survive overflow.
    private final AtomicLong clock = new AtomicLong(Long.MAX_VALUE - Duration.ofSeconds(5).toNanos());
    private final LocalRegistry registry = new LocalRegistry(LEASE, clock::get);

    private void advance(Duration duration) {
        clock.addAndGet(duration.toNanos());
    }

    @Test
    void lookup_afterRegister_returnsEntryWithRemainingLease() {
        registry.register(agent("Alice", "h1"), owner("h1"));
        advance(Duration.ofSeconds(3));

        AgentEntry found = registry.lookup("Alice").orElseThrow();

        assertEquals(agent("Alice", "h1").toBuilder().setLeaseRemainingMs(7_000).build(), found);
    }

    @Test
    void register_duplicateNameFromOtherHost_isRefused() {
        registry.register(agent("Alice", "h1"), owner("h1"));

        DuplicateAgentNameException e = assertThrows(DuplicateAgentNameException.class,
                () -> registry.register(agent("Alice", "h2"), owner("h2")));

        assertEquals("Agent name 'Alice' is already registered by host h1 (with another host secret)", e.getMessage());
        assertEquals("h1", registry.lookup("Alice").orElseThrow().getHostId());
    }

    @Test
    void register_sameNameFromSameHost_replacesEntryAndRenewsLease() {
        registry.register(agent("Alice", "h1"), owner("h1"));
        advance(Duration.ofSeconds(8));

        registry.register(agent("Alice", "h1").toBuilder().setControlEndpoint("tcp://10.0.0.1:1").build(), owner("h1"));
        advance(Duration.ofSeconds(8));

        AgentEntry found = registry.lookup("Alice").orElseThrow();
        assertEquals("tcp://10.0.0.1:1", found.getControlEndpoint());
        assertEquals(2_000, found.getLeaseRemainingMs());
    }

    @Test
    void register_nameWhoseLeaseRanOut_isGivenToOtherHost() {
        registry.register(agent("Alice", "h1"), owner("h1"));
        advance(LEASE);

        registry.register(agent("Alice", "h2"), owner("h2"));

        assertEquals("h2", registry.lookup("Alice").orElseThrow().getHostId());
    }

    @Test
    void register_blankNameOrHostId_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> registry.register(agent(" ", "h1"), owner("h1")));
        assertThrows(IllegalArgumentException.class, () -> registry.register(agent("Alice", ""), owner("h1")));
        assertTrue(registry.list().isEmpty());
    }

    @Test
    void register_twoAddressesWithSameAlias_isRejected() {
        AgentEntry entry = agent("Alice", "h1").toBuilder()
                .addAddresses(address("main", "tcp://127.0.0.1:1"))
                .addAddresses(address("main", "tcp://127.0.0.1:2"))
                .build();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> registry.register(entry, owner("h1")));

        assertTrue(e.getMessage().contains("'main'"), e.getMessage());
    }

    @Test
    void register_leaseRemainingFromCaller_isIgnored() {
        registry.register(agent("Alice", "h1").toBuilder().setLeaseRemainingMs(999_999).build(), owner("h1"));

        assertEquals(LEASE.toMillis(), registry.lookup("Alice").orElseThrow().getLeaseRemainingMs());
    }

    @Test
    void lookup_afterLeaseRunsOut_isEmptyBeforeExpireRuns() {
        registry.register(agent("Alice", "h1"), owner("h1"));
        advance(LEASE.minusNanos(1));
        assertTrue(registry.lookup("Alice").isPresent());

        advance(Duration.ofNanos(1));

        assertTrue(registry.lookup("Alice").isEmpty());
        assertTrue(registry.list().isEmpty());
    }

    @Test
    void expire_removesAndReturnsOnlyEntriesWhoseLeaseRanOut() {
        registry.register(agent("Carol", "h1"), owner("h1"));
        registry.register(agent("Alice", "h2"), owner("h2"));
        advance(Duration.ofSeconds(5));
        registry.register(agent("Bob", "h1"), owner("h1"));
        advance(Duration.ofSeconds(5));

        List<AgentEntry> expired = registry.expire();

        assertEquals(List.of("Alice", "Carol"), expired.stream().map(AgentEntry::getName).toList());
        assertEquals(List.of("Bob"), registry.list().stream().map(AgentEntry::getName).toList());
        assertTrue(registry.expire().isEmpty());
    }

    @Test
    void renew_extendsLeasesOfTheHostsOwnNames() {
        registry.register(agent("Alice", "h1"), owner("h1"));
        registry.register(agent("Bob", "h1"), owner("h1"));
        advance(Duration.ofSeconds(9));

        List<String> unknown = registry.renew(owner("h1"), List.of("Alice", "Bob"));
        advance(Duration.ofSeconds(9));

        assertEquals(List.of(), unknown);
        assertEquals(1_000, registry.lookup("Alice").orElseThrow().getLeaseRemainingMs());
        assertEquals(1_000, registry.lookup("Bob").orElseThrow().getLeaseRemainingMs());
    }

    @Test
    void renew_returnsNamesNotHeldForTheHost() {
        registry.register(agent("Alice", "h1"), owner("h1"));
        registry.register(agent("Bob", "h2"), owner("h2"));
        registry.register(agent("Carol", "h1"), owner("h1"));
        advance(LEASE);
        registry.register(agent("Alice", "h1"), owner("h1"));

        List<String> unknown = registry.renew(owner("h1"), List.of("Alice", "Bob", "Carol", "Dave"));

        assertEquals(List.of("Bob", "Carol", "Dave"), unknown);
        assertTrue(registry.lookup("Carol").isEmpty(), "a heartbeat must not revive an expired entry");
    }

    @Test
    void ownerKey_missingOrShortSecret_isRejectedNamingTheRequest() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> OwnerKey.ofSecret(ByteString.EMPTY, "heartbeat of host h1"));
        IllegalArgumentException shortOne = assertThrows(IllegalArgumentException.class,
                () -> OwnerKey.ofSecret(ByteString.copyFrom(new byte[OwnerKey.MIN_SECRET_BYTES - 1])));

        assertTrue(missing.getMessage().startsWith("heartbeat of host h1 carries no host_secret"),
                missing.getMessage());
        assertTrue(shortOne.getMessage().contains("a host_secret of 15 bytes"), shortOne.getMessage());
    }

    @Test
    void unregister_ownEntry_removesIt() {
        registry.register(agent("Alice", "h1"), owner("h1"));

        assertTrue(registry.unregister("Alice", owner("h1")));

        assertTrue(registry.lookup("Alice").isEmpty());
        assertFalse(registry.unregister("Alice", owner("h1")));
    }

    @Test
    void unregister_entryOfOtherHost_throwsNotOwnerAndKeepsIt() {
        registry.register(agent("Alice", "h1"), owner("h1"));

        NotOwnerException e = assertThrows(NotOwnerException.class, () -> registry.unregister("Alice", owner("h2")));

        assertTrue(e.getMessage().startsWith("Agent 'Alice' is registered by host h1 and the request did not carry"
                + " that host's secret"), e.getMessage());
        assertTrue(registry.lookup("Alice").isPresent());
    }

    @Test
    void putAddress_addsNewAliasAndReplacesExistingOne() {
        registry.register(agent("Alice", "h1"), owner("h1"));

        registry.putAddress("Alice", owner("h1"), address("main", "tcp://127.0.0.1:1"));
        registry.putAddress("Alice", owner("h1"), address("pub", "tcp://127.0.0.1:2"));
        registry.putAddress("Alice", owner("h1"), address("main", "tcp://127.0.0.1:3"));

        assertEquals(List.of(address("main", "tcp://127.0.0.1:3"), address("pub", "tcp://127.0.0.1:2")),
                registry.lookup("Alice").orElseThrow().getAddressesList());
    }

    @Test
    void putAddress_doesNotRenewTheLease() {
        registry.register(agent("Alice", "h1"), owner("h1"));
        advance(Duration.ofSeconds(4));

        registry.putAddress("Alice", owner("h1"), address("main", "tcp://127.0.0.1:1"));

        assertEquals(6_000, registry.lookup("Alice").orElseThrow().getLeaseRemainingMs());
    }

    @Test
    void removeAddress_removesAliasAndIgnoresUnknownAlias() {
        registry.register(agent("Alice", "h1").toBuilder()
                .addAddresses(address("main", "tcp://127.0.0.1:1"))
                .addAddresses(address("pub", "tcp://127.0.0.1:2"))
                .build(), owner("h1"));

        registry.removeAddress("Alice", owner("h1"), "main");
        registry.removeAddress("Alice", owner("h1"), "nothing");

        assertEquals(List.of(address("pub", "tcp://127.0.0.1:2")),
                registry.lookup("Alice").orElseThrow().getAddressesList());
    }

    @Test
    void putAddressAndRemoveAddress_unknownAgent_throwUnknownAgent() {
        registry.register(agent("Alice", "h1"), owner("h1"));
        advance(LEASE);

        UnknownAgentException e = assertThrows(UnknownAgentException.class,
                () -> registry.putAddress("Alice", owner("h1"), address("main", "tcp://127.0.0.1:1")));
        assertThrows(UnknownAgentException.class, () -> registry.removeAddress("Bob", owner("h1"), "main"));

        assertEquals("No agent named 'Alice' is registered", e.getMessage());
    }

    @Test
    void putAddressAndRemoveAddress_byOtherHost_throwNotOwner() {
        registry.register(agent("Alice", "h1").toBuilder().addAddresses(address("main", "tcp://127.0.0.1:1")).build(),
                owner("h1"));

        assertThrows(NotOwnerException.class,
                () -> registry.putAddress("Alice", owner("h2"), address("main", "tcp://127.0.0.1:9")));
        assertThrows(NotOwnerException.class, () -> registry.removeAddress("Alice", owner("h2"), "main"));

        assertEquals(List.of(address("main", "tcp://127.0.0.1:1")),
                registry.lookup("Alice").orElseThrow().getAddressesList());
    }

    @Test
    void putAddress_blankAlias_isRejected() {
        registry.register(agent("Alice", "h1"), owner("h1"));

        assertThrows(IllegalArgumentException.class,
                () -> registry.putAddress("Alice", owner("h1"), address("", "tcp://127.0.0.1:1")));
    }

    @Test
    void list_isSortedByNameAndFillsRemainingLease() {
        registry.register(agent("Carol", "h1"), owner("h1"));
        registry.register(agent("Alice", "h2"), owner("h2"));
        registry.register(agent("Bob", "h1"), owner("h1"));
        advance(Duration.ofSeconds(1));

        List<AgentEntry> listed = registry.list();

        assertEquals(List.of("Alice", "Bob", "Carol"), listed.stream().map(AgentEntry::getName).toList());
        assertTrue(listed.stream().allMatch(e -> e.getLeaseRemainingMs() == 9_000));
    }

    @Test
    void constructor_nonPositiveLease_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> new LocalRegistry(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new LocalRegistry(Duration.ofSeconds(-1)));
    }

    @Test
    void lease_returnsConfiguredDuration() {
        assertEquals(LEASE, registry.lease());
    }
}
