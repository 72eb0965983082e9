package io.zeroagents.nameserver.federation;

import com.hazelcast.aggregation.Aggregator;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.zeroagents.nameserver.federation.storage.StoredEntry;
import java.io.IOException;
import java.io.Serial;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts the live entries of the agents' map (tombstones left out) per host id, on every member
 * over the partitions it owns, then combined: what {@link AgentCounts} recounts its counts from.
 */
final class LiveCountAggregator implements Aggregator<Map.Entry<String, byte[]>, Map<String, Long>>,
        IdentifiedDataSerializable {

    @Serial
    private static final long serialVersionUID = 1L;

    // Sent between members by writeData, never Java-serialized.
    private transient Map<String, Long> perHost = new HashMap<>();

    @Override
    public void accumulate(Map.Entry<String, byte[]> entry) {
        byte[] value = entry.getValue();
        if (value == null) {
            return;
        }
        StoredEntry stored = EntryChangeProcessor.parseStored(entry.getKey(), value);
        if (!stored.getRemoved()) {
            perHost.merge(stored.getAgent().getHostId(), 1L, Long::sum);
        }
    }

    @Override
    public void combine(@SuppressWarnings("rawtypes") Aggregator aggregator) {
        ((LiveCountAggregator) aggregator).perHost.forEach((host, count) -> perHost.merge(host, count, Long::sum));
    }

    @Override
    public Map<String, Long> aggregate() {
        return Map.copyOf(perHost);
    }

    @Override
    public int getFactoryId() {
        return FederationDataFactory.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return FederationDataFactory.LIVE_COUNT;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeInt(perHost.size());
        for (Map.Entry<String, Long> count : perHost.entrySet()) {
            out.writeString(count.getKey());
            out.writeLong(count.getValue());
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        int size = in.readInt();
        perHost = new HashMap<>();
        for (int i = 0; i < size; i++) {
            perHost.put(in.readString(), in.readLong());
        }
    }
}
