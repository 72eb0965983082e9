package io.zeroagents;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when an agent is started under a name its name server already holds.
 *
 * @since 0.1
 */
public final class DuplicateAgentNameException extends AgentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, where, and what to do
     */
    public DuplicateAgentNameException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, where, and what to do
     * @param cause   the underlying failure
     */
    public DuplicateAgentNameException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
