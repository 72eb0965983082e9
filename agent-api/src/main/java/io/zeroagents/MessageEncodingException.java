package io.zeroagents;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a message cannot be encoded with the codec of the socket it is sent on.
 *
 * @since 0.1
 */
public final class MessageEncodingException extends AgentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what could not be encoded, and why
     * @param cause   the underlying failure
     */
    public MessageEncodingException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
