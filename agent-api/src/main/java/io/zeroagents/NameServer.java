package io.zeroagents;

import java.time.Duration;
import java.util.List;

/**
 * A name server, embedded or reached by address: where agents register under unique names and
 * find each other's addresses.
 *
 * <p>Shutting a name server down shuts down every agent registered with it.
 *
 * @since 0.1
 */
public interface NameServer extends AutoCloseable {

    /**
     * The endpoint the name server listens on.
     *
     * @return e.g. {@code tcp://127.0.0.1:40123}
     */
    String address();

    /**
     * The names of the registered agents.
     *
     * @return the names, sorted
     */
    List<String> agents();

    /**
     * A proxy to a registered agent.
     *
     * @param name the agent's name
     * @return the proxy
     * @throws UnknownAgentException when no agent has that name
     */
    Proxy proxy(String name);

    /**
     * A proxy to an agent, waiting for it to register (osBrain's {@code proxy(name, timeout)}):
     * useful when the agent is started elsewhere, by another thread or process.
     *
     * @param name    the agent's name
     * @param timeout how long to wait for the name to be registered
     * @return the proxy
     * @throws UnknownAgentException when no agent had that name within the timeout, naming the
     *                               agents registered then
     * @since 0.1
     */
    Proxy proxy(String name, Duration timeout);

    /**
     * Checks that the name server answers (osBrain's {@code NSProxy.ping()}).
     *
     * @return {@code "pong"}
     * @throws NameServerException when it did not answer within the default timeout
     * @since 0.1
     */
    String ping();

    /**
     * The address an agent's socket uses, as registered.
     *
     * @param agent the agent's name
     * @param alias the socket's alias
     * @return the address
     * @throws UnknownAgentException when no agent has that name
     * @throws UnknownAliasException when the agent has no socket with that alias
     */
    AgentAddress addr(String agent, String alias);

    /** Shuts down every registered agent, waiting up to the default timeout. */
    void shutdownAgents();

    /**
     * Shuts down every registered agent.
     *
     * @param timeout how long to wait for them
     * @throws AgentTimeoutException naming the agents still registered after the timeout
     */
    void shutdownAgents(Duration timeout);

    /**
     * Shuts down every registered agent, then the name server itself (if this JVM runs it), waiting
     * up to the default timeout for the agents; agents still running then are logged.
     */
    void shutdown();

    /**
     * Shuts down every registered agent, waiting up to {@code timeout} for them, then the name
     * server itself (osBrain's {@code shutdown(timeout)}). When agents are still running after the
     * timeout, the name server keeps running, as osBrain's does: the agents have been asked to stop
     * and do when their handlers return, and a later {@code shutdown} ends the name server.
     *
     * @param timeout how long to wait for the agents
     * @throws AgentTimeoutException naming the agents still registered after the timeout
     * @since 0.1
     */
    void shutdown(Duration timeout);

    /**
     * Ends this handle's use of the name server. For a name server this JVM runs
     * ({@link Agents#runNameServer()}) that is {@link #shutdown()}; for one attached to by address
     * ({@link Agents#nameServer(String)}) it only releases the handle, and the name server and its
     * agents keep running, so {@code try (NameServer ns = Agents.nameServer(addr))} is safe.
     */
    @Override
    void close();
}
