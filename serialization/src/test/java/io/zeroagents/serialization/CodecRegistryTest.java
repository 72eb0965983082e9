package io.zeroagents.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.Codec;
import io.zeroagents.MessageDecodingException;
import io.zeroagents.MessageEncodingException;
import io.zeroagents.serialization.Messages.Point;
import io.zeroagents.serialization.testproto.Order;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodecRegistryTest {

    private final CodecRegistry registry = CodecRegistry.of();

    /** A well-behaved custom codec with a configurable id. */
    private record NamedCodec(String id) implements PayloadCodec {
        @Override
        public boolean canEncode(Object value) {
            return value instanceof Integer;
        }

        @Override
        public byte[] encode(Object value) {
            return Integer.toString((Integer) value).getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public <T> T decode(byte[] bytes, Class<T> type) {
            return type.cast(Integer.valueOf(new String(bytes, StandardCharsets.US_ASCII)));
        }
    }

    /** A custom codec that breaks its contract in both directions. */
    private record BrokenCodec() implements PayloadCodec {
        @Override
        public String id() {
            return "broken";
        }

        @Override
        public boolean canEncode(Object value) {
            return true;
        }

        @Override
        public byte[] encode(Object value) {
            throw new IllegalStateException("encoder on fire");
        }

        @Override
        @SuppressWarnings("unchecked") // deliberately lies about the type, which the registry must catch
        public <T> T decode(byte[] bytes, Class<T> type) {
            return (T) "not what was asked for";
        }
    }

    @Test
    void encode_autoWithString_choosesString() {
        assertEquals("string", registry.encode("hi", Codec.AUTO).codecId());
    }

    @Test
    void encode_autoWithByteArray_choosesRaw() {
        assertEquals("raw", registry.encode(new byte[] {1}, Codec.AUTO).codecId());
    }

    @Test
    void encode_autoWithProtobufMessage_choosesProtobuf() {
        assertEquals("protobuf", registry.encode(Order.getDefaultInstance(), Codec.AUTO).codecId());
    }

    @Test
    void encode_autoWithRecord_choosesJson() {
        assertEquals("json", registry.encode(new Point(1, 2), Codec.AUTO).codecId());
    }

    @Test
    void encode_autoWithNumberMapAndList_chooseJson() {
        assertEquals("json", registry.encode(7, Codec.AUTO).codecId());
        assertEquals("json", registry.encode(Map.of("k", "v"), Codec.AUTO).codecId());
        assertEquals("json", registry.encode(List.of(1), Codec.AUTO).codecId());
    }

    @Test
    void encode_null_usesNullCodecWithEmptyBytes() {
        EncodedPayload encoded = registry.encode(null, Codec.AUTO);
        assertEquals(new EncodedPayload(CodecRegistry.NULL_CODEC_ID, "", new byte[0]), encoded);
    }

    @Test
    void encode_nullWithExplicitCodec_stillUsesNullCodec() {
        assertEquals(CodecRegistry.NULL_CODEC_ID, registry.encode(null, Codec.STRING).codecId());
    }

    @Test
    void encode_value_recordsItsClassName() {
        assertEquals(Point.class.getName(), registry.encode(new Point(1, 2), Codec.JSON).payloadType());
    }

    @Test
    void encode_stringCodecWithInteger_throwsNamingCodecAndClass() {
        MessageEncodingException e = assertThrows(MessageEncodingException.class,
                () -> registry.encode(42, Codec.STRING));
        assertTrue(e.getMessage().contains("'string'") && e.getMessage().contains("java.lang.Integer"),
                e.getMessage());
    }

    @Test
    void encode_rawCodecWithString_throws() {
        assertThrows(MessageEncodingException.class, () -> registry.encode("text", Codec.RAW));
    }

    @Test
    void encode_protobufCodecWithRecord_throws() {
        MessageEncodingException e = assertThrows(MessageEncodingException.class,
                () -> registry.encode(new Point(1, 2), Codec.PROTOBUF));
        assertTrue(e.getMessage().contains(Point.class.getName()), e.getMessage());
    }

    @Test
    void encode_jsonCodecWithProtobufMessage_throws() {
        assertThrows(MessageEncodingException.class, () -> registry.encode(Order.getDefaultInstance(), Codec.JSON));
    }

    @Test
    void encode_unknownCodec_throwsListingKnownCodecs() {
        MessageEncodingException e = assertThrows(MessageEncodingException.class,
                () -> registry.encode("x", Codec.of("yaml")));
        assertTrue(e.getMessage().contains("Unknown codec 'yaml' (known: [java, json, protobuf, raw, string])"),
                e.getMessage());
    }

    @Test
    void encode_codecThrowingRuntimeException_throwsMessageEncodingException() {
        CodecRegistry withBroken = CodecRegistry.of(new BrokenCodec());
        MessageEncodingException e = assertThrows(MessageEncodingException.class,
                () -> withBroken.encode("x", Codec.of("broken")));
        assertInstanceOf(IllegalStateException.class, e.getCause());
    }

    @Test
    void decode_nullCodec_givesNullForAnyType() {
        assertNull(registry.decode(CodecRegistry.NULL_CODEC_ID, new byte[0], Point.class));
        assertNull(registry.decode(CodecRegistry.NULL_CODEC_ID, new byte[0], int.class));
    }

    @Test
    void decode_unknownCodec_throwsListingKnownCodecs() {
        MessageDecodingException e = assertThrows(MessageDecodingException.class,
                () -> registry.decode("x", new byte[0], String.class));
        assertEquals("Unknown codec 'x' (known: [java, json, protobuf, raw, string])", e.getMessage());
    }

    @Test
    void decode_codecReturningAnotherType_throwsMessageDecodingException() {
        CodecRegistry withBroken = CodecRegistry.of(new BrokenCodec());
        MessageDecodingException e = assertThrows(MessageDecodingException.class,
                () -> withBroken.decode("broken", new byte[0], Integer.class));
        assertTrue(e.getMessage().contains("java.lang.String") && e.getMessage().contains("java.lang.Integer"),
                e.getMessage());
    }

    @Test
    void get_unknownCodec_throwsListingKnownCodecs() {
        MessageDecodingException e = assertThrows(MessageDecodingException.class, () -> registry.get(Codec.of("x")));
        assertEquals("Unknown codec 'x' (known: [java, json, protobuf, raw, string])", e.getMessage());
    }

    @Test
    void get_builtInCodec_hasThatId() {
        for (Codec codec : List.of(Codec.RAW, Codec.STRING, Codec.PROTOBUF, Codec.JSON)) {
            assertEquals(codec.id(), registry.get(codec).id());
        }
    }

    @Test
    void get_auto_throwsIllegalArgumentException() {
        assertThrows(IllegalArgumentException.class, () -> registry.get(Codec.AUTO));
    }

    @Test
    void ids_areTheBuiltInsSorted() {
        assertEquals(List.of("java", "json", "protobuf", "raw", "string"), List.copyOf(registry.ids()));
    }

    @Test
    void of_customCodec_isUsedByItsId() {
        CodecRegistry custom = CodecRegistry.of(new NamedCodec("decimal"));
        EncodedPayload encoded = custom.encode(1234, Codec.of("decimal"));
        assertArrayEquals("1234".getBytes(StandardCharsets.US_ASCII), encoded.bytes());
        assertEquals(1234, custom.decode("decimal", encoded.bytes(), int.class));
        assertEquals(Set.of("decimal", "java", "json", "protobuf", "raw", "string"), custom.ids());
    }

    @Test
    void of_customCodecWithBuiltInId_isRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CodecRegistry.of(new NamedCodec("json")));
        assertTrue(e.getMessage().contains("'json'") && e.getMessage().contains("built-in"), e.getMessage());
    }

    @Test
    void of_customCodecWithReservedId_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> CodecRegistry.of(new NamedCodec("null")));
        assertThrows(IllegalArgumentException.class, () -> CodecRegistry.of(new NamedCodec("auto")));
        assertThrows(IllegalArgumentException.class, () -> CodecRegistry.of(new NamedCodec("batch")));
    }

    @Test
    void of_customCodecWithInvalidId_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> CodecRegistry.of(new NamedCodec("Decimal")));
        assertThrows(IllegalArgumentException.class, () -> CodecRegistry.of(new NamedCodec(" ")));
    }

    @Test
    void of_twoCodecsWithOneId_isRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> CodecRegistry.of(new NamedCodec("decimal"), new NamedCodec("decimal")));
    }

    @Test
    void standard_includesServiceLoaderProviders() {
        CodecRegistry standard = CodecRegistry.standard();
        assertTrue(standard.ids().contains("reversed"), standard.ids().toString());
        EncodedPayload encoded = standard.encode("abc", Codec.of("reversed"));
        assertArrayEquals("cba".getBytes(StandardCharsets.UTF_8), encoded.bytes());
        assertEquals("abc", standard.decode("reversed", encoded.bytes(), String.class));
    }

    @Test
    void standard_isLoadedOnce() {
        assertSame(CodecRegistry.standard(), CodecRegistry.standard());
    }

    @Test
    void loadedBy_providerWithBuiltInId_isRefused(@TempDir Path dir) throws IOException {
        Path services = dir.resolve("META-INF/services/" + PayloadCodec.class.getName());
        Files.createDirectories(services.getParent());
        Files.writeString(services, ImpostorJsonCodec.class.getName() + "\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
                getClass().getClassLoader())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CodecRegistry.loadedBy(loader));
            assertTrue(e.getMessage().contains(ImpostorJsonCodec.class.getName())
                    && e.getMessage().contains("'json'"), e.getMessage());
        }
    }
}
