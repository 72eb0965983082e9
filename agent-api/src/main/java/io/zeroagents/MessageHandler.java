package io.zeroagents;

import java.io.Serializable;

/**
 * Reacts to one message received on a {@code PULL} or {@code SUB} socket.
 *
 * <p>Runs on the agent's own loop thread, so it may use the agent freely and must not block for
 * long. An exception it throws is logged with the agent's name and the socket's alias; the agent
 * keeps running and handles the next message.
 *
 * @param <T> the Java type the receiver decodes messages into
 * @since 0.1
 */
@FunctionalInterface
public interface MessageHandler<T> extends Serializable {
    /**
     * Handles one message.
     *
     * @param agent   the receiving agent
     * @param message the decoded message
     * @throws Exception any failure; logged, and the next message is handled
     */
    void handle(Agent agent, T message) throws Exception;
}
