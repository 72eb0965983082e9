package io.zeroagents.nameserver.federation;

import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

/**
 * Creates the federation's objects that travel between Hazelcast members (the entry processors,
 * the merge policy and the aggregator) from their ids, so that no Java serialization is involved.
 */
final class FederationDataFactory implements DataSerializableFactory {

    /** The factory id, registered in every member's serialization config; positive ids are the user's. */
    static final int FACTORY_ID = 0x7A_4E_53; // "zNS"
    /** {@link EntryChangeProcessor}. */
    static final int ENTRY_CHANGE = 1;
    /** {@link RegistryMergePolicy}. */
    static final int MERGE_POLICY = 2;
    /** {@link CountChangeProcessor}. */
    static final int COUNT_CHANGE = 3;
    /** {@link LiveCountAggregator}. */
    static final int LIVE_COUNT = 4;

    @Override
    public IdentifiedDataSerializable create(int typeId) {
        return switch (typeId) {
            case ENTRY_CHANGE -> new EntryChangeProcessor();
            case MERGE_POLICY -> new RegistryMergePolicy();
            case COUNT_CHANGE -> new CountChangeProcessor();
            case LIVE_COUNT -> new LiveCountAggregator();
            default -> throw new IllegalArgumentException("Unknown federation type id " + typeId
                    + "; is a member of another ZeroAgents version in the cluster?");
        };
    }
}
