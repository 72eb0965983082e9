package io.zeroagents;

import org.jspecify.annotations.Nullable;

/**
 * Thrown to a caller when code running inside an agent (a handler, a method, a timer) failed; the cause is the original exception with its stack trace.
 *
 * @since 0.1
 */
public final class RemoteAgentException extends AgentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, where, and what to do
     */
    public RemoteAgentException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, where, and what to do
     * @param cause   the underlying failure
     */
    public RemoteAgentException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
