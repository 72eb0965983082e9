package io.zeroagents;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a receive, a proxy call or a name-server request did not complete in time.
 *
 * @since 0.1
 */
public final class AgentTimeoutException extends AgentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, where, and what to do
     */
    public AgentTimeoutException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, where, and what to do
     * @param cause   the underlying failure
     */
    public AgentTimeoutException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
