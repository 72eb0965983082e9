package io.zeroagents.serialization;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The frames of one agent message as {@link EnvelopeCodec#encodeFrames} makes them: the envelope,
 * and the payload as a frame of its own when it is large (the envelope then says so).
 *
 * @param envelope the envelope frame, sent first
 * @param payload  the payload frame, sent after it, or {@code null} when the payload is inside the
 *                 envelope
 * @since 0.1
 */
public record EnvelopeFrames(byte[] envelope, byte @Nullable [] payload) {
    /**
     * Checks the envelope frame is there.
     *
     * @param envelope the envelope frame
     * @param payload  the payload frame, or {@code null}
     */
    public EnvelopeFrames {
        Objects.requireNonNull(envelope, "envelope");
    }

    /**
     * One frame that is the whole message: an envelope holding its payload, or a raw socket's payload.
     *
     * @param frame the frame
     * @return the frames
     */
    public static EnvelopeFrames single(byte[] frame) {
        return new EnvelopeFrames(frame, null);
    }
}
