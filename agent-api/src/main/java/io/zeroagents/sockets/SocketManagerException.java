package io.zeroagents.sockets;

import io.zeroagents.AgentException;
import org.jspecify.annotations.Nullable;

/**
 * The root of the exceptions a {@link SocketManager} throws (AgentZero's {@code AgentZeroSocketError}).
 *
 * @since 0.1
 */
public class SocketManagerException extends AgentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, naming the manager's sockets, the socket and the address
     */
    public SocketManagerException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, naming the manager's sockets, the socket and the address
     * @param cause   the underlying failure
     */
    public SocketManagerException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
