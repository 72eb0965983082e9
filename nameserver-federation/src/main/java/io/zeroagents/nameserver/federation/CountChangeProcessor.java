package io.zeroagents.nameserver.federation;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.io.Serial;
import java.util.Map;

/**
 * Changes one of the federation's agent counts atomically, on the member that owns the count's
 * partition (then identically on its backups): adds a delta, unless that takes the count beyond a
 * limit.
 *
 * <p>Returns the count after the change; when the limit refuses it, {@code -1 - count}, the count
 * unchanged encoded as a negative number. A count that reaches zero is removed, so that hosts gone
 * leave nothing behind; it never goes below zero.
 */
final class CountChangeProcessor implements EntryProcessor<String, Long, Long>, IdentifiedDataSerializable {

    /** No limit: the change always applies. */
    static final long UNLIMITED = Long.MAX_VALUE;

    @Serial
    private static final long serialVersionUID = 1L;

    private long delta;
    private long limit = UNLIMITED;

    /** For Hazelcast's {@link FederationDataFactory}. */
    CountChangeProcessor() {
    }

    /**
     * Creates the change.
     *
     * @param delta what to add; negative to take away
     * @param limit the count it may reach at most, or {@link #UNLIMITED}
     */
    CountChangeProcessor(long delta, long limit) {
        this.delta = delta;
        this.limit = limit;
    }

    /**
     * Tells whether a result of this processor is a refusal.
     *
     * @param result what {@link #process} returned
     * @return true if the limit refused the change
     */
    static boolean refused(long result) {
        return result < 0;
    }

    /**
     * Reads the count a refusal found.
     *
     * @param result a refusal
     * @return the count, unchanged
     */
    static long countOfRefusal(long result) {
        return -1 - result;
    }

    @Override
    public Long process(Map.Entry<String, Long> entry) {
        Long value = entry.getValue();
        long current = value == null ? 0 : value;
        long next = Math.max(0, current + delta);
        if (delta > 0 && next > limit) {
            return -1 - current;
        }
        entry.setValue(next == 0 ? null : next);
        return next;
    }

    @Override
    public int getFactoryId() {
        return FederationDataFactory.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return FederationDataFactory.COUNT_CHANGE;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(delta);
        out.writeLong(limit);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        delta = in.readLong();
        limit = in.readLong();
    }
}
