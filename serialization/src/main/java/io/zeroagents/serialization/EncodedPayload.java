package io.zeroagents.serialization;

import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A message value encoded by a payload codec, ready to be put into an envelope.
 *
 * <p>Equality and hashing compare the bytes' contents. The array is not copied: treat it as
 * read-only.
 *
 * @param codecId     the id of the codec that produced the bytes, {@code "null"} for a null value
 * @param payloadType the encoded value's class name, {@code ""} for a null value; informational
 * @param bytes       the payload bytes
 * @since 0.1
 */
public record EncodedPayload(String codecId, String payloadType, byte[] bytes) {

    /**
     * Checks that no component is null.
     *
     * @param codecId     the codec id
     * @param payloadType the value's class name
     * @param bytes       the payload bytes
     */
    public EncodedPayload {
        Objects.requireNonNull(codecId, "codecId");
        Objects.requireNonNull(payloadType, "payloadType");
        Objects.requireNonNull(bytes, "bytes");
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof EncodedPayload that
                && codecId.equals(that.codecId)
                && payloadType.equals(that.payloadType)
                && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(codecId, payloadType, Arrays.hashCode(bytes));
    }

    @Override
    public String toString() {
        // Payloads can be megabytes of user data: their size is what a log needs.
        return "EncodedPayload[codecId=" + codecId + ", payloadType=" + payloadType + ", bytes=" + bytes.length
                + " bytes]";
    }
}
