package io.zeroagents.serialization;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import io.zeroagents.Codec;
import io.zeroagents.MessageDecodingException;
import io.zeroagents.MessageEncodingException;
import io.zeroagents.serialization.proto.Envelope;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Wraps message values into versioned {@link Envelope}s and parses received frames back, the one
 * place that knows the ZeroAgents wire format.
 *
 * <p>{@link #parse(byte[])} is strict: a frame larger than {@link #maxFrameBytes()}, bytes that are
 * not a protobuf envelope, an envelope without a version or of a version other than
 * {@value #VERSION}, and one without a codec are refused with an {@link EnvelopeFormatException},
 * so a receiver can drop and count the frame and carry on. Payloads are decoded separately, with
 * {@link #payload(Envelope, Class)}, into the type the receiver asks for.
 *
 * <p>Instances are immutable and thread-safe. A socket that sends or receives a stream of messages
 * keeps an {@link #writer()} and a {@link #reader()} of its own, which remember what the stream
 * repeats; this class's own methods write and read each frame afresh.
 *
 * @since 0.1
 */
public final class EnvelopeCodec {

    /** The envelope version this runtime writes and the only one it reads. */
    public static final int VERSION = 1;

    /**
     * Over a network, payloads of this many bytes or more travel in a frame of their own after the
     * envelope's (see {@link #encodeFrames}): the receiver takes that frame as the payload without
     * copying it out of the envelope. Below it a second frame costs more than the copy it saves
     * (measured with the benchmarks harness).
     */
    public static final int DETACHED_PAYLOAD_BYTES = 8192;

    /**
     * The codec id of a batch: an envelope whose payload is several envelope frames, each after its
     * length as a varint (protobuf's encoding of repeated bytes), sent as one frame by an agent that
     * batches its sends ({@link #batchFrame}, {@link #readBatch}).
     */
    public static final String BATCH_CODEC = "batch";

    /** The most envelopes a batch may hold; a bigger one is refused whole. */
    public static final int MAX_BATCH_ENTRIES = 10_000;

    /** The largest batch payload accepted, 128 KiB (agents send at most 64 KiB). */
    public static final int MAX_BATCH_BYTES = 128 * 1024;

    /** The default limit on the size of a frame, 16 MiB. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

    private static final String BYTE_ARRAY_TYPE = byte[].class.getName();

    private final CodecRegistry registry;
    private final int maxFrameBytes;

    /**
     * Creates an envelope codec with the {@linkplain #DEFAULT_MAX_FRAME_BYTES default frame limit}.
     *
     * @param registry the payload codecs
     */
    public EnvelopeCodec(CodecRegistry registry) {
        this(registry, DEFAULT_MAX_FRAME_BYTES);
    }

    /**
     * Creates an envelope codec.
     *
     * @param registry      the payload codecs
     * @param maxFrameBytes the largest frame {@link #parse(byte[])} accepts and {@link #frame(Envelope)}
     *                      produces, positive
     * @throws IllegalArgumentException when {@code maxFrameBytes} is not positive
     */
    public EnvelopeCodec(CodecRegistry registry, int maxFrameBytes) {
        this.registry = Objects.requireNonNull(registry, "registry");
        if (maxFrameBytes <= 0) {
            throw new IllegalArgumentException("maxFrameBytes must be positive, got " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * The largest frame accepted, in bytes.
     *
     * @return the limit
     */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /**
     * A writer of envelope frames for one sending socket, which keeps what its stream repeats.
     *
     * @return a new writer, for one thread
     */
    public EnvelopeWriter writer() {
        return new EnvelopeWriter(this);
    }

    /**
     * A reader of envelope frames for one receiving socket, which keeps what its stream repeats.
     *
     * @return a new reader, for one thread
     */
    public EnvelopeReader reader() {
        return new EnvelopeReader(this);
    }

    /**
     * Starts an envelope holding an encoded value; the caller adds the sender, topic, correlation id
     * and other routing fields, then calls {@link #frame(Envelope)}.
     *
     * @param payload the message value
     * @param codec   the socket's codec; see {@link CodecRegistry#encode(Object, Codec)}
     * @return a builder with the version, codec, payload type and payload set
     * @throws MessageEncodingException when the codec cannot encode the value
     */
    public Envelope.Builder wrap(@Nullable Object payload, Codec codec) {
        EncodedPayload encoded = registry.encode(payload, codec);
        return Envelope.newBuilder()
                .setVersion(VERSION)
                .setCodec(encoded.codecId())
                .setPayloadType(encoded.payloadType())
                // The codec's bytes are fresh and never changed after: no copy needed.
                .setPayload(UnsafeByteOperations.unsafeWrap(encoded.bytes()));
    }

    /**
     * Serializes an envelope into the bytes of one frame, refusing to produce a frame receivers would
     * drop as oversized.
     *
     * @param envelope the envelope
     * @return the frame
     * @throws MessageEncodingException when the frame would exceed {@link #maxFrameBytes()}
     */
    public byte[] frame(Envelope envelope) {
        int size = envelope.getSerializedSize();
        if (size > maxFrameBytes) {
            throw tooLarge(envelope.getSender(), envelope.getPayloadType(), size);
        }
        return envelope.toByteArray();
    }

    MessageEncodingException tooLarge(String sender, String payloadType, int size) {
        return new MessageEncodingException("Envelope from '" + sender + "' with a " + payloadType + " payload is "
                + size + " bytes, over the frame limit of " + maxFrameBytes
                + " bytes; send smaller messages or raise the limit", null);
    }

    /**
     * Encodes a value into a complete frame, with no topic, correlation id or reply address.
     *
     * @param payload the message value
     * @param codec   the socket's codec
     * @param sender  the sending agent's name
     * @return the frame
     * @throws MessageEncodingException when the value cannot be encoded or the frame is too large
     */
    public byte[] encode(@Nullable Object payload, Codec codec, String sender) {
        return encode(payload, codec, sender, "", 0, false);
    }

    /**
     * Encodes a value into a complete frame with the routing fields an agent sets: the envelope
     * {@code frame(wrap(payload, codec).setSender(sender).setTopic(topic)...build())} makes, of the
     * same size and read back equal, made without building an {@link Envelope}; its fields come in
     * another order, those a stream repeats first and the payload last (see {@code envelope.proto}).
     *
     * @param payload       the message value
     * @param codec         the socket's codec
     * @param sender        the sending agent's name
     * @param topic         the topic, or empty
     * @param correlationId the request this message answers or is, or 0
     * @param error         whether the payload is an error report
     * @return the frame
     * @throws MessageEncodingException when the value cannot be encoded or the frame is too large
     */
    public byte[] encode(@Nullable Object payload, Codec codec, String sender, String topic, long correlationId,
                         boolean error) {
        return writer().encode(payload, codec, sender, topic, correlationId, error);
    }

    /**
     * A value's payload; a byte array under the raw codec is the caller's own array, which the
     * envelope frame copies (or {@link #encodeFrames} copies or shares): the codec's defensive copy
     * would be a second one (1 KiB of 2 KiB allocated per 1 KiB message).
     */
    EncodedPayload encodePayload(@Nullable Object payload, Codec codec) {
        return payload instanceof byte[] bytes && (codec.equals(Codec.AUTO) || codec.equals(Codec.RAW))
                ? new EncodedPayload(Codec.RAW.id(), BYTE_ARRAY_TYPE, bytes)
                : registry.encode(payload, codec);
    }

    /**
     * Encodes a value into the frames an agent sends: one envelope frame, as {@link #encode(Object,
     * Codec, String, String, long, boolean) encode} makes it, for payloads under {@code detachAt}
     * bytes; for larger ones an envelope frame that announces the payload ({@code payload_follows})
     * and the payload as a frame of its own, which the receiver takes without a copy.
     *
     * @param payload       the message value
     * @param codec         the socket's codec
     * @param sender        the sending agent's name
     * @param topic         the topic, or empty
     * @param correlationId the request this message answers or is, or 0
     * @param error         whether the payload is an error report
     * @param detachAt      the payload size from which the payload gets a frame of its own:
     *                      {@link #DETACHED_PAYLOAD_BYTES} over a network, 0 for always
     * @param shareArrays   whether a {@code byte[]} under the raw codec becomes the payload frame as it
     *                      is, without a copy (the caller then never changes it, and an inproc
     *                      receiver gets that very array); otherwise it is copied
     * @return the frames
     * @throws MessageEncodingException when the value cannot be encoded or a frame is too large
     */
    public EnvelopeFrames encodeFrames(@Nullable Object payload, Codec codec, String sender, String topic,
                                       long correlationId, boolean error, int detachAt, boolean shareArrays) {
        return writer().encodeFrames(payload, codec, sender, topic, correlationId, error, detachAt, shareArrays);
    }

    /**
     * Makes one frame of several envelope frames, a batch (codec {@value #BATCH_CODEC}).
     *
     * @param sender the sending agent's name
     * @param frames envelope frames as {@link #encode(Object, Codec, String, String, long, boolean)}
     *               makes them (payload inside), in the order they are to be handled
     * @return the frame
     * @throws MessageEncodingException when the frame would exceed {@link #maxFrameBytes()}
     */
    public byte[] batchFrame(String sender, List<byte[]> frames) {
        return writer().batchFrame(sender, frames);
    }

    /**
     * Reads the envelopes of a batch in place, each validated as {@link #read(byte[])} validates a
     * frame; a batch holds no batch and no envelope announcing a payload frame, at most
     * {@value #MAX_BATCH_ENTRIES} envelopes and at most {@value #MAX_BATCH_BYTES} bytes.
     *
     * @param batch a view whose codec is {@value #BATCH_CODEC}
     * @return the envelopes, in order
     * @throws EnvelopeFormatException when the batch or any envelope in it is malformed
     */
    public List<EnvelopeView> readBatch(EnvelopeView batch) {
        return reader().readBatch(batch);
    }

    /**
     * Parses and validates a received single-frame message; the payload stays encoded. An envelope
     * that announces a payload frame is refused, as {@link #read(byte[])} refuses it: read such a
     * message with {@link #read(byte[], byte[])}.
     *
     * @param frame the frame's bytes; the envelope's payload may be a view of them, so they must not
     *              change afterwards
     * @return the envelope, of version {@value #VERSION} and with a codec
     * @throws EnvelopeFormatException when the frame is empty, too large, not a protobuf envelope,
     *                                 truncated, without a version or codec, or of another version
     */
    public Envelope parse(byte[] frame) {
        checkSize(frame);
        EnvelopeView view = new WireReader().read(frame);
        if (view != null) {
            checkSingleFrame(view.payloadFollows(), view.sender());
            Envelope.Builder envelope = Envelope.newBuilder().setVersion(VERSION).setCodec(view.codec())
                    .setPayloadType(view.payloadType()).setSender(view.sender()).setTopic(view.topic())
                    .setCorrelationId(view.correlationId()).setError(view.error());
            if (view.payloadLength() > 0) {
                envelope.setPayload(view.payloadSlice());
            }
            return envelope.build();
        }
        Envelope envelope = parseGenerated(frame);
        checkSingleFrame(envelope.getPayloadFollows(), envelope.getSender());
        return envelope;
    }

    static void checkSingleFrame(boolean payloadFollows, String sender) {
        if (payloadFollows) {
            throw new EnvelopeFormatException("Envelope from '" + sender
                    + "' announces a payload frame, and none came after it");
        }
    }

    static void checkPayloadPlacement(boolean payloadFollows, boolean hasPayload, String sender) {
        if (payloadFollows && hasPayload) {
            throw new EnvelopeFormatException("Envelope from '" + sender
                    + "' holds a payload and announces another in the next frame");
        }
    }

    /**
     * Reads and validates a received frame in place, as {@link #parse(byte[])} does but without
     * building an {@link Envelope}: what an agent's loop calls per message.
     *
     * @param frame the frame's bytes, which must not change while the view is in use
     * @return the envelope's view, of version {@value #VERSION} and with a codec
     * @throws EnvelopeFormatException as {@link #parse(byte[])} does
     */
    public EnvelopeView read(byte[] frame) {
        return reader().read(frame);
    }

    /**
     * Reads and validates a received message of two frames, an envelope and the payload that
     * follows it (see {@link #encodeFrames}).
     *
     * @param frame        the envelope frame, which must announce the payload frame
     * @param payloadFrame the payload frame; the view hands it out as the payload, so neither array
     *                     may change while the view is in use
     * @return the envelope's view
     * @throws EnvelopeFormatException as {@link #parse(byte[])} does, when the envelope does not
     *                                 announce a payload frame, or when the payload frame is too large
     */
    public EnvelopeView read(byte[] frame, byte[] payloadFrame) {
        return reader().read(frame, payloadFrame);
    }

    void checkSize(byte[] frame) {
        if (frame.length == 0) {
            throw new EnvelopeFormatException("Empty frame: not a ZeroAgents envelope");
        }
        if (frame.length > maxFrameBytes) {
            throw new EnvelopeFormatException("Frame of " + frame.length + " bytes exceeds the limit of "
                    + maxFrameBytes + " bytes");
        }
    }

    /** The generated parser, for every frame the hand-written reader leaves to it; validates. */
    static Envelope parseGenerated(byte[] frame) {
        Envelope envelope;
        try {
            CodedInputStream in = CodedInputStream.newInstance(frame);
            // The payload stays a view of the frame, which the caller hands over and never changes.
            in.enableAliasing(true);
            envelope = Envelope.parser().parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw new EnvelopeFormatException("Malformed envelope (" + frame.length + " bytes): " + e.getMessage(), e);
        }
        int version = envelope.getVersion();
        if (version == 0) {
            throw new EnvelopeFormatException("Envelope of " + frame.length
                    + " bytes has no version: not a ZeroAgents envelope?");
        }
        if (version != VERSION) {
            // getVersion() is a uint32 read into an int: print it unsigned, as the sender wrote it.
            throw new EnvelopeFormatException("Envelope from '" + envelope.getSender() + "' has unsupported envelope version "
                    + Integer.toUnsignedString(version) + ", this runtime reads version " + VERSION);
        }
        if (envelope.getCodec().isEmpty()) {
            throw new EnvelopeFormatException("Envelope from '" + envelope.getSender() + "' names no payload codec");
        }
        return envelope;
    }

    /**
     * Decodes an envelope's payload into the type the receiver asked for.
     *
     * @param envelope an envelope returned by {@link #parse(byte[])}
     * @param type     the type to decode into; a primitive class yields its boxed value
     * @param <T>      the type to decode into
     * @return the value, or {@code null} when the sender sent {@code null}
     * @throws MessageDecodingException when the codec is unknown or the payload cannot become a
     *                                  {@code type}
     */
    public <T> @Nullable T payload(Envelope envelope, Class<T> type) {
        return registry.decode(envelope.getCodec(), envelope.getPayload().toByteArray(), type);
    }

    /**
     * Decodes a view's payload into the type the receiver asked for.
     *
     * @param envelope a view returned by {@link #read(byte[])} or {@link EnvelopeView#rawPayload}
     * @param type     the type to decode into; a primitive class yields its boxed value
     * @param <T>      the type to decode into
     * @return the value, or {@code null} when the sender sent {@code null}
     * @throws MessageDecodingException when the codec is unknown or the payload cannot become a
     *                                  {@code type}
     */
    public <T> @Nullable T payload(EnvelopeView envelope, Class<T> type) {
        return registry.decode(envelope.codec(), envelope.payload(), type);
    }

    @Override
    public String toString() {
        return "EnvelopeCodec[version=" + VERSION + ", maxFrameBytes=" + maxFrameBytes + ", codecs=" + registry.ids()
                + "]";
    }
}
