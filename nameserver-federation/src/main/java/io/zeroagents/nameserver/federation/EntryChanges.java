package io.zeroagents.nameserver.federation;

import io.zeroagents.nameserver.protocol.AddressEntry;
import io.zeroagents.nameserver.protocol.AgentEntry;
import io.zeroagents.nameserver.federation.storage.ChangeResult;
import io.zeroagents.nameserver.federation.storage.EntryChange;
import io.zeroagents.nameserver.federation.storage.StoredEntry;
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
            case RENEW_HOST_ID -> whenHeld(live, change.getRenewHostId(), held -> new Outcome(APPLIED,
                    Write.WITH_NEW_LEASE, next(held, change).build()));
            case UNREGISTER -> whenHeld(live, change.getUnregister().getHostId(), held -> {
                // A tombstone: the name is free, and a stale copy of the entry cannot come back
                // from the other side of a partition, since the tombstone is newer (see MergeRule).
                AgentEntry agent = held.getAgent().toBuilder().clearAddresses().build();
                return new Outcome(APPLIED, Write.WITH_NEW_LEASE,
                        next(held, change).setAgent(agent).setRemoved(true).build());
            });
            case PUT_ADDRESS -> whenHeld(live, change.getPutAddress().getHostId(), held -> {
                AgentEntry.Builder agent = withAddress(held.getAgent(), change.getPutAddress().getAddress());
                return new Outcome(APPLIED, Write.KEEPING_LEASE, bump(held).setAgent(agent).build());
            });
            case REMOVE_ADDRESS -> whenHeld(live, change.getRemoveAddress().getHostId(), held -> {
                AgentEntry.Builder agent = withoutAlias(held.getAgent(), change.getRemoveAddress().getAlias());
                return new Outcome(APPLIED, Write.KEEPING_LEASE, bump(held).setAgent(agent).build());
            });
            case CHANGE_NOT_SET -> throw new IllegalArgumentException("A federated registry change has no body");
        };
    }

    private static Outcome register(@Nullable StoredEntry current, @Nullable StoredEntry live, EntryChange change) {
        AgentEntry agent = change.getRegister().getAgent().toBuilder().clearLeaseRemainingMs().build();
        if (live != null && !live.getAgent().getHostId().equals(agent.getHostId())) {
            return heldByOther(live);
        }
        // The same host re-registering keeps its registration time: it has held the name all along.
        long registeredAt = live != null ? live.getRegisteredAtMs() : change.getNowMs();
        StoredEntry.Builder stored = StoredEntry.newBuilder()
                .setAgent(agent)
                .setRegisteredAtMs(registeredAt)
                .setLeaseDeadlineMs(change.getNowMs() + change.getLeaseMs())
                .setVersion(current == null ? 1 : current.getVersion() + 1);
        return new Outcome(APPLIED, Write.WITH_NEW_LEASE, stored.build());
    }

    private interface HeldChange {
        Outcome apply(StoredEntry held);
    }

    private static Outcome whenHeld(@Nullable StoredEntry live, String hostId, HeldChange change) {
        if (live == null) {
            return new Outcome(ABSENT, Write.NONE, null);
        }
        if (!live.getAgent().getHostId().equals(hostId)) {
            return heldByOther(live);
        }
        return change.apply(live);
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
