package io.zeroagents.runtime.internal;

import com.google.protobuf.ByteString;
import io.zeroagents.Codec;
import io.zeroagents.MessageDecodingException;
import io.zeroagents.runtime.internal.control.Payload;
import io.zeroagents.serialization.CodecRegistry;
import io.zeroagents.serialization.EncodedPayload;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Values and the control protocol's {@link Payload} messages, both ways, for both sides: the proxy
 * ({@link RemoteProxy}) encodes arguments and decodes results, the host ({@link ControlDispatcher})
 * decodes arguments and encodes results. One place, so the two sides cannot drift apart.
 */
final class Payloads {
    private final CodecRegistry codecs;

    Payloads(CodecRegistry codecs) {
        this.codecs = codecs;
    }

    /** A value as the codec registry picks for its type ({@link Codec#AUTO}). */
    Payload encode(@Nullable Object value) {
        return of(codecs.encode(value, Codec.AUTO));
    }

    /** Each value as {@link #encode} makes it, in order. */
    List<Payload> encodeAll(@Nullable Object[] values) {
        List<Payload> payloads = new ArrayList<>(values.length);
        for (Object value : values) {
            payloads.add(encode(value));
        }
        return payloads;
    }

    /** A payload decoded into {@code type}. */
    <T> @Nullable T decode(Payload payload, Class<T> type) {
        return codecs.decode(payload.getCodec(), payload.getData().toByteArray(), type);
    }

    /**
     * Payloads decoded into their codecs' natural Java types (JSON: maps, lists, numbers, strings):
     * how the host reads attribute values and arguments, so it never loads a class a proxy names.
     */
    @Nullable Object[] decodeAll(List<Payload> payloads) {
        Object[] values = new Object[payloads.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = decode(payloads.get(i), Object.class);
        }
        return values;
    }

    /**
     * Code (a lambda, a method) as Java serialization, the only way code travels: it encodes only
     * the classes on this process's allow-list and fails with a {@code MessageEncodingException}
     * otherwise.
     */
    Payload code(Object code) {
        return of(codecs.encode(code, Codec.JAVA));
    }

    /**
     * Code a proxy sent: only as Java serialization, which reads nothing outside this process's
     * allow-list (and nothing at all when it has none).
     */
    <T> T code(Payload payload, Class<T> type) {
        if (!payload.getCodec().equals(Codec.JAVA.id())) {
            throw new MessageDecodingException("Code for an agent must come as Java serialization, not '"
                    + payload.getCodec() + "'");
        }
        T code = codecs.decode(Codec.JAVA.id(), payload.getData().toByteArray(), type);
        if (code == null) {
            throw new MessageDecodingException("No code in the request");
        }
        return code;
    }

    /** A payload as it travels, from one as the codecs made it. */
    static Payload of(EncodedPayload encoded) {
        return Payload.newBuilder().setCodec(encoded.codecId()).setType(encoded.payloadType())
                .setData(ByteString.copyFrom(encoded.bytes())).build();
    }

    /** A payload as the codecs and sockets take it: sent on as it is, never decoded by the host. */
    static EncodedPayload encoded(Payload payload) {
        return new EncodedPayload(payload.getCodec(), payload.getType(), payload.getData().toByteArray());
    }
}
