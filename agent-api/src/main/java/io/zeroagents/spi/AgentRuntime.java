package io.zeroagents.spi;

import io.zeroagents.AgentOptions;
import io.zeroagents.NameServer;
import io.zeroagents.NameServerOptions;
import io.zeroagents.Proxy;

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
}
