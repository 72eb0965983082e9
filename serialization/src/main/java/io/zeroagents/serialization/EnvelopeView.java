package io.zeroagents.serialization;

import io.zeroagents.serialization.proto.Envelope;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A received envelope read in place: its routing fields as text, its payload a range of the frame
 * it came in, copied only when the receiver decodes it. What an agent's loop reads per message,
 * without the generated class's builder and byte-string objects.
 *
 * <p>Instances come from {@link EnvelopeCodec#read(byte[])}, which validates the frame, or from
 * {@link #rawPayload(byte[], String)} for frames of plain ZeroMQ peers. The frame must not change
 * while the view is in use. A view is read by one thread.
 */
public final class EnvelopeView {
    private final String codec;
    private final String payloadType;
    private final String sender;
    private final String topic;
    private final long correlationId;
    private final boolean error;
    private final boolean payloadFollows;
    private final byte[] frame;
    private final int payloadAt;
    private final int payloadLength;
    /**
     * Whether {@link #payload()} may no longer give the frame itself away: it did already, or other
     * receivers may hold the same array (an inproc publisher's subscribers).
     */
    private boolean frameHandedOut;

    EnvelopeView(String codec, String payloadType, String sender, String topic, long correlationId, boolean error,
                 boolean payloadFollows, byte[] frame, int payloadAt, int payloadLength) {
        this.codec = codec;
        this.payloadType = payloadType;
        this.sender = sender;
        this.topic = topic;
        this.correlationId = correlationId;
        this.error = error;
        this.payloadFollows = payloadFollows;
        this.frame = frame;
        this.payloadAt = payloadAt;
        this.payloadLength = payloadLength;
    }

    /**
     * A frame that is all payload, as plain ZeroMQ peers send it, with no sender or routing fields.
     *
     * @param frame the frame; it becomes the payload as it is, without a copy
     * @param codec the codec id the receiver reads it with
     * @return the view
     */
    public static EnvelopeView rawPayload(byte[] frame, String codec) {
        return new EnvelopeView(codec, "", "", "", 0, false, false, frame, 0, frame.length);
    }

    /** The fields of an envelope the generated parser read. */
    static EnvelopeView of(Envelope envelope) {
        byte[] payload = envelope.getPayload().toByteArray();
        return new EnvelopeView(envelope.getCodec(), envelope.getPayloadType(), envelope.getSender(),
                envelope.getTopic(), envelope.getCorrelationId(), envelope.getError(), envelope.getPayloadFollows(),
                payload, 0, payload.length);
    }

    /** This envelope with the payload that followed it in a frame of its own. */
    EnvelopeView withPayloadFrame(byte[] payloadFrame) {
        return new EnvelopeView(codec, payloadType, sender, topic, correlationId, error, true, payloadFrame, 0,
                payloadFrame.length);
    }

    /**
     * Marks the frame as shared with other receivers (an inproc publisher hands the same array to
     * each of its subscribers), so {@link #payload()} always copies.
     *
     * @return this view
     */
    public EnvelopeView sharedFrame() {
        frameHandedOut = true;
        return this;
    }

    /**
     * The same envelope read with another codec, for a raw frame whose codec the receiver's type picks.
     *
     * @param otherCodec the codec id
     * @return a view of the same payload
     */
    public EnvelopeView withCodec(String otherCodec) {
        EnvelopeView view = new EnvelopeView(otherCodec, payloadType, sender, topic, correlationId, error,
                payloadFollows, frame, payloadAt, payloadLength);
        view.frameHandedOut = frameHandedOut;
        return view;
    }

    /** @return the payload codec's id */
    public String codec() {
        return codec;
    }

    /** @return the payload's type name as the sender declared it, or empty */
    public String payloadType() {
        return payloadType;
    }

    /** @return the sending agent's name, or empty */
    public String sender() {
        return sender;
    }

    /** @return the topic, or empty */
    public String topic() {
        return topic;
    }

    /** @return the request this message is or answers, or 0 */
    public long correlationId() {
        return correlationId;
    }

    /** @return whether the payload is an error report (UTF-8 text) rather than a value */
    public boolean error() {
        return error;
    }

    /**
     * Whether the payload came in a frame of its own after the envelope's, as senders send large
     * payloads.
     *
     * @return whether the payload followed the envelope
     */
    public boolean payloadFollows() {
        return payloadFollows;
    }

    /** @return the payload's length in bytes */
    public int payloadLength() {
        return payloadLength;
    }

    /**
     * The payload's bytes, as the caller's own array: a copy, except the first time for a frame that
     * is all payload (a payload frame of its own, or a plain peer's frame), which is handed over as
     * it is unless {@linkplain #sharedFrame() shared} (a message going to two handlers gives each
     * its own array).
     *
     * @return the bytes
     */
    public byte[] payload() {
        if (!frameHandedOut && payloadAt == 0 && payloadLength == frame.length) {
            frameHandedOut = true;
            return frame;
        }
        return Arrays.copyOfRange(frame, payloadAt, payloadAt + payloadLength);
    }

    /** The array the payload is in. */
    byte[] frame() {
        return frame;
    }

    /** Where the payload starts in {@link #frame()}. */
    int payloadAt() {
        return payloadAt;
    }

    /** The payload as a byte string sharing the frame, for {@link EnvelopeCodec#parse(byte[])}. */
    com.google.protobuf.ByteString payloadSlice() {
        return com.google.protobuf.UnsafeByteOperations.unsafeWrap(frame, payloadAt, payloadLength);
    }

    /** @return the payload read as UTF-8 text, as error reports carry it */
    public String payloadText() {
        return new String(frame, payloadAt, payloadLength, StandardCharsets.UTF_8);
    }

    /**
     * The envelope as the generated class, for code that needs it (tests, tools).
     *
     * @return the envelope, version {@value EnvelopeCodec#VERSION}
     */
    public Envelope toEnvelope() {
        Envelope.Builder envelope = Envelope.newBuilder().setVersion(EnvelopeCodec.VERSION).setCodec(codec)
                .setPayloadType(payloadType).setSender(sender).setTopic(topic).setCorrelationId(correlationId)
                .setError(error);
        if (payloadLength > 0) {
            envelope.setPayload(com.google.protobuf.ByteString.copyFrom(frame, payloadAt, payloadLength));
        }
        return envelope.build();
    }

    @Override
    public String toString() {
        return "EnvelopeView[codec=" + codec + ", type=" + payloadType + ", sender=" + sender + ", topic=" + topic
                + ", correlationId=" + correlationId + ", error=" + error + ", payload=" + payloadLength + " bytes"
                + (payloadFollows ? " in a frame of its own" : "") + "]";
    }
}
