package io.zeroagents.spi;

import io.zeroagents.AgentOptions;
import io.zeroagents.NameServer;
import io.zeroagents.NameServerOptions;
import io.zeroagents.Proxy;
import io.zeroagents.sockets.NetworkAddresses;
import io.zeroagents.sockets.SocketManager;
import io.zeroagents.sockets.SocketManagerOptions;

/**
 * A running implementation of the API, created once per JVM by its {@link AgentRuntimeProvider}.
 * Implementations are thread-safe.
 *
 * @since 0.1
 */
public interface AgentRuntime {

    /**
     * Starts an embedded name server.
     *
     * @param options its address and lease
     * @return the running name server
     */
    NameServer runNameServer(NameServerOptions options);

    /**
     * Attaches to a running name server.
     *
     * @param address its endpoint
     * @return a handle on it
     */
    NameServer nameServer(String address);

    /**
     * Starts an agent.
     *
     * @param name    its name
     * @param options its options
     * @return a proxy to it
     */
    Proxy runAgent(String name, AgentOptions options);

    /**
     * Makes a {@link SocketManager}, owned by the calling thread; what
     * {@link SocketManager.Builder#build()} calls.
     *
     * <p>The default refuses: a runtime without named sockets need not offer them.
     *
     * @param options the checked options
     * @return a new manager
     * @throws UnsupportedOperationException when this runtime has no socket manager
     */
    default SocketManager socketManager(SocketManagerOptions options) {
        throw new UnsupportedOperationException("The runtime " + getClass().getName()
                + " offers no SocketManager; put io.zeroagents:agent-runtime on the class path");
    }

    /**
     * The address utilities of this runtime; what {@link SocketManager#addresses()} returns.
     *
     * <p>The default refuses, as {@link #socketManager} does.
     *
     * @return the runtime's network addresses
     * @throws UnsupportedOperationException when this runtime has none
     */
    default NetworkAddresses networkAddresses() {
        throw new UnsupportedOperationException("The runtime " + getClass().getName()
                + " offers no NetworkAddresses; put io.zeroagents:agent-runtime on the class path");
    }
}
