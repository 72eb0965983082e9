package io.zeroagents.sockets;

import java.util.List;

/**
 * A socket a {@link SocketManager} holds under a name. It belongs to the manager: use it on the
 * manager's thread, and close it through {@link SocketManager#close(String)}.
 *
 * @since 0.1
 */
public interface NamedSocket {

    /**
     * The socket's name in its manager.
     *
     * @return the name
     */
    String name();

    /**
     * The socket's type.
     *
     * @return the type
     */
    SocketType type();

    /**
     * What the manager polls the socket for.
     *
     * <p>A socket made by {@link SocketManager#create} is polled for {@link Poll#NONE} until a
     * bind, a connect, a registration or {@link SocketManager#ready} names a mechanism; each adds
     * to what it is polled for. {@code sendSafe}, {@code recvSafe} and {@code waitUntilReady} wait
     * for the socket alone and change nothing here.
     *
     * @return the polling mechanism
     */
    Poll polling();

    /**
     * The endpoints the socket is bound to, as ZeroMQ reports them (ports chosen, host names
     * resolved), in binding order.
     *
     * @return an unmodifiable list
     */
    List<String> boundEndpoints();

    /**
     * The endpoints the socket is connected to, in connecting order.
     *
     * @return an unmodifiable list
     */
    List<String> connectedEndpoints();

    /**
     * The implementation's own socket, for what the manager does not offer.
     *
     * @param type the implementation's socket class; for the JeroMQ runtime {@code org.zeromq.ZMQ.Socket}
     * @param <S>  that class
     * @return the socket, still owned by the manager
     * @throws IllegalArgumentException when the socket is not a {@code type}
     */
    <S> S unwrap(Class<S> type);
}
