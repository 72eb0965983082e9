package io.zeroagents.serialization;

import io.zeroagents.Codec;
import org.jspecify.annotations.Nullable;

/** Test support: sends values through the whole wire path, envelope included, as agents do. */
final class Wire {
    static final CodecRegistry REGISTRY = CodecRegistry.of();
    static final EnvelopeCodec ENVELOPES = new EnvelopeCodec(REGISTRY);

    private Wire() {
    }

    /** Encodes into a frame, parses it back and decodes the payload as {@code type}. */
    static <T> @Nullable T roundTrip(@Nullable Object value, Codec codec, Class<T> type) {
        byte[] frame = ENVELOPES.encode(value, codec, "sender");
        return ENVELOPES.payload(ENVELOPES.parse(frame), type);
    }

    /** Decodes payload bytes as if they had arrived with codec {@code codecId}. */
    static <T> @Nullable T decode(String codecId, byte[] payload, Class<T> type) {
        return REGISTRY.decode(codecId, payload, type);
    }
}
