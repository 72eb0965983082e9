package io.zeroagents.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.Codec;
import io.zeroagents.MessageDecodingException;
import io.zeroagents.MessageEncodingException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StringCodecTest {

    @Test
    void roundTrip_text_isUnchanged() {
        assertEquals("hello, agents", Wire.roundTrip("hello, agents", Codec.STRING, String.class));
    }

    @Test
    void roundTrip_emptyString_staysEmptyNotNull() {
        assertEquals("", Wire.roundTrip("", Codec.STRING, String.class));
    }

    @Test
    void roundTrip_unicode_keepsEveryCodePoint() {
        String text = "Grüße, 世界, emoji \uD83D\uDE80, combining e\u0301, RTL \u05E9\u05DC\u05D5\u05DD";
        assertEquals(text, Wire.roundTrip(text, Codec.STRING, String.class));
    }

    @Test
    void encode_stringBuilder_sendsItsText() {
        assertEquals("built", Wire.roundTrip(new StringBuilder("built"), Codec.STRING, String.class));
    }

    @Test
    void encode_text_isUtf8() {
        EncodedPayload encoded = Wire.REGISTRY.encode("é", Codec.STRING);
        assertArrayEquals(new byte[] {(byte) 0xC3, (byte) 0xA9}, encoded.bytes());
    }

    @Test
    void encode_unpairedSurrogate_throwsMessageEncodingException() {
        MessageEncodingException e = assertThrows(MessageEncodingException.class,
                () -> Wire.REGISTRY.encode("broken \uD83D text", Codec.STRING));
        assertTrue(e.getMessage().contains("'string'"), e.getMessage());
    }

    @Test
    void decode_asCharSequence_givesString() {
        assertEquals("text", Wire.roundTrip("text", Codec.STRING, CharSequence.class));
    }

    @Test
    void decode_asObject_givesString() {
        assertEquals("text", Wire.roundTrip("text", Codec.STRING, Object.class));
    }

    @Test
    void decode_asByteArray_givesUtf8Bytes() {
        assertArrayEquals("ü".getBytes(StandardCharsets.UTF_8), Wire.roundTrip("ü", Codec.STRING, byte[].class));
    }

    @Test
    void decode_asInteger_throwsSayingStringCannotBecomeIt() {
        MessageDecodingException e = assertThrows(MessageDecodingException.class,
                () -> Wire.roundTrip("42", Codec.STRING, Integer.class));
        assertTrue(e.getMessage().contains("a string payload cannot become that type"), e.getMessage());
        assertTrue(e.getMessage().contains("java.lang.Integer"), e.getMessage());
    }

    @Test
    void decode_invalidUtf8_throwsInsteadOfReplacing() {
        byte[] invalid = {'o', 'k', (byte) 0xC3, (byte) 0x28};
        MessageDecodingException e = assertThrows(MessageDecodingException.class,
                () -> Wire.decode("string", invalid, String.class));
        assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
    }
}
