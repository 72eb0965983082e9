package io.zeroagents;

import org.jspecify.annotations.Nullable;

/**
 * The root of every exception ZeroAgents throws; its message names the agent, alias or address
 * involved.
 *
 * @since 0.1
 */
public class AgentException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what went wrong, where, and what to do
     */
    public AgentException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and a cause.
     *
     * @param message what went wrong, where, and what to do
     * @param cause   the underlying failure
     */
    public AgentException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
