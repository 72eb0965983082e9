package io.zeroagents;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when an agent has no socket with the alias used.
 *
 * @since 0.1
 */
public final class UnknownAliasException extends AgentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, where, and what to do
     */
    public UnknownAliasException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, where, and what to do
     * @param cause   the underlying failure
     */
    public UnknownAliasException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
