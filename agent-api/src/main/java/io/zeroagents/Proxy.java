package io.zeroagents;

/**
 * A handle on an agent, usable from any thread: osBrain's proxy.
 *
 * <p>Calls are <em>safe</em> by default: they run on the agent's own loop, between its handlers,
 * and the caller waits for the result (or the agent's timeout). {@link #unsafe()} runs
 * attribute and method calls on the caller's thread instead (socket work always runs on the
 * loop); {@link #oneway()} queues the call and returns at once. An exception inside the agent is
 * re-thrown as {@link RemoteAgentException} naming the agent, with the original as its cause.
 *
 * @since 0.1
 */
public interface Proxy extends AgentOperations {

    /**
     * Checks that the agent answers on its loop.
     *
     * @return {@code "pong"}
     * @throws AgentNotRunningException when the agent has stopped
     */
    String ping();

    /**
     * Whether the agent is running.
     *
     * @return {@code false} once it has stopped
     */
    boolean isRunning();

    /**
     * Ends the agent at once, without the clean {@link #shutdown()}: its name is released
     * immediately, unsent messages are dropped, and a handler that is still running is abandoned
     * rather than awaited (its thread ends when the handler returns). An agent in its own process
     * has that process killed. Calling it again does nothing.
     */
    void kill();

    /**
     * A proxy to the same agent whose calls run on the agent's loop (the default).
     *
     * @return a safe proxy
     */
    Proxy safe();

    /**
     * A proxy to the same agent whose attribute and method calls run on the caller's thread.
     *
     * @return an unsafe proxy
     */
    Proxy unsafe();

    /**
     * A proxy to the same agent whose calls are queued and return at once ({@code null} or
     * {@code void}); failures are logged by the agent.
     *
     * @return a one-way proxy
     */
    Proxy oneway();

    /**
     * A typed view of the agent: each interface method calls the agent's method of the same name.
     *
     * @param type an interface whose methods the agent has
     * @param <T>  the interface
     * @return an implementation calling through this proxy
     */
    <T> T as(Class<T> type);
}
