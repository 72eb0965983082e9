package io.zeroagents.sockets;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a {@link SocketManager} has no socket of the name used.
 *
 * @since 0.1
 */
public final class SocketNotFound extends SocketManagerException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, naming the manager's sockets, the socket and the address
     */
    public SocketNotFound(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, naming the manager's sockets, the socket and the address
     * @param cause   the underlying failure
     */
    public SocketNotFound(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
