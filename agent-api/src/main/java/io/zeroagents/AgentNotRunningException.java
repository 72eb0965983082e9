package io.zeroagents;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when an operation is sent to an agent that has stopped.
 *
 * @since 0.1
 */
public final class AgentNotRunningException extends AgentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, where, and what to do
     */
    public AgentNotRunningException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, where, and what to do
     * @param cause   the underlying failure
     */
    public AgentNotRunningException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
