package io.zeroagents.serialization;

import io.zeroagents.MessageDecodingException;
import java.nio.charset.StandardCharsets;

/**
 * Test support: a custom codec, registered in META-INF/services, that sends text reversed so a
 * round trip proves it was really used.
 */
public final class ReversedTextCodec implements PayloadCodec {
    /** Needed by ServiceLoader. */
    public ReversedTextCodec() {
    }

    @Override
    public String id() {
        return "reversed";
    }

    @Override
    public boolean canEncode(Object value) {
        return value instanceof CharSequence;
    }

    @Override
    public byte[] encode(Object value) {
        return new StringBuilder((CharSequence) value).reverse().toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public <T> T decode(byte[] bytes, Class<T> type) {
        if (type != String.class) {
            throw new MessageDecodingException("Codec 'reversed' decodes only String, not " + type.getName());
        }
        return type.cast(new StringBuilder(new String(bytes, StandardCharsets.UTF_8)).reverse().toString());
    }
}
