package io.zeroagents.serialization;

import io.zeroagents.MessageDecodingException;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when a received frame is not a usable ZeroAgents envelope: larger than the frame limit,
 * malformed or truncated protobuf, without a version or of a version this runtime does not read,
 * or without a codec.
 *
 * <p>Receivers drop such frames, count and log them, and keep working.
 *
 * @since 0.1
 */
public final class EnvelopeFormatException extends MessageDecodingException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong with the frame
     */
    public EnvelopeFormatException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what is wrong with the frame
     * @param cause   the parser's failure
     */
    public EnvelopeFormatException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
