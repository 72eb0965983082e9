package io.zeroagents.nameserver.registry;

import io.zeroagents.AgentException;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when an agent host tries to change or remove an agent entry that another host
 * registered.
 *
 * <p>Only the host that registered a name may change it; the other host must pick another name or
 * wait until the owner unregisters it or its lease runs out.
 *
 * @since 0.1
 */
public final class NotOwnerException extends AgentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which agent, which host owns it, and which host asked
     */
    public NotOwnerException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message which agent, which host owns it, and which host asked
     * @param cause   the underlying failure
     */
    public NotOwnerException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
