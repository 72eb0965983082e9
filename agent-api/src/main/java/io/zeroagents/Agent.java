package io.zeroagents;

/**
 * An agent, as its own code sees it: handlers, timers, methods and {@link BaseAgent} subclasses
 * receive one.
 *
 * <p>An agent owns a loop thread and its sockets. Everything that runs on that thread (handlers,
 * timers, safe proxy calls) runs one at a time, so agent state needs no locking.
 *
 * @since 0.1
 */
public interface Agent extends AgentOperations {

    /**
     * Whether the agent's loop is running.
     *
     * @return {@code false} once it has stopped
     */
    boolean isRunning();

    /**
     * Logs at INFO, under the logger {@code io.zeroagents.agent.<name>}.
     *
     * @param message the message
     */
    void logInfo(String message);

    /**
     * Logs at WARN.
     *
     * @param message the message
     */
    void logWarning(String message);

    /**
     * Logs at ERROR.
     *
     * @param message the message
     */
    void logError(String message);

    /**
     * Logs at DEBUG.
     *
     * @param message the message
     */
    void logDebug(String message);
}
