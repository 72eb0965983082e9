package io.zeroagents.nameserver.federation;

import com.google.protobuf.InvalidProtocolBufferException;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.zeroagents.nameserver.federation.storage.EntryChange;
import io.zeroagents.nameserver.federation.storage.StoredEntry;
import java.io.IOException;
import java.io.Serial;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Applies one {@link EntryChange} to the entry of a name, atomically, on the member that owns the
 * name's partition, then again on its backups (the default backup processor is this one; the
 * change carries its clock, so the backups store the same entry).
 *
 * <p>Returns the serialized {@code ChangeResult}.
 */
final class EntryChangeProcessor implements EntryProcessor<String, byte[], byte[]>, IdentifiedDataSerializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private byte[] change = new byte[0];
    // Parsed once per member, on first use.
    private transient @Nullable EntryChange parsed;

    /** For Hazelcast's {@link FederationDataFactory}. */
    EntryChangeProcessor() {
    }

    EntryChangeProcessor(EntryChange change) {
        this.change = change.toByteArray();
        this.parsed = change;
    }

    @Override
    public byte[] process(Map.Entry<String, byte[]> entry) {
        byte[] value = entry.getValue();
        StoredEntry current = value == null ? null : parseStored(entry.getKey(), value);
        EntryChanges.Outcome outcome = EntryChanges.apply(current, change());
        StoredEntry stored = outcome.stored();
        // Every map entry the federation hands Hazelcast is an ExtendedMapEntry in an entry processor.
        @SuppressWarnings("unchecked")
        ExtendedMapEntry<String, byte[]> extended = (ExtendedMapEntry<String, byte[]>) entry;
        switch (outcome.write()) {
            case NONE -> { }
            case WITH_NEW_LEASE -> extended.setValue(Objects.requireNonNull(stored).toByteArray(),
                    change().getLeaseMs(), TimeUnit.MILLISECONDS);
            case KEEPING_LEASE -> extended.setValueWithoutChangingExpiryTime(Objects.requireNonNull(stored).toByteArray());
        }
        return outcome.result().toByteArray();
    }

    private EntryChange change() {
        EntryChange current = parsed;
        if (current == null) {
            try {
                current = EntryChange.parseFrom(change);
            } catch (InvalidProtocolBufferException e) {
                // No cause: the exception may travel to another member, which reads no protobuf class.
                throw new IllegalStateException("A federated registry change of " + change.length
                        + " bytes is not an EntryChange: " + e.getMessage());
            }
            parsed = current;
        }
        return current;
    }

    static StoredEntry parseStored(String name, byte[] value) {
        try {
            return StoredEntry.parseFrom(value);
        } catch (InvalidProtocolBufferException e) {
            // No cause: the exception may travel to another member, which reads no protobuf class.
            throw new IllegalStateException("The federated registry's entry for '" + name + "' ("
                    + value.length + " bytes) is not a StoredEntry: " + e.getMessage());
        }
    }

    @Override
    public int getFactoryId() {
        return FederationDataFactory.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return FederationDataFactory.ENTRY_CHANGE;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeByteArray(change);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        byte[] read = in.readByteArray();
        change = read == null ? new byte[0] : read;
        parsed = null;
    }
}
