package io.zeroagents.sockets;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a {@link SocketManager} cannot bind a socket: a malformed or taken address, a host\n * name that does not resolve, or an address other machines reach while CURVE is off.
 *
 * @since 0.1
 */
public final class SocketBindError extends SocketManagerException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, naming the manager's sockets, the socket and the address
     */
    public SocketBindError(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, naming the manager's sockets, the socket and the address
     * @param cause   the underlying failure
     */
    public SocketBindError(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
