package io.zeroagents.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.Codec;
import io.zeroagents.MessageDecodingException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RawCodecTest {

    @Test
    void roundTrip_bytes_areUnchanged() {
        byte[] bytes = {0, 1, 2, (byte) 0xFF, 127, -128};
        assertArrayEquals(bytes, Wire.roundTrip(bytes, Codec.RAW, byte[].class));
    }

    @Test
    void roundTrip_emptyBytes_stayEmptyNotNull() {
        assertArrayEquals(new byte[0], Wire.roundTrip(new byte[0], Codec.RAW, byte[].class));
    }

    @Test
    void encode_bytes_copiesSoLaterChangesAreNotSent() {
        byte[] bytes = {1, 2, 3};
        EncodedPayload encoded = Wire.REGISTRY.encode(bytes, Codec.RAW);
        bytes[0] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, encoded.bytes());
    }

    @Test
    void encode_byteBuffer_sendsRemainingBytesWithoutMovingPosition() {
        ByteBuffer buffer = ByteBuffer.wrap(new byte[] {1, 2, 3, 4});
        buffer.position(1).limit(3);
        assertArrayEquals(new byte[] {2, 3}, Wire.roundTrip(buffer, Codec.RAW, byte[].class));
        assertEquals(1, buffer.position());
    }

    @Test
    void decode_asObject_givesByteArray() {
        Object decoded = Wire.roundTrip(new byte[] {7}, Codec.RAW, Object.class);
        assertArrayEquals(new byte[] {7}, assertInstanceOf(byte[].class, decoded));
    }

    @Test
    void decode_asString_readsUtf8FromPlainPeers() {
        byte[] text = "from a plain ZeroMQ peer: ✓".getBytes(StandardCharsets.UTF_8);
        assertEquals("from a plain ZeroMQ peer: ✓", Wire.decode("raw", text, String.class));
    }

    @Test
    void decode_asByteBuffer_wrapsThePayload() {
        ByteBuffer buffer = Wire.roundTrip(new byte[] {5, 6}, Codec.RAW, ByteBuffer.class);
        assertEquals(ByteBuffer.wrap(new byte[] {5, 6}), buffer);
    }

    @Test
    void decode_invalidUtf8AsString_throws() {
        assertThrows(MessageDecodingException.class,
                () -> Wire.decode("raw", new byte[] {(byte) 0xFF, (byte) 0xFE}, String.class));
    }

    @Test
    void decode_asInteger_throwsSayingRawCannotBecomeIt() {
        MessageDecodingException e = assertThrows(MessageDecodingException.class,
                () -> Wire.roundTrip(new byte[] {1}, Codec.RAW, Integer.class));
        assertTrue(e.getMessage().contains("'raw'") && e.getMessage().contains("java.lang.Integer"), e.getMessage());
    }
}
