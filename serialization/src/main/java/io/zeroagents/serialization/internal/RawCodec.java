package io.zeroagents.serialization.internal;

import io.zeroagents.MessageDecodingException;
import io.zeroagents.serialization.PayloadCodec;
import java.nio.ByteBuffer;

/**
 * The {@code raw} codec: bytes as they are.
 *
 * <p>Encodes a {@code byte[]} or the remaining bytes of a {@link ByteBuffer} (without moving its
 * position); decodes into {@code byte[]}, {@link Object} (a {@code byte[]}), {@link ByteBuffer}, or
 * {@link String} and {@link CharSequence} as strict UTF-8, so text from plain ZeroMQ peers reads
 * naturally.
 */
public final class RawCodec implements PayloadCodec {

    /** Creates the codec. */
    public RawCodec() {
    }

    @Override
    public String id() {
        return "raw";
    }

    @Override
    public boolean canEncode(Object value) {
        return value instanceof byte[] || value instanceof ByteBuffer;
    }

    @Override
    public byte[] encode(Object value) {
        if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return bytes;
        }
        // The sender may reuse its array once send returns, while the frame may still be queued.
        return ((byte[]) value).clone();
    }

    @Override
    public <T> T decode(byte[] bytes, Class<T> type) {
        if (type == byte[].class || type == Object.class) {
            return type.cast(bytes);
        }
        if (type == ByteBuffer.class) {
            return type.cast(ByteBuffer.wrap(bytes));
        }
        if (type == String.class || type == CharSequence.class) {
            return type.cast(StringCodec.utf8(bytes, id(), type));
        }
        throw new MessageDecodingException("Codec 'raw' cannot decode into " + type.getName()
                + ": a raw payload cannot become that type; ask for byte[], ByteBuffer, String or Object");
    }
}
