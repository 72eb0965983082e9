package io.zeroagents;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a name server has no agent by the name asked for.
 *
 * @since 0.1
 */
public final class UnknownAgentException extends AgentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, where, and what to do
     */
    public UnknownAgentException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, where, and what to do
     * @param cause   the underlying failure
     */
    public UnknownAgentException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
