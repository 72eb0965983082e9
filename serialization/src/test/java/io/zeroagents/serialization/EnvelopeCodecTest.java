package io.zeroagents.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.zeroagents.Codec;
import io.zeroagents.MessageDecodingException;
import io.zeroagents.MessageEncodingException;
import io.zeroagents.serialization.Messages.Point;
import io.zeroagents.serialization.proto.Envelope;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class EnvelopeCodecTest {

    private final EnvelopeCodec codec = new EnvelopeCodec(CodecRegistry.of());
    /** The payload size from which these tests' payloads get a frame of their own. */
    private static final int DETACH_AT = 512;

    private static Envelope.Builder validEnvelope() {
        return Envelope.newBuilder()
                .setVersion(EnvelopeCodec.VERSION)
                .setCodec("string")
                .setPayloadType(String.class.getName())
                .setPayload(ByteString.copyFromUtf8("x".repeat(100)))
                .setSender("alice");
    }

    @Test
    void wrap_value_setsVersionCodecTypeAndPayload() {
        Envelope envelope = codec.wrap(new Point(1, 2), Codec.AUTO).build();
        assertEquals(EnvelopeCodec.VERSION, envelope.getVersion());
        assertEquals("json", envelope.getCodec());
        assertEquals(Point.class.getName(), envelope.getPayloadType());
        assertEquals("{\"x\":1,\"y\":2}", envelope.getPayload().toStringUtf8());
    }

    @Test
    void wrap_null_setsNullCodecAndEmptyType() {
        Envelope envelope = codec.wrap(null, Codec.JSON).build();
        assertEquals(CodecRegistry.NULL_CODEC_ID, envelope.getCodec());
        assertEquals("", envelope.getPayloadType());
        assertTrue(envelope.getPayload().isEmpty());
    }

    @Test
    void wrap_valueTheCodecCannotEncode_throwsMessageEncodingException() {
        assertThrows(MessageEncodingException.class, () -> codec.wrap(42, Codec.STRING));
    }

    @Test
    void parse_frame_keepsEveryRoutingField() {
        Envelope sent = codec.wrap("ping", Codec.AUTO)
                .setSender("alice")
                .setTopic("weather")
                .setCorrelationId(0xFFFF_FFFF_FFFFL)
                .setReplyTo("tcp://127.0.0.1:5555")
                .putHeaders("trace-id", "abc")
                .setError(true)
                .build();
        assertEquals(sent, codec.parse(codec.frame(sent)));
    }

    @Test
    void encode_thenParse_givesSenderAndPayloadBack() {
        Envelope envelope = codec.parse(codec.encode("hello", Codec.AUTO, "alice"));
        assertEquals("alice", envelope.getSender());
        assertEquals("hello", codec.payload(envelope, String.class));
    }

    @Test
    void read_encodedFrame_givesEveryRoutingFieldAndPayloadInPlace() {
        byte[] frame = codec.encode(new Point(3, 4), Codec.AUTO, "alice", "weather", 77, false);
        EnvelopeView view = codec.read(frame);
        assertEquals("json", view.codec());
        assertEquals(Point.class.getName(), view.payloadType());
        assertEquals("alice", view.sender());
        assertEquals("weather", view.topic());
        assertEquals(77, view.correlationId());
        assertEquals(false, view.error());
        assertEquals(new Point(3, 4), codec.payload(view, Point.class));
        assertEquals(codec.parse(frame), view.toEnvelope());
    }

    @Test
    void read_frameOnlyTheGeneratedParserReads_givesTheSameFields() {
        // A reply-to address is outside the hand-written reader's shape.
        Envelope sent = codec.wrap("ping", Codec.AUTO).setSender("bob").setReplyTo("tcp://127.0.0.1:5555").build();
        EnvelopeView view = codec.read(codec.frame(sent));
        assertEquals("bob", view.sender());
        assertEquals("ping", codec.payload(view, String.class));
    }

    @Test
    void read_otherVersionOrNoCodec_throwsEnvelopeFormatException() {
        assertThrows(EnvelopeFormatException.class, () -> codec.read(validEnvelope().setVersion(2).build().toByteArray()));
        assertThrows(EnvelopeFormatException.class, () -> codec.read(validEnvelope().setCodec("").build().toByteArray()));
        assertThrows(EnvelopeFormatException.class, () -> codec.read(new byte[0]));
    }

    @Test
    void rawPayload_wholeFrame_isThePayloadOnceThenCopies() {
        byte[] frame = {1, 2, 3};
        EnvelopeView view = EnvelopeView.rawPayload(frame, "raw");
        assertSame(frame, view.payload());
        // A second reader (another handler of the same message) gets its own copy.
        byte[] second = codec.payload(view, byte[].class);
        assertArrayEquals(frame, second);
        assertNotSame(frame, second);
    }

    @Test
    void payload_nullValue_decodesToNull() {
        assertNull(codec.payload(codec.parse(codec.encode(null, Codec.AUTO, "alice")), Point.class));
    }

    @Test
    void payload_primitiveType_givesBoxedValue() {
        int value = codec.payload(codec.parse(codec.encode(7, Codec.AUTO, "alice")), int.class);
        assertEquals(7, value);
    }

    @Test
    void payload_unknownCodec_throwsMessageDecodingException() {
        Envelope envelope = codec.parse(validEnvelope().setCodec("yaml").build().toByteArray());
        MessageDecodingException e = assertThrows(MessageDecodingException.class,
                () -> codec.payload(envelope, String.class));
        assertTrue(e.getMessage().startsWith("Unknown codec 'yaml'"), e.getMessage());
    }

    @Test
    void payload_wrongRequestedType_throwsMessageDecodingException() {
        Envelope envelope = codec.parse(codec.encode(new Point(1, 2), Codec.AUTO, "alice"));
        assertThrows(MessageDecodingException.class, () -> codec.payload(envelope, Integer.class));
    }

    @Test
    void parse_emptyFrame_throwsEnvelopeFormatException() {
        assertThrows(EnvelopeFormatException.class, () -> codec.parse(new byte[0]));
    }

    @Test
    void parse_malformedBytes_throwsEnvelopeFormatException() {
        // Tag 0 is never valid protobuf.
        EnvelopeFormatException e = assertThrows(EnvelopeFormatException.class,
                () -> codec.parse(new byte[] {0x00, 0x01, 0x02}));
        assertTrue(e.getMessage().startsWith("Malformed envelope"), e.getMessage());
    }

    @Test
    void parse_plainZeroMqText_throwsEnvelopeFormatException() {
        assertThrows(EnvelopeFormatException.class,
                () -> codec.parse("hello".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void parse_truncatedEnvelope_throwsEnvelopeFormatException() {
        byte[] frame = validEnvelope().build().toByteArray();
        // Half-way falls inside the 100-byte payload, so the cut is never on a field boundary.
        byte[] half = Arrays.copyOf(frame, frame.length / 2);
        EnvelopeFormatException e = assertThrows(EnvelopeFormatException.class, () -> codec.parse(half));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void parse_missingVersion_throwsNoVersion() {
        byte[] frame = validEnvelope().clearVersion().build().toByteArray();
        EnvelopeFormatException e = assertThrows(EnvelopeFormatException.class, () -> codec.parse(frame));
        assertTrue(e.getMessage().contains("no version: not a ZeroAgents envelope?"), e.getMessage());
    }

    @Test
    void parse_unknownVersion_throwsNamingBothVersions() {
        byte[] frame = validEnvelope().setVersion(7).build().toByteArray();
        EnvelopeFormatException e = assertThrows(EnvelopeFormatException.class, () -> codec.parse(frame));
        assertTrue(e.getMessage().contains("unsupported envelope version 7, this runtime reads version 1"),
                e.getMessage());
    }

    @Test
    void parse_versionAboveIntRange_isPrintedUnsigned() {
        byte[] frame = validEnvelope().setVersion(-1).build().toByteArray();
        EnvelopeFormatException e = assertThrows(EnvelopeFormatException.class, () -> codec.parse(frame));
        assertTrue(e.getMessage().contains("version 4294967295"), e.getMessage());
    }

    @Test
    void parse_emptyCodec_throwsEnvelopeFormatException() {
        byte[] frame = validEnvelope().clearCodec().build().toByteArray();
        EnvelopeFormatException e = assertThrows(EnvelopeFormatException.class, () -> codec.parse(frame));
        assertTrue(e.getMessage().contains("no payload codec"), e.getMessage());
    }

    @Test
    void parse_oversizedFrame_throwsNamingSizeAndLimit() {
        EnvelopeCodec small = new EnvelopeCodec(CodecRegistry.of(), 64);
        byte[] frame = validEnvelope().build().toByteArray();
        EnvelopeFormatException e = assertThrows(EnvelopeFormatException.class, () -> small.parse(frame));
        assertTrue(e.getMessage().contains(frame.length + " bytes") && e.getMessage().contains("limit of 64 bytes"),
                e.getMessage());
    }

    @Test
    void parse_frameExactlyAtLimit_isAccepted() {
        byte[] frame = validEnvelope().build().toByteArray();
        EnvelopeCodec exact = new EnvelopeCodec(CodecRegistry.of(), frame.length);
        assertEquals("alice", exact.parse(frame).getSender());
    }

    @Test
    void parse_fieldsFromNewerSenders_areIgnored() {
        byte[] frame = validEnvelope().build().toByteArray();
        // Field 99, length-delimited, 3 bytes: what a later wire revision might add.
        byte[] extra = {(byte) 0x9A, 0x06, 0x03, 'n', 'e', 'w'};
        byte[] newer = Arrays.copyOf(frame, frame.length + extra.length);
        System.arraycopy(extra, 0, newer, frame.length, extra.length);
        assertEquals("alice", codec.parse(newer).getSender());
    }

    @Test
    void frame_overLimit_throwsMessageEncodingException() {
        EnvelopeCodec small = new EnvelopeCodec(CodecRegistry.of(), 64);
        Envelope envelope = small.wrap("y".repeat(100), Codec.STRING).setSender("alice").build();
        MessageEncodingException e = assertThrows(MessageEncodingException.class, () -> small.frame(envelope));
        assertTrue(e.getMessage().contains("limit of 64 bytes"), e.getMessage());
    }

    @Test
    void constructor_nonPositiveLimit_throwsIllegalArgumentException() {
        assertThrows(IllegalArgumentException.class, () -> new EnvelopeCodec(CodecRegistry.of(), 0));
    }

    @Test
    void maxFrameBytes_defaultsTo16MiB() {
        assertEquals(16 * 1024 * 1024, codec.maxFrameBytes());
    }

    @Test
    void encode_withRoutingFields_isTheEnvelopeTheGeneratedCodeWrites() throws Exception {
        Object[] payloads = {"ping", new byte[] {1, 2, 3}, new byte[0], new Point(1, 2), null, "x".repeat(300)};
        long[] correlationIds = {0, 1, 127, 128, 0xFFFF_FFFF_FFFFL, -1};
        for (Object payload : payloads) {
            for (long correlationId : correlationIds) {
                for (boolean error : new boolean[] {false, true}) {
                    for (String topic : new String[] {"", "weather", "météo"}) {
                        byte[] expected = codec.frame(codec.wrap(payload, Codec.AUTO).setSender("Älice").setTopic(topic)
                                .setCorrelationId(correlationId).setError(error).build());
                        byte[] frame = codec.encode(payload, Codec.AUTO, "Älice", topic, correlationId, error);
                        // The same fields, head first (EnvelopeWire.Head): as long, and read alike.
                        assertEquals(expected.length, frame.length);
                        assertEquals(Envelope.parseFrom(expected), Envelope.parseFrom(frame));
                    }
                }
            }
        }
    }

    @Test
    void encode_sendersAndTopicsInTurn_eachFrameCarriesItsOwn() throws Exception {
        // One writer, whose kept head each sender and topic in turn replaces.
        EnvelopeWriter writer = codec.writer();
        String[] senders = {"Aa", "BB", "alice"};
        String[] topics = {"", "news", "weather"};
        for (int round = 0; round < 3; round++) {
            for (String sender : senders) {
                for (String topic : topics) {
                    Envelope read = Envelope.parseFrom(writer.encode("x", Codec.AUTO, sender, topic, 0, false));
                    assertEquals(List.of(sender, topic, "x"), List.of(read.getSender(), read.getTopic(),
                            read.getPayload().toStringUtf8()));
                }
            }
        }
    }

    @Test
    void read_framesSharingAHead_readsEachAsTheGeneratedParserDoes() throws Exception {
        // One reader, which keeps the heads it read: each frame starting with one must still be read whole.
        EnvelopeReader reader = codec.reader();
        byte[] alice = codec.encode("ping", Codec.AUTO, "alice", "", 0, false);
        byte[] head = Arrays.copyOf(alice, alice.length - "ping".length() - 2);
        List<byte[]> frames = List.of(
                alice,
                codec.encode("pong", Codec.AUTO, "alice", "", 7, true),
                // The same head, then a second sender field, which wins as in any protobuf reader.
                concat(head, Envelope.newBuilder().setSender("mallory").build().toByteArray()),
                alice,
                // The same head, then another version.
                concat(head, new byte[] {8, 2}),
                alice,
                // The same head, then a correlation id whose varint is cut short.
                concat(head, new byte[] {7 << 3, (byte) 0x80}),
                alice,
                // The same head, then a field this version does not know (number 20, varint 5).
                concat(head, new byte[] {(byte) 0xA0, 1, 5}),
                alice,
                // The same head, then bytes that are no field.
                concat(head, new byte[] {(byte) 0xFF, 1}),
                alice,
                head,
                codec.frame(codec.wrap("ping", Codec.AUTO).setSender("alice").build()),
                codec.encode("ping", Codec.AUTO, "bob", "news", 0, false),
                alice,
                // A head cut short: the codec's length runs past the frame.
                Arrays.copyOf(alice, 4),
                // Refused however often they come: no version, no codec.
                validEnvelope().clearVersion().build().toByteArray(),
                validEnvelope().clearVersion().build().toByteArray(),
                validEnvelope().clearCodec().build().toByteArray(),
                validEnvelope().clearCodec().build().toByteArray());
        for (byte[] frame : frames) {
            Envelope expected = generatedOrNull(frame);
            if (expected == null) {
                assertThrows(EnvelopeFormatException.class, () -> reader.read(frame), Arrays.toString(frame));
                continue;
            }
            assertReadsAs(expected, reader.read(frame), frame);
        }
    }

    @Test
    void readBatch_entriesSharingAHead_readsEachAsTheGeneratedParserDoes() throws Exception {
        List<byte[]> entries = List.of(
                codec.encode("a", Codec.AUTO, "alice", "", 0, false),
                codec.encode("b", Codec.AUTO, "alice", "", 0, false),
                codec.encode(7, Codec.AUTO, "alice", "", 0, false),
                codec.encode("c", Codec.AUTO, "alice", "", 0, false));
        // Its own head first, so the entries' head is read afresh, then found again.
        EnvelopeReader reader = codec.reader();
        reader.read(codec.encode("x", Codec.AUTO, "bob", "t", 0, false));

        List<EnvelopeView> views = reader.readBatch(reader.read(codec.batchFrame("alice", entries)));

        assertEquals(entries.size(), views.size());
        for (int i = 0; i < entries.size(); i++) {
            assertReadsAs(Envelope.parseFrom(entries.get(i)), views.get(i), entries.get(i));
        }
    }

    /**
     * The envelope the generated parser reads from {@code frame}, or {@code null} when it, or the
     * version and codec checks every reader makes, refuses the frame.
     */
    private static @Nullable Envelope generatedOrNull(byte[] frame) {
        try {
            Envelope envelope = Envelope.parseFrom(frame);
            return envelope.getVersion() == EnvelopeCodec.VERSION && !envelope.getCodec().isEmpty() ? envelope : null;
        } catch (com.google.protobuf.InvalidProtocolBufferException refused) {
            return null;
        }
    }

    private void assertReadsAs(Envelope expected, EnvelopeView view, byte[] frame) {
        assertEquals(List.of(expected.getCodec(), expected.getPayloadType(), expected.getSender(),
                        expected.getTopic(), expected.getCorrelationId(), expected.getError()),
                List.of(view.codec(), view.payloadType(), view.sender(), view.topic(), view.correlationId(),
                        view.error()), Arrays.toString(frame));
        assertArrayEquals(expected.getPayload().toByteArray(), view.payload());
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    @Test
    void encode_withRoutingFields_overLimit_throwsMessageEncodingException() {
        EnvelopeCodec small = new EnvelopeCodec(CodecRegistry.of(), 64);
        MessageEncodingException e = assertThrows(MessageEncodingException.class,
                () -> small.encode("y".repeat(100), Codec.STRING, "alice", "", 0, false));
        assertTrue(e.getMessage().contains("limit of 64 bytes"), e.getMessage());
    }

    @Test
    void parse_readsWhatTheGeneratedParserReads_whateverTheFields() {
        Envelope[] envelopes = {
            validEnvelope().build(),
            validEnvelope().setTopic("t").setCorrelationId(-1).setError(true).build(),
            validEnvelope().setSender("Zoë").build(),
            validEnvelope().setReplyTo("tcp://127.0.0.1:1").putHeaders("k", "v").build(),
            validEnvelope().setPayload(ByteString.EMPTY).setPayloadType("").build(),
            validEnvelope().setVersion(-1).build(),
        };
        for (Envelope sent : envelopes) {
            byte[] frame = sent.toByteArray();
            if (sent.getVersion() == EnvelopeCodec.VERSION) {
                assertEquals(sent, codec.parse(frame));
            } else {
                assertThrows(EnvelopeFormatException.class, () -> codec.parse(frame));
            }
        }
    }

    @Test
    void parse_repeatedField_lastOneWins() {
        byte[] frame = validEnvelope().build().toByteArray();
        byte[] again = {0x2A, 0x03, 'b', 'o', 'b'};
        byte[] twice = Arrays.copyOf(frame, frame.length + again.length);
        System.arraycopy(again, 0, twice, frame.length, again.length);
        assertEquals("bob", codec.parse(twice).getSender());
    }

    @Test
    void encodeFrames_smallPayload_isOneFrameAsEncodeWritesIt() {
        for (Object payload : new Object[] {"ping", new byte[DETACH_AT - 1], null}) {
            EnvelopeFrames frames = codec.encodeFrames(payload, Codec.AUTO, "alice", "t", 5, false, DETACH_AT, false);
            assertNull(frames.payload());
            assertArrayEquals(codec.encode(payload, Codec.AUTO, "alice", "t", 5, false), frames.envelope());
        }
    }

    @Test
    void encodeFrames_largePayload_travelsInAFrameOfItsOwnAndReadsBackWithoutACopy() throws Exception {
        Object[] payloads = {bytes(DETACH_AT), "x".repeat(2000), new Point(1, 2)};
        for (Object payload : payloads) {
            EnvelopeFrames frames = codec.encodeFrames(payload, Codec.AUTO, "alice", "weather", 9, false, DETACH_AT, false);
            if (payload instanceof Point) {
                // A small JSON payload stays inside its envelope.
                assertNull(frames.payload());
                continue;
            }
            assertTrue(frames.payload() != null, String.valueOf(payload));
            Envelope header = Envelope.parseFrom(frames.envelope());
            assertTrue(header.getPayloadFollows());
            assertTrue(header.getPayload().isEmpty());
            assertThrows(EnvelopeFormatException.class, () -> codec.parse(frames.envelope()));

            EnvelopeView view = codec.read(frames.envelope(), frames.payload());
            assertTrue(view.payloadFollows());
            assertEquals("alice", view.sender());
            assertEquals("weather", view.topic());
            assertEquals(9, view.correlationId());
            assertSame(frames.payload(), view.payload(), "the payload frame is handed over as it is");
            assertNotSame(frames.payload(), view.payload(), "a second handler gets a copy");
            assertDecodesTo(payload, codec.read(frames.envelope(), frames.payload()));
        }
    }

    @Test
    void encodeFrames_detachAtZero_givesEveryPayloadAFrameOfItsOwnEvenNone() {
        for (Object payload : new Object[] {"ping", bytes(3), null}) {
            EnvelopeFrames frames = codec.encodeFrames(payload, Codec.AUTO, "alice", "", 0, false, 0, false);

            EnvelopeView view = codec.read(frames.envelope(), frames.payload());
            assertEquals(payload instanceof byte[] b ? b.length : payload == null ? 0 : 4, view.payloadLength());
            assertDecodesTo(payload, view);
        }
    }

    private void assertDecodesTo(Object payload, EnvelopeView view) {
        Class<?> type = payload == null ? Object.class : payload.getClass();
        Object decoded = codec.payload(view, type);
        if (payload instanceof byte[] sent) {
            assertArrayEquals(sent, (byte[]) decoded);
        } else {
            assertEquals(payload, decoded);
        }
    }

    @Test
    void encodeFrames_streamOfMessages_reusesItsAnnouncingEnvelopeAndReadsBackEachSender() {
        EnvelopeWriter writer = codec.writer();
        EnvelopeReader reader = codec.reader();
        EnvelopeFrames alice1 = writer.encodeFrames(bytes(600), Codec.AUTO, "alice", "", 0, false, DETACH_AT, false);
        EnvelopeFrames alice2 = writer.encodeFrames(bytes(601), Codec.AUTO, "alice", "", 0, false, DETACH_AT, false);
        EnvelopeFrames bob = writer.encodeFrames(bytes(602), Codec.AUTO, "bob", "", 0, false, DETACH_AT, false);
        EnvelopeFrames request = writer.encodeFrames(bytes(603), Codec.AUTO, "bob", "", 7, false, DETACH_AT, false);

        assertSame(alice1.envelope(), alice2.envelope());
        assertNotSame(alice1.envelope(), bob.envelope());
        assertEquals("alice", reader.read(alice1.envelope(), alice1.payload()).sender());
        assertEquals("bob", reader.read(bob.envelope(), bob.payload()).sender());
        EnvelopeView again = reader.read(alice2.envelope(), alice2.payload());
        assertEquals("alice", again.sender());
        assertEquals(601, again.payloadLength());
        assertSame(alice2.payload(), again.payload());
        assertEquals(7, reader.read(request.envelope(), request.payload()).correlationId());
        assertEquals(0, reader.read(bob.envelope(), bob.payload()).correlationId());
    }

    @Test
    void writer_twoWritersOfOneSenderInTurn_eachKeepsItsOwnAnnouncingEnvelope() {
        EnvelopeWriter first = codec.writer();
        EnvelopeWriter second = codec.writer();

        EnvelopeFrames a1 = first.encodeFrames(bytes(600), Codec.AUTO, "alice", "", 0, false, DETACH_AT, false);
        EnvelopeFrames b1 = second.encodeFrames(bytes(600), Codec.AUTO, "alice", "news", 0, false, DETACH_AT, false);
        EnvelopeFrames a2 = first.encodeFrames(bytes(601), Codec.AUTO, "alice", "", 0, false, DETACH_AT, false);
        EnvelopeFrames b2 = second.encodeFrames(bytes(601), Codec.AUTO, "alice", "news", 0, false, DETACH_AT, false);

        // Neither evicts the other's: each stream's announcing envelope is reused.
        assertSame(a1.envelope(), a2.envelope());
        assertSame(b1.envelope(), b2.envelope());
        assertEquals("news", codec.read(b2.envelope(), b2.payload()).topic());
        assertEquals("", codec.read(a2.envelope(), a2.payload()).topic());
    }

    @Test
    void codecMethods_afterAWritersStream_writeTheSameFramesAsAFreshWriter() {
        EnvelopeWriter writer = codec.writer();
        writer.encodeFrames(bytes(600), Codec.AUTO, "alice", "", 0, false, DETACH_AT, false);

        EnvelopeFrames viaCodec = codec.encodeFrames(bytes(600), Codec.AUTO, "alice", "", 0, false, DETACH_AT, false);
        EnvelopeFrames fresh = codec.writer().encodeFrames(bytes(600), Codec.AUTO, "alice", "", 0, false, DETACH_AT,
                false);

        assertArrayEquals(fresh.envelope(), viaCodec.envelope());
        assertArrayEquals(writer.encode("x", Codec.AUTO, "alice", "t", 3, false),
                codec.encode("x", Codec.AUTO, "alice", "t", 3, false));
    }

    @Test
    void batchFrame_readBatch_givesEachEnvelopeBackInOrder() {
        List<byte[]> frames = List.of(codec.encode("a", Codec.AUTO, "alice"), codec.encode(7, Codec.AUTO, "alice"),
                codec.encode(bytes(300), Codec.AUTO, "alice", "", 9, false));

        EnvelopeView batch = codec.read(codec.batchFrame("alice", frames));
        List<EnvelopeView> views = codec.readBatch(batch);

        assertEquals(EnvelopeCodec.BATCH_CODEC, batch.codec());
        assertEquals(3, views.size());
        assertEquals("a", codec.payload(views.get(0), String.class));
        assertEquals(7, codec.payload(views.get(1), Integer.class));
        assertArrayEquals(bytes(300), codec.payload(views.get(2), byte[].class));
        assertEquals(9, views.get(2).correlationId());
    }

    @Test
    void readBatch_malformedNestedOrOversized_throwsEnvelopeFormatException() {
        byte[] one = codec.encode("a", Codec.AUTO, "alice");
        byte[] nested = codec.batchFrame("alice", List.of(one, one));
        List<byte[]> tooMany = java.util.Collections.nCopies(EnvelopeCodec.MAX_BATCH_ENTRIES + 1, new byte[] {8, 1});
        byte[][] refused = {
            validEnvelope().setCodec("batch").setPayload(ByteString.copyFrom(new byte[] {5, 1})).build().toByteArray(),
            validEnvelope().setCodec("batch").setPayload(ByteString.copyFrom(new byte[] {3, 1, 2, 3})).build().toByteArray(),
            validEnvelope().setCodec("batch").setPayload(ByteString.EMPTY).build().toByteArray(),
            codec.batchFrame("alice", List.of(one, nested)),
            codec.batchFrame("alice", List.of(codec.encodeFrames(bytes(600), Codec.AUTO, "alice", "", 0, false, 0, false)
                    .envelope())),
            codec.batchFrame("alice", tooMany),
            codec.batchFrame("alice", List.of(new byte[EnvelopeCodec.MAX_BATCH_BYTES])),
        };
        for (byte[] frame : refused) {
            assertThrows(EnvelopeFormatException.class, () -> codec.readBatch(codec.read(frame)));
        }
    }

    @Test
    void encodeFrames_callersArray_isCopiedUnlessShared() {
        byte[] payload = bytes(1024);

        EnvelopeFrames copied = codec.encodeFrames(payload, Codec.RAW, "alice", "", 0, false, DETACH_AT, false);
        EnvelopeFrames shared = codec.encodeFrames(payload, Codec.RAW, "alice", "", 0, false, DETACH_AT, true);

        assertNotSame(payload, copied.payload());
        assertArrayEquals(payload, copied.payload());
        assertSame(payload, shared.payload());
    }

    @Test
    void encodeFrames_payloadOverLimit_throwsMessageEncodingException() {
        EnvelopeCodec small = new EnvelopeCodec(CodecRegistry.of(), 1000);
        MessageEncodingException e = assertThrows(MessageEncodingException.class,
                () -> small.encodeFrames(bytes(1001), Codec.AUTO, "alice", "", 0, false, DETACH_AT, false));
        assertTrue(e.getMessage().contains("limit of 1000 bytes"), e.getMessage());
    }

    @Test
    void read_payloadFrameMissingOrUnannounced_throwsEnvelopeFormatException() {
        EnvelopeFrames large = codec.encodeFrames(bytes(600), Codec.AUTO, "alice", "", 0, false, DETACH_AT, false);
        byte[] small = codec.encode("ping", Codec.AUTO, "alice");

        EnvelopeFormatException missing = assertThrows(EnvelopeFormatException.class,
                () -> codec.read(large.envelope()));
        EnvelopeFormatException unannounced = assertThrows(EnvelopeFormatException.class,
                () -> codec.read(small, bytes(600)));
        byte[] both = validEnvelope().setPayloadFollows(true).build().toByteArray();
        EnvelopeFormatException twoPayloads = assertThrows(EnvelopeFormatException.class,
                () -> codec.read(both, bytes(600)));

        assertTrue(missing.getMessage().contains("none came"), missing.getMessage());
        assertTrue(unannounced.getMessage().contains("does not announce"), unannounced.getMessage());
        assertTrue(twoPayloads.getMessage().contains("holds a payload"), twoPayloads.getMessage());
        EnvelopeCodec limited = new EnvelopeCodec(CodecRegistry.of(), 599);
        assertThrows(EnvelopeFormatException.class, () -> limited.read(large.envelope(), large.payload()));
    }

    @Test
    void sharedFrame_payloadIsAlwaysACopy() {
        EnvelopeFrames frames = codec.encodeFrames(bytes(600), Codec.AUTO, "alice", "", 0, false, DETACH_AT, false);

        EnvelopeView view = codec.read(frames.envelope(), frames.payload()).sharedFrame();

        assertNotSame(frames.payload(), view.payload());
        assertArrayEquals(frames.payload(), view.payload());
        EnvelopeView raw = EnvelopeView.rawPayload(frames.payload(), "raw").sharedFrame();
        assertNotSame(frames.payload(), raw.payload());
        assertNotSame(frames.payload(), raw.withCodec("string").payload());
    }

    private static byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }
}
