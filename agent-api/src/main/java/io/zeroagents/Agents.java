package io.zeroagents;

import io.zeroagents.spi.AgentRuntime;
import io.zeroagents.spi.AgentRuntimes;

/**
 * The entry point: runs name servers and agents, osBrain's {@code run_nameserver},
 * {@code run_agent} and {@code NSProxy}.
 *
 * <pre>{@code
 * NameServer ns = Agents.runNameServer();
 * Proxy alice = Agents.runAgent("Alice");
 * Proxy bob = Agents.runAgent("Bob");
 * AgentAddress addr = alice.bind(Pattern.PUSH, "main");
 * bob.connect(addr, "main", String.class, (agent, msg) -> agent.logInfo("Received: " + msg));
 * alice.send("main", "Hello, Bob!");
 * ns.shutdown();
 * }</pre>
 *
 * <p>The implementation is the runtime found on the class path ({@code io.zeroagents:agent-runtime});
 * without one, every method throws {@link RuntimeNotFoundException}. All methods are thread-safe.
 *
 * @since 0.1
 */
public final class Agents {
    /** The alias of the {@code SUB} socket a logger agent binds, where agents send their log lines. */
    public static final String LOGGER_ALIAS = "log";

    private Agents() {
    }

    /**
     * Starts a logger agent registered with the default name server (osBrain's
     * {@code run_logger}): it collects the log lines of every agent {@linkplain
     * AgentOperations#setLogger set to log to it}, and of any {@code ZeroMqPublisher} Log4j
     * appender connected to it, into attributes per level (see {@link LoggerAgent}).
     *
     * @param name a name not yet taken
     * @return a proxy to the logger agent
     */
    public static Proxy runLogger(String name) {
        return runLogger(name, AgentOptions.defaults());
    }

    /**
     * Starts a logger agent with options (its name server, transport, ...); the agent class is
     * always {@link LoggerAgent}.
     *
     * @param name    a name not yet taken
     * @param options the agent's other options
     * @return a proxy to the logger agent
     */
    public static Proxy runLogger(String name, AgentOptions options) {
        return runAgent(name, options.toBuilder().agentClass(LoggerAgent.class).build());
    }

    /**
     * Starts an embedded name server on a random loopback port.
     *
     * @return the running name server
     */
    public static NameServer runNameServer() {
        return runNameServer(NameServerOptions.defaults());
    }

    /**
     * Starts an embedded name server.
     *
     * @param options its address and lease
     * @return the running name server
     */
    public static NameServer runNameServer(NameServerOptions options) {
        return runtime().runNameServer(options);
    }

    /**
     * Attaches to a running name server (osBrain's {@code NSProxy}).
     *
     * @param address its endpoint, e.g. {@code tcp://127.0.0.1:9091}
     * @return a handle on it
     * @throws NameServerException when nothing answers there
     */
    public static NameServer nameServer(String address) {
        return runtime().nameServer(address);
    }

    /**
     * Starts a plain agent registered with the default name server.
     *
     * @param name a name not yet taken on that name server
     * @return a proxy to the running agent
     * @throws DuplicateAgentNameException when the name is taken
     */
    public static Proxy runAgent(String name) {
        return runAgent(name, AgentOptions.defaults());
    }

    /**
     * Starts an agent: creates it, sets its initial attributes, runs {@link BaseAgent#onInit()},
     * registers it and starts its loop.
     *
     * @param name    a name not yet taken on its name server
     * @param options its class, attributes, name server and defaults
     * @return a proxy to the running agent
     * @throws DuplicateAgentNameException when the name is taken
     * @throws RemoteAgentException        when {@code onInit} failed
     */
    public static Proxy runAgent(String name, AgentOptions options) {
        return runtime().runAgent(name, options);
    }

    /**
     * The runtime in use.
     *
     * @return the runtime found with {@link java.util.ServiceLoader}
     * @throws RuntimeNotFoundException when none is on the class path
     */
    public static AgentRuntime runtime() {
        return AgentRuntimes.get();
    }
}
