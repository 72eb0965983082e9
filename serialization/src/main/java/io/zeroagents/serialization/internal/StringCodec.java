package io.zeroagents.serialization.internal;

import io.zeroagents.MessageDecodingException;
import io.zeroagents.MessageEncodingException;
import io.zeroagents.serialization.PayloadCodec;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The {@code string} codec: text as UTF-8.
 *
 * <p>Encodes any {@link CharSequence}; decodes into {@link String}, {@link CharSequence},
 * {@link Object} or {@code byte[]}. Both directions are strict: an unpaired surrogate or invalid
 * UTF-8 is an error rather than a silently substituted character, so text is never altered in
 * transit.
 */
public final class StringCodec implements PayloadCodec {

    /** Creates the codec. */
    public StringCodec() {
    }

    @Override
    public String id() {
        return "string";
    }

    @Override
    public boolean canEncode(Object value) {
        return value instanceof CharSequence;
    }

    @Override
    public byte[] encode(Object value) {
        CharSequence text = (CharSequence) value;
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(text));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            throw new MessageEncodingException("Codec 'string' cannot encode a " + value.getClass().getName()
                    + " holding an unpaired surrogate: it has no UTF-8 form (" + e + ")", e);
        }
    }

    @Override
    public <T> T decode(byte[] bytes, Class<T> type) {
        if (type == byte[].class) {
            return type.cast(bytes);
        }
        if (type == String.class || type == CharSequence.class || type == Object.class) {
            return type.cast(utf8(bytes, id(), type));
        }
        throw new MessageDecodingException("Codec 'string' cannot decode into " + type.getName()
                + ": a string payload cannot become that type; ask for String, CharSequence, Object or byte[]");
    }

    /**
     * Decodes UTF-8 strictly; the raw codec uses it too, for text sent by plain ZeroMQ peers.
     *
     * @param bytes   the bytes
     * @param codecId the decoding codec, for the error message
     * @param type    the requested type, for the error message
     * @return the text
     */
    static String utf8(byte[] bytes, String codecId, Class<?> type) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MessageDecodingException("Codec '" + codecId + "' cannot decode " + bytes.length
                    + " bytes into " + type.getName() + ": not valid UTF-8 (" + e + ")", e);
        }
    }
}
