package io.zeroagents.serialization;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the envelope frames one receiving socket gets, made by {@link EnvelopeCodec#reader()}. It
 * keeps what a stream of messages repeats (the last heads read, the last announcing envelope, the
 * last codec, payload type and sender texts), so a stream's frames are compared rather than read
 * field by field; frames of any other shape go to the generated protobuf parser, which also
 * validates them.
 *
 * <p>Not thread-safe: it belongs to the socket it reads for, and so to the thread that owns that
 * socket. Its views are the ones {@link EnvelopeCodec}'s own methods return.
 *
 * @since 0.1
 */
public final class EnvelopeReader {
    private final EnvelopeCodec codec;
    private final WireReader wire = new WireReader();

    EnvelopeReader(EnvelopeCodec codec) {
        this.codec = codec;
    }

    /**
     * Reads and validates a received single-frame message in place.
     *
     * @param frame the frame's bytes, which must not change while the view is in use
     * @return the envelope's view, of version {@value EnvelopeCodec#VERSION} and with a codec
     * @throws EnvelopeFormatException as {@link EnvelopeCodec#parse(byte[])} does
     */
    public EnvelopeView read(byte[] frame) {
        EnvelopeView view = readEnvelopeFrame(frame);
        EnvelopeCodec.checkSingleFrame(view.payloadFollows(), view.sender());
        return view;
    }

    /**
     * Reads and validates a received message of two frames, an envelope and the payload that
     * follows it.
     *
     * @param frame        the envelope frame, which must announce the payload frame
     * @param payloadFrame the payload frame; the view hands it out as the payload, so neither array
     *                     may change while the view is in use
     * @return the envelope's view
     * @throws EnvelopeFormatException as {@link EnvelopeCodec#read(byte[], byte[])} does
     */
    public EnvelopeView read(byte[] frame, byte[] payloadFrame) {
        if (payloadFrame.length <= codec.maxFrameBytes()) {
            // An inproc stream's announcing envelope, seen before: no second reading, no second view.
            EnvelopeView seen = wire.announced(frame, payloadFrame);
            if (seen != null) {
                return seen;
            }
        }
        EnvelopeView view = readEnvelopeFrame(frame);
        if (!view.payloadFollows()) {
            throw new EnvelopeFormatException("Envelope from '" + view.sender()
                    + "' came with a second frame it does not announce");
        }
        if (payloadFrame.length > codec.maxFrameBytes()) {
            throw new EnvelopeFormatException("Payload frame of " + payloadFrame.length + " bytes exceeds the limit of "
                    + codec.maxFrameBytes() + " bytes");
        }
        return view.withPayloadFrame(payloadFrame);
    }

    private EnvelopeView readEnvelopeFrame(byte[] frame) {
        codec.checkSize(frame);
        EnvelopeView view = wire.read(frame);
        if (view == null) {
            view = EnvelopeView.of(EnvelopeCodec.parseGenerated(frame));
        }
        EnvelopeCodec.checkPayloadPlacement(view.payloadFollows(), view.payloadLength() > 0, view.sender());
        return view;
    }

    /**
     * Reads the envelopes of a batch in place, each validated as {@link #read(byte[])} validates a
     * frame, within the limits {@link EnvelopeCodec#readBatch(EnvelopeView)} names.
     *
     * @param batch a view whose codec is {@value EnvelopeCodec#BATCH_CODEC}
     * @return the envelopes, in order
     * @throws EnvelopeFormatException when the batch or any envelope in it is malformed
     */
    public List<EnvelopeView> readBatch(EnvelopeView batch) {
        byte[] frame = batch.frame();
        if (batch.payloadLength() > EnvelopeCodec.MAX_BATCH_BYTES) {
            throw new EnvelopeFormatException("Batch from '" + batch.sender() + "' of " + batch.payloadLength()
                    + " bytes is over the limit of " + EnvelopeCodec.MAX_BATCH_BYTES + " bytes");
        }
        int[] ranges = EnvelopeWire.batchRanges(frame, batch.payloadAt(), batch.payloadLength());
        if (ranges == null || ranges.length == 0) {
            throw new EnvelopeFormatException("Batch from '" + batch.sender() + "' of " + batch.payloadLength()
                    + " bytes is empty or truncated");
        }
        if (ranges.length / 2 > EnvelopeCodec.MAX_BATCH_ENTRIES) {
            throw new EnvelopeFormatException("Batch from '" + batch.sender() + "' holds " + ranges.length / 2
                    + " envelopes, over the limit of " + EnvelopeCodec.MAX_BATCH_ENTRIES);
        }
        List<EnvelopeView> views = new ArrayList<>(ranges.length / 2);
        for (int i = 0; i < ranges.length; i += 2) {
            EnvelopeView view = wire.read(frame, ranges[i], ranges[i + 1]);
            if (view == null) {
                view = EnvelopeView.of(EnvelopeCodec.parseGenerated(Arrays.copyOfRange(frame, ranges[i], ranges[i + 1])));
            }
            if (view.payloadFollows() || view.codec().equals(EnvelopeCodec.BATCH_CODEC)) {
                throw new EnvelopeFormatException("Batch from '" + batch.sender()
                        + "' holds an envelope that is a batch or announces a payload frame");
            }
            views.add(view);
        }
        return views;
    }
}
