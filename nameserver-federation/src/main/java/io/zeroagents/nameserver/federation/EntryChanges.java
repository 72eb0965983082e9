package io.zeroagents.nameserver.federation;

import io.zeroagents.nameserver.protocol.AddressEntry;
import io.zeroagents.nameserver.protocol.AgentEntry;
import io.zeroagents.nameserver.federation.storage.ChangeResult;
import io.zeroagents.nameserver.federation.storage.EntryChange;
import io.zeroagents.nameserver.federation.storage.StoredEntry;
import io.zeroagents.nameserver.registry.OwnerKey;
import org.jspecify.annotations.Nullable;

/**
 * The rules of the federated registry for one name: what a registration, renewal, removal or
 * address change does to the entry stored under it.
 *
 * <p>Pure functions, with no Hazelcast in sight, so that the rules are tested on their own; {@link
 * EntryChangeProcessor} runs them where the entry lives. The same change applied to the same
 * entry gives the same result, which is what lets Hazelcast's backups apply it again.
 */
final class EntryChanges {

    /** How the stored entry changes. */
    enum Write {
        /** The entry stays as it was. */
        NONE,
        /** The new entry is stored with a fresh time-to-live of one lease. */
        WITH_NEW_LEASE,
        /** The new entry is stored and keeps the time-to-live it had. */
        KEEPING_LEASE
    }

    /**
     * What a change did.
     *
     * @param result what the asking name server learns
     * @param write  how the stored entry changes
     * @param stored the entry to store, for writes
     */
    record Outcome(ChangeResult result, Write write, @Nullable StoredEntry stored) {
    }

    private static final ChangeResult APPLIED = ChangeResult.newBuilder()
            .setOutcome(ChangeResult.Outcome.APPLIED).build();
    private static final ChangeResult ABSENT = ChangeResult.newBuilder()
            .setOutcome(ChangeResult.Outcome.ABSENT).build();

    private EntryChanges() {
    }

    /**
     * Applies a change to the entry stored under a name.
     *
     * @param current the stored entry, or null when the name has none (never taken, or expired)
     * @param change  the change
     * @return what to answer and what to store
     * @throws IllegalArgumentException if the change has no body
     */
    static Outcome apply(@Nullable StoredEntry current, EntryChange change) {
        StoredEntry live = current == null || current.getRemoved() ? null : current;
        return switch (change.getChangeCase()) {
            case REGISTER -> register(current, live, change);
            case RENEW -> whenHeld(live, change, held -> new Outcome(APPLIED,
                    Write.WITH_NEW_LEASE, next(held, change).build()));
            case RENEW_HOST_ID -> throw new IllegalArgumentException("A federated registry change renews by host"
                    + " id, as members older than owner digests did; the members of a federation must run one version");
            case EVICT -> live == null ? new Outcome(ABSENT, Write.NONE, null)
                    : new Outcome(applied(live), Write.WITH_NEW_LEASE, tombstone(live, change));
            case UNREGISTER -> whenHeld(live, change,
                    held -> new Outcome(applied(held), Write.WITH_NEW_LEASE, tombstone(held, change)));
            case PUT_ADDRESS -> whenHeld(live, change, held -> {
                AgentEntry.Builder agent = withAddress(held.getAgent(), change.getPutAddress().getAddress());
                return new Outcome(APPLIED, Write.KEEPING_LEASE, bump(held).setAgent(agent).build());
            });
            case REMOVE_ADDRESS -> whenHeld(live, change, held -> {
                AgentEntry.Builder agent = withoutAlias(held.getAgent(), change.getRemoveAddress().getAlias());
                return new Outcome(APPLIED, Write.KEEPING_LEASE, bump(held).setAgent(agent).build());
            });
            case CHANGE_NOT_SET -> throw new IllegalArgumentException("A federated registry change has no body");
        };
    }

    // A tombstone: the name is free, and a stale copy of the entry cannot come back from the other
    // side of a partition, since the tombstone is newer (see MergeRule).
    private static StoredEntry tombstone(StoredEntry held, EntryChange change) {
        AgentEntry agent = held.getAgent().toBuilder().clearAddresses().build();
        return next(held, change).setAgent(agent).setRemoved(true).build();
    }

    private static Outcome register(@Nullable StoredEntry current, @Nullable StoredEntry live, EntryChange change) {
        AgentEntry agent = change.getRegister().getAgent().toBuilder().clearLeaseRemainingMs().build();
        if (live != null && !sameOwner(live, change)) {
            return heldByOther(live);
        }
        // The same host re-registering keeps its registration time: it has held the name all along.
        long registeredAt = live != null ? live.getRegisteredAtMs() : change.getNowMs();
        StoredEntry.Builder stored = StoredEntry.newBuilder()
                .setAgent(agent)
                .setRegisteredAtMs(registeredAt)
                .setLeaseDeadlineMs(change.getNowMs() + change.getLeaseMs())
                .setOwnerDigest(OwnerKey.ofDigest(change.getOwnerDigest()).digest())
                .setVersion(current == null ? 1 : current.getVersion() + 1);
        // The entry replaced, if any, tells the asking member whether the federation holds one more agent.
        return new Outcome(live == null ? APPLIED : applied(live), Write.WITH_NEW_LEASE, stored.build());
    }

    // Applied, naming the entry removed or replaced.
    private static ChangeResult applied(StoredEntry previous) {
        return ChangeResult.newBuilder().setOutcome(ChangeResult.Outcome.APPLIED).setHolder(previous.getAgent()).build();
    }

    private interface HeldChange {
        Outcome apply(StoredEntry held);
    }

    private static Outcome whenHeld(@Nullable StoredEntry live, EntryChange change, HeldChange held) {
        if (live == null) {
            return new Outcome(ABSENT, Write.NONE, null);
        }
        if (!sameOwner(live, change)) {
            return heldByOther(live);
        }
        return held.apply(live);
    }

    // The digest, not the host id anyone can read, says whose the entry is.
    private static boolean sameOwner(StoredEntry live, EntryChange change) {
        return OwnerKey.ofDigest(change.getOwnerDigest()).matches(live.getOwnerDigest());
    }

    private static Outcome heldByOther(StoredEntry live) {
        ChangeResult result = ChangeResult.newBuilder()
                .setOutcome(ChangeResult.Outcome.HELD_BY_OTHER)
                .setHolder(live.getAgent())
                .build();
        return new Outcome(result, Write.NONE, null);
    }

    private static StoredEntry.Builder next(StoredEntry held, EntryChange change) {
        return bump(held).setLeaseDeadlineMs(change.getNowMs() + change.getLeaseMs());
    }

    private static StoredEntry.Builder bump(StoredEntry held) {
        return held.toBuilder().setVersion(held.getVersion() + 1);
    }

    // Replaces the address of the same alias in place, as LocalRegistry does, so listings agree.
    private static AgentEntry.Builder withAddress(AgentEntry agent, AddressEntry address) {
        AgentEntry.Builder changed = agent.toBuilder();
        for (int i = 0; i < agent.getAddressesCount(); i++) {
            if (agent.getAddresses(i).getAlias().equals(address.getAlias())) {
                return changed.setAddresses(i, address);
            }
        }
        return changed.addAddresses(address);
    }

    private static AgentEntry.Builder withoutAlias(AgentEntry agent, String alias) {
        AgentEntry.Builder changed = agent.toBuilder().clearAddresses();
        for (AddressEntry address : agent.getAddressesList()) {
            if (!address.getAlias().equals(alias)) {
                changed.addAddresses(address);
            }
        }
        return changed;
    }
}
