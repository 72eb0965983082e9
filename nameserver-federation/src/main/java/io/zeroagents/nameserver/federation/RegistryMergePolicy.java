package io.zeroagents.nameserver.federation;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;
import io.zeroagents.nameserver.federation.storage.StoredEntry;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The Hazelcast split-brain merge policy of the federated registry's map: when a split federation
 * heals, keeps for each name the entry that {@link MergeRule} prefers, on every member alike.
 *
 * <p>Hazelcast creates it by class name from the map configuration, hence public; it is not meant
 * to be used directly.
 *
 * @since 0.1
 */
public final class RegistryMergePolicy
        implements SplitBrainMergePolicy<Object, MergingValue<Object>, Object>, IdentifiedDataSerializable {

    private static final Logger LOG = LogManager.getLogger(RegistryMergePolicy.class);

    /** Creates the policy; Hazelcast calls this. */
    public RegistryMergePolicy() {
    }

    @Override
    public @Nullable Object merge(@Nullable MergingValue<Object> merging, @Nullable MergingValue<Object> existing) {
        if (merging == null) {
            return existing == null ? null : existing.getRawValue();
        }
        if (existing == null) {
            return merging.getRawValue();
        }
        StoredEntry incoming = stored(merging);
        StoredEntry held = stored(existing);
        StoredEntry winner = MergeRule.winner(incoming, held);
        StoredEntry loser = winner == incoming ? held : incoming;
        if (!MergeRule.sameOwner(winner, loser) && !loser.getRemoved()) {
            // The loser's host learns it at its next heartbeat; this line says why on the member that decided.
            LOG.warn("Federation healed a split: agent name '{}' was held by host {} (through name server host '{}')"
                            + " and by host {} (through '{}'); host {} keeps it ({})",
                    winner.getAgent().getName(), winner.getAgent().getHostId(), winner.getAgent().getNameserverHost(),
                    loser.getAgent().getHostId(), loser.getAgent().getNameserverHost(), winner.getAgent().getHostId(),
                    MergeRule.reason(winner, loser));
        }
        return winner == incoming ? merging.getRawValue() : existing.getRawValue();
    }

    private static StoredEntry stored(MergingValue<Object> value) {
        Object deserialized = value.getDeserializedValue();
        if (!(deserialized instanceof byte[] bytes)) {
            throw new IllegalStateException("The federated registry's map holds a "
                    + (deserialized == null ? "null" : deserialized.getClass().getName())
                    + " value; expected the bytes of a StoredEntry");
        }
        return EntryChangeProcessor.parseStored("?", bytes);
    }

    @Override
    public int getFactoryId() {
        return FederationDataFactory.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return FederationDataFactory.MERGE_POLICY;
    }

    @Override
    public void writeData(ObjectDataOutput out) {
        // Stateless.
    }

    @Override
    public void readData(ObjectDataInput in) {
        // Stateless.
    }
}
