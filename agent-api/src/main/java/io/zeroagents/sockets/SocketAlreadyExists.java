package io.zeroagents.sockets;

import org.jspecify.annotations.Nullable;

/**
 * Thrown by {@link SocketManager#create} when the manager already has a socket of that name.
 *
 * @since 0.1
 */
public final class SocketAlreadyExists extends SocketManagerException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, naming the manager's sockets, the socket and the address
     */
    public SocketAlreadyExists(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, naming the manager's sockets, the socket and the address
     * @param cause   the underlying failure
     */
    public SocketAlreadyExists(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
