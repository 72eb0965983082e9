package io.zeroagents;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when bytes received cannot be decoded into the type the receiver asked for: a malformed,
 * truncated or unknown-version envelope, an unknown codec, or a payload of another shape.
 *
 * <p>Agents drop and count such messages and keep working; a {@code recv} call throws this.
 *
 * @since 0.1
 */
public class MessageDecodingException extends AgentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what could not be decoded, and why
     */
    public MessageDecodingException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what could not be decoded, and why
     * @param cause   the underlying failure
     */
    public MessageDecodingException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
