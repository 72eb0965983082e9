package io.zeroagents.serialization;

import io.zeroagents.Codec;
import io.zeroagents.MessageEncodingException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Writes the envelope frames of one sending socket, made by {@link EnvelopeCodec#writer()}. It
 * keeps what a stream of messages repeats: the head of its frames (the fields before the ones
 * that vary, see {@code envelope.proto}) and its last envelope announcing a payload frame, so a
 * stream's frames are not encoded from scratch each time.
 *
 * <p>Not thread-safe: it belongs to the socket it writes for, and so to the thread that owns that
 * socket. The frames it writes are the ones {@link EnvelopeCodec}'s own methods write.
 *
 * @since 0.1
 */
public final class EnvelopeWriter {
    private final EnvelopeCodec codec;
    /** The head of the last frame written, when it was small enough to keep. */
    private EnvelopeWire.Head lastHead = EnvelopeWire.NO_HEAD;

    EnvelopeWriter(EnvelopeCodec codec) {
        this.codec = codec;
    }

    /**
     * Encodes a value into a complete frame with the routing fields an agent sets, as
     * {@link EnvelopeCodec#encode(Object, Codec, String, String, long, boolean)} describes.
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
        return envelopeFrame(this.codec.encodePayload(payload, codec), sender, topic, correlationId, error, false);
    }

    /**
     * Encodes a payload another process encoded already into a complete frame, as it is: the
     * payload's bytes are copied into the frame, never decoded.
     *
     * @param payload       the encoded payload; its codec id must not be {@value EnvelopeCodec#BATCH_CODEC}
     * @param sender        the sending agent's name
     * @param topic         the topic, or empty
     * @param correlationId the request this message is, or 0
     * @return the frame
     * @throws MessageEncodingException when the frame is too large
     */
    public byte[] encoded(EncodedPayload payload, String sender, String topic, long correlationId) {
        return envelopeFrame(payload, sender, topic, correlationId, false, false);
    }

    /**
     * A value's payload alone, as a raw socket sends it: the codec's bytes, or a copy of the
     * caller's own array, which the caller may change once the send returns.
     *
     * @param payload the message value
     * @param codec   the socket's codec
     * @return fresh bytes
     * @throws MessageEncodingException when the codec cannot encode the value
     */
    public byte[] payloadOnly(@Nullable Object payload, Codec codec) {
        byte[] bytes = this.codec.encodePayload(payload, codec).bytes();
        return bytes == payload ? bytes.clone() : bytes;
    }

    /**
     * Encodes a value into the frames an agent sends, as
     * {@link EnvelopeCodec#encodeFrames(Object, Codec, String, String, long, boolean, int, boolean)}
     * describes.
     *
     * @param payload       the message value
     * @param codec         the socket's codec
     * @param sender        the sending agent's name
     * @param topic         the topic, or empty
     * @param correlationId the request this message answers or is, or 0
     * @param error         whether the payload is an error report
     * @param detachAt      the payload size from which the payload gets a frame of its own
     * @param shareArrays   whether a {@code byte[]} under the raw codec becomes the payload frame as it is
     * @return the frames
     * @throws MessageEncodingException when the value cannot be encoded or a frame is too large
     */
    public EnvelopeFrames encodeFrames(@Nullable Object payload, Codec codec, String sender, String topic,
                                       long correlationId, boolean error, int detachAt, boolean shareArrays) {
        EncodedPayload encoded = this.codec.encodePayload(payload, codec);
        if (encoded.bytes().length < detachAt) {
            return EnvelopeFrames.single(envelopeFrame(encoded, sender, topic, correlationId, error, false));
        }
        if (encoded.bytes() == payload && !shareArrays) {
            // The caller's own array: it may change it once send returns. A codec's bytes are fresh.
            encoded = new EncodedPayload(encoded.codecId(), encoded.payloadType(), encoded.bytes().clone());
        }
        return detached(encoded, sender, topic, correlationId, error);
    }

    /**
     * The envelope frame of an encoded payload: holding it, or announcing that it follows in a
     * frame of its own; refused when larger than the frame limit.
     */
    private byte[] envelopeFrame(EncodedPayload encoded, String sender, String topic, long correlationId,
                                 boolean error, boolean payloadFollows) {
        EnvelopeWire.Head head = lastHead;
        if (!EnvelopeWire.madeFrom(head, encoded.codecId(), encoded.payloadType(), sender, topic)) {
            head = EnvelopeWire.head(encoded.codecId(), encoded.payloadType(), sender, topic);
            if (head.bytes().length <= EnvelopeWire.MAX_KEPT_HEAD_BYTES) {
                lastHead = head;
            }
        }
        byte[] inside = payloadFollows ? EnvelopeWire.NO_BYTES : encoded.bytes();
        if (inside.length > codec.maxFrameBytes()) {
            // Checked first: the frame's size, computed next, could overflow an int.
            throw codec.tooLarge(sender, encoded.payloadType(), inside.length);
        }
        int size = EnvelopeWire.size(head, inside, correlationId, error, payloadFollows);
        if (size > codec.maxFrameBytes()) {
            throw codec.tooLarge(sender, encoded.payloadType(), size);
        }
        return EnvelopeWire.write(size, head, inside, correlationId, error, payloadFollows);
    }

    private EnvelopeFrames detached(EncodedPayload encoded, String sender, String topic, long correlationId,
                                    boolean error) {
        if (encoded.bytes().length > codec.maxFrameBytes()) {
            throw codec.tooLarge(sender, encoded.payloadType(), encoded.bytes().length);
        }
        if (correlationId != 0 || error) {
            return new EnvelopeFrames(envelopeFrame(encoded, sender, topic, correlationId, error, true),
                    encoded.bytes());
        }
        // A stream of messages repeats its announcing envelope byte for byte: the last one is sent
        // again, the same array, which receivers never change (and an inproc receiver then
        // recognises without reading it again).
        LastAnnouncement last = lastAnnouncement;
        if (last.codecId != encoded.codecId() || last.payloadType != encoded.payloadType() || last.sender != sender
                || last.topic != topic) {
            last = new LastAnnouncement(encoded.codecId(), encoded.payloadType(), sender, topic,
                    envelopeFrame(encoded, sender, topic, 0, false, true));
            lastAnnouncement = last;
        }
        return new EnvelopeFrames(last.frame, encoded.bytes());
    }

    /**
     * The last envelope frame announcing a payload frame, with no correlation id or error, and the
     * texts it was made from, compared by identity (a sender passes the same strings again).
     */
    private record LastAnnouncement(String codecId, String payloadType, String sender, String topic, byte[] frame) {
    }

    private LastAnnouncement lastAnnouncement = new LastAnnouncement("", "", "", "", EnvelopeWire.NO_BYTES);

    /**
     * Makes one frame of several envelope frames, a batch (codec {@value EnvelopeCodec#BATCH_CODEC}).
     *
     * @param sender the sending agent's name
     * @param frames envelope frames as {@link #encode} makes them (payload inside), in the order
     *               they are to be handled
     * @return the frame
     * @throws MessageEncodingException when the frame would exceed the frame limit
     */
    public byte[] batchFrame(String sender, List<byte[]> frames) {
        return envelopeFrame(new EncodedPayload(EnvelopeCodec.BATCH_CODEC, "", EnvelopeWire.batchPayload(frames)),
                sender, "", 0, false, false);
    }
}
