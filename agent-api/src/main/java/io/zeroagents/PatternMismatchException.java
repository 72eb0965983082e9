package io.zeroagents;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when an operation does not fit the pattern of a socket, such as sending on a {@code SUB} socket or receiving on a {@code PUSH} socket.
 *
 * @since 0.1
 */
public final class PatternMismatchException extends AgentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, where, and what to do
     */
    public PatternMismatchException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, where, and what to do
     * @param cause   the underlying failure
     */
    public PatternMismatchException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
