package io.zeroagents.nameserver.federation;

import static io.zeroagents.nameserver.TestEntries.owner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.nameserver.federation.EntryChanges.Outcome;
import io.zeroagents.nameserver.federation.EntryChanges.Write;
import io.zeroagents.nameserver.federation.storage.ChangeResult;
import io.zeroagents.nameserver.federation.storage.EntryChange;
import io.zeroagents.nameserver.federation.storage.StoredEntry;
import io.zeroagents.nameserver.protocol.AddressEntry;
import io.zeroagents.nameserver.protocol.AgentEntry;
import io.zeroagents.nameserver.protocol.PutAddress;
import io.zeroagents.nameserver.protocol.Register;
import io.zeroagents.nameserver.protocol.Unregister;
import org.junit.jupiter.api.Test;

/** The federated registry's rules for one name, without Hazelcast. */
class EntryChangesTest {

    private static final long LEASE = 5_000;

    private static EntryChange.Builder at(long now) {
        return EntryChange.newBuilder().setNowMs(now).setLeaseMs(LEASE);
    }

    /** A change asked by a host: the digest of its secret goes with it. */
    private static EntryChange.Builder by(String host, long now) {
        return at(now).setOwnerDigest(owner(host).digest());
    }

    private static EntryChange register(long now, String host) {
        return register(now, host, host);
    }

    /** A registration under a host id by the holder of another host's secret. */
    private static EntryChange register(long now, String hostId, String secretOf) {
        return by(secretOf, now).setRegister(Register.newBuilder().setAgent(AgentEntry.newBuilder().setName("Bob")
                .setHostId(hostId).setLeaseRemainingMs(123))).build();
    }

    @Test
    void registration_ofAFreeName_storesItWithALeaseAndVersionOne() {
        Outcome outcome = EntryChanges.apply(null, register(1_000, "host-a"));

        assertEquals(ChangeResult.Outcome.APPLIED, outcome.result().getOutcome());
        assertEquals(Write.WITH_NEW_LEASE, outcome.write());
        StoredEntry stored = outcome.stored();
        assertEquals(1_000, stored.getRegisteredAtMs());
        assertEquals(6_000, stored.getLeaseDeadlineMs());
        assertEquals(1, stored.getVersion());
        assertEquals(0, stored.getAgent().getLeaseRemainingMs(), "the time left is computed on reading, never stored");
        assertEquals(owner("host-a").digest(), stored.getOwnerDigest(), "the owner's digest, beside the agent");
    }

    @Test
    void reRegistration_bySameHost_keepsItsRegistrationTime() {
        StoredEntry first = EntryChanges.apply(null, register(1_000, "host-a")).stored();

        StoredEntry again = EntryChanges.apply(first, register(3_000, "host-a")).stored();

        assertEquals(1_000, again.getRegisteredAtMs());
        assertEquals(8_000, again.getLeaseDeadlineMs());
        assertEquals(2, again.getVersion());
    }

    @Test
    void registrationAndRemoval_nameTheLiveEntryTheyReplaceOrRemove_forTheFederationsCounts() {
        Outcome first = EntryChanges.apply(null, register(1_000, "host-a"));
        assertFalse(first.result().hasHolder(), "the name was free: one agent more");

        Outcome again = EntryChanges.apply(first.stored(), register(2_000, "host-a"));
        assertEquals("host-a", again.result().getHolder().getHostId(), "a re-registration replaces a live entry");

        Outcome removed = EntryChanges.apply(again.stored(),
                by("host-a", 3_000).setUnregister(Unregister.newBuilder().setName("Bob")).build());
        assertEquals(ChangeResult.Outcome.APPLIED, removed.result().getOutcome());
        assertEquals("host-a", removed.result().getHolder().getHostId());
        assertFalse(EntryChanges.apply(removed.stored(), register(4_000, "host-b")).result().hasHolder(),
                "a tombstone is no live entry");
    }

    @Test
    void registration_byAnotherHost_isRefusedWithTheHolder_andChangesNothing() {
        StoredEntry held = EntryChanges.apply(null, register(1_000, "host-a")).stored();

        Outcome outcome = EntryChanges.apply(held, register(2_000, "host-b"));

        assertEquals(ChangeResult.Outcome.HELD_BY_OTHER, outcome.result().getOutcome());
        assertEquals("host-a", outcome.result().getHolder().getHostId());
        assertEquals(Write.NONE, outcome.write());
        assertNull(outcome.stored());
    }

    @Test
    void removal_leavesATombstone_thatAnotherHostMayRegisterOver_asANewRegistration() {
        StoredEntry held = EntryChanges.apply(null, register(1_000, "host-a")).stored();

        StoredEntry tombstone = EntryChanges.apply(held, by("host-a", 2_000).setUnregister(Unregister.newBuilder()
                .setName("Bob")).build()).stored();
        assertTrue(tombstone.getRemoved());
        assertEquals(2, tombstone.getVersion());
        assertEquals(7_000, tombstone.getLeaseDeadlineMs(), "a tombstone lasts a lease, longer than any stale copy");

        assertEquals(ChangeResult.Outcome.ABSENT, EntryChanges.apply(tombstone, by("host-a", 2_500).setRenew(true)
                .build()).result().getOutcome());
        StoredEntry taken = EntryChanges.apply(tombstone, register(3_000, "host-b")).stored();
        assertEquals("host-b", taken.getAgent().getHostId());
        assertEquals(3_000, taken.getRegisteredAtMs());
        assertEquals(3, taken.getVersion());
    }

    @Test
    void renewal_extendsTheLeaseForTheHolderOnly() {
        StoredEntry held = EntryChanges.apply(null, register(1_000, "host-a")).stored();

        Outcome renewed = EntryChanges.apply(held, by("host-a", 4_000).setRenew(true).build());
        Outcome other = EntryChanges.apply(held, by("host-b", 4_000).setRenew(true).build());

        assertEquals(9_000, renewed.stored().getLeaseDeadlineMs());
        assertEquals(Write.WITH_NEW_LEASE, renewed.write());
        assertEquals(ChangeResult.Outcome.HELD_BY_OTHER, other.result().getOutcome());
        assertEquals(ChangeResult.Outcome.ABSENT,
                EntryChanges.apply(null, by("host-a", 4_000).setRenew(true).build()).result().getOutcome());
    }

    @Test
    void registrationAndRenewal_underTheHoldersHostIdWithAnotherSecret_refused() {
        StoredEntry held = EntryChanges.apply(null, register(1_000, "host-a")).stored();

        Outcome forged = EntryChanges.apply(held, register(2_000, "host-a", "forger"));
        Outcome renewed = EntryChanges.apply(held, by("forger", 2_000).setRenew(true).build());

        assertEquals(ChangeResult.Outcome.HELD_BY_OTHER, forged.result().getOutcome());
        assertEquals(ChangeResult.Outcome.HELD_BY_OTHER, renewed.result().getOutcome());
        assertEquals(Write.NONE, renewed.write());
    }

    @Test
    void eviction_ofAnyHostsEntry_leavesATombstoneAndReturnsTheEntry() {
        StoredEntry held = EntryChanges.apply(null, register(1_000, "host-a")).stored();

        Outcome evicted = EntryChanges.apply(held, at(2_000).setEvict(true).build());

        assertEquals(ChangeResult.Outcome.APPLIED, evicted.result().getOutcome());
        assertEquals("host-a", evicted.result().getHolder().getHostId());
        assertTrue(evicted.stored().getRemoved());
        assertEquals(ChangeResult.Outcome.ABSENT,
                EntryChanges.apply(evicted.stored(), at(2_500).setEvict(true).build()).result().getOutcome());
    }

    @Test
    void addressChange_keepsTheLease_andReplacesTheAliasInPlace() {
        StoredEntry held = EntryChanges.apply(null, register(1_000, "host-a")).stored();
        AddressEntry first = AddressEntry.newBuilder().setAlias("in").setEndpoint("tcp://h:1").build();
        AddressEntry second = AddressEntry.newBuilder().setAlias("out").setEndpoint("tcp://h:2").build();
        AddressEntry moved = AddressEntry.newBuilder().setAlias("in").setEndpoint("tcp://h:3").build();
        for (AddressEntry address : new AddressEntry[] {first, second, moved}) {
            Outcome outcome = EntryChanges.apply(held, by("host-a", 2_000).setPutAddress(PutAddress.newBuilder()
                    .setName("Bob").setAddress(address)).build());
            assertEquals(Write.KEEPING_LEASE, outcome.write());
            held = outcome.stored();
        }

        assertEquals(java.util.List.of(moved, second), held.getAgent().getAddressesList());
        assertEquals(6_000, held.getLeaseDeadlineMs());
    }
}
