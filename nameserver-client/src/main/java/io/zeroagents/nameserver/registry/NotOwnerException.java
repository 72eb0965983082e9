package io.zeroagents.nameserver.registry;

import io.zeroagents.AgentException;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when a request tries to change or remove an agent entry without the secret of the host
 * that registered it (see {@link OwnerKey}).
 *
 * <p>Only the host that registered a name may change it; the other host must pick another name or
 * wait until the owner unregisters it or its lease runs out. Knowing the owner's host id is not
 * enough: it is a label anyone can read.
 *
 * @since 0.1
 */
public final class NotOwnerException extends AgentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which agent and which host owns it
     */
    public NotOwnerException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message which agent and which host owns it
     * @param cause   the underlying failure
     */
    public NotOwnerException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
