package io.zeroagents.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.zeroagents.MessageDecodingException;
import io.zeroagents.serialization.Messages.Customer;
import io.zeroagents.serialization.Messages.Point;
import io.zeroagents.serialization.Messages.Reading;
import io.zeroagents.serialization.Messages.Route;
import io.zeroagents.serialization.proto.Envelope;
import io.zeroagents.serialization.testproto.Order;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Fuzz targets for what a receiver does with bytes from the network: parse a frame into an
 * envelope, then decode its payload into the type the receiver asked for.
 *
 * <p>The property: either a value of the asked-for type (or {@code null}) comes back, or the
 * documented exception ({@link EnvelopeFormatException} for frames, {@link MessageDecodingException}
 * for payloads); never another exception, a hang or an out-of-memory error. Jazzer replays the seeds
 * and every crash it ever found in {@code EnvelopeFuzzTestInputs/<method>/} on each build (regression
 * mode); {@code ./mvnw -Pfuzz} fuzzes each target for a bounded time.
 */
class EnvelopeFuzzTest {

    /** A small limit, so the fuzzer reaches the oversized-frame refusal too. */
    static final int MAX_FRAME_BYTES = 4096;
    private static final CodecRegistry REGISTRY = CodecRegistry.of();
    private static final EnvelopeCodec CODEC = new EnvelopeCodec(REGISTRY, MAX_FRAME_BYTES);
    /** The types receivers ask for: every built-in codec's natural types and JSON's usual shapes. */
    static final List<Class<?>> TYPES = List.of(Object.class, String.class, CharSequence.class, byte[].class,
            ByteBuffer.class, Integer.class, Long.class, Double.class, Boolean.class, BigInteger.class, BigDecimal.class,
            Instant.class, Duration.class, Map.class, List.class,
            Point.class, Route.class, Reading.class, Customer.class, Order.class);

    @FuzzTest(maxDuration = "20s")
    void parse_anyFrame_givesAValidEnvelopeOrEnvelopeFormatException(byte[] frame) {
        Envelope envelope;
        try {
            envelope = CODEC.parse(frame);
        } catch (EnvelopeFormatException refused) {
            return;
        }
        assertTrue(frame.length <= MAX_FRAME_BYTES, "accepted a frame over the limit");
        assertEquals(EnvelopeCodec.VERSION, envelope.getVersion());
        assertFalse(envelope.getCodec().isEmpty(), "accepted an envelope without a codec");
        for (Class<?> type : TYPES) {
            decodeOrRefuse(envelope.getCodec(), envelope.getPayload().toByteArray(), type);
        }
    }

    /**
     * Each codec's decoder directly: the first byte picks the codec, the second the type, the rest
     * is the payload.
     */
    @FuzzTest(maxDuration = "20s")
    void decode_anyPayloadWithAnyCodec_givesTheTypeOrMessageDecodingException(byte[] input) {
        if (input.length < 2) {
            return;
        }
        List<String> codecs = List.of("raw", "string", "protobuf", "json");
        String codec = codecs.get(Byte.toUnsignedInt(input[0]) % codecs.size());
        Class<?> type = TYPES.get(Byte.toUnsignedInt(input[1]) % TYPES.size());
        byte[] payload = Arrays.copyOfRange(input, 2, input.length);
        decodeOrRefuse(codec, payload, type);
    }

    private static void decodeOrRefuse(String codec, byte[] payload, Class<?> type) {
        Object value;
        try {
            value = REGISTRY.decode(codec, payload.clone(), type);
        } catch (MessageDecodingException refused) {
            return;
        }
        assertTrue(value == null || type.isInstance(value),
                () -> "codec " + codec + " decoded a " + value.getClass().getName() + " when asked for a " + type.getName());
    }
}
