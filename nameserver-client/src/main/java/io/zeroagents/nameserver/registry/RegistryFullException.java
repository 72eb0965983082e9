package io.zeroagents.nameserver.registry;

import io.zeroagents.AgentException;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when a registry refuses a new agent because it holds as many as its limits allow: in
 * total, or for the host registering it. The message names the agent, the host and the setting
 * that raises the limit; renewals and re-registrations of agents already held are never refused.
 *
 * @since 0.1
 */
public final class RegistryFullException extends AgentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which agent was refused, which limit it hit and the setting that raises it
     */
    public RegistryFullException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message which agent was refused, which limit it hit and the setting that raises it
     * @param cause   the underlying failure
     */
    public RegistryFullException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
