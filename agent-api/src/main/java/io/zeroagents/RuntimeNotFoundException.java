package io.zeroagents;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when no ZeroAgents runtime is on the class path; the message names the artifact to add.
 *
 * @since 0.1
 */
public final class RuntimeNotFoundException extends AgentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, where, and what to do
     */
    public RuntimeNotFoundException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, where, and what to do
     * @param cause   the underlying failure
     */
    public RuntimeNotFoundException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
