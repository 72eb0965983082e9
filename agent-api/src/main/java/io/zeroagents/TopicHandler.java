package io.zeroagents;

import java.io.Serializable;

/**
 * Reacts to one publication received on a {@code SUB} or {@code SYNC_SUB} socket, seeing its topic
 * as well (osBrain's three-argument handler {@code handler(agent, message, topic)}).
 *
 * <p>Runs on the agent's own loop thread, like a {@link MessageHandler}: it may use the agent
 * freely and must not block for long; an exception it throws is logged with the agent's name and
 * the socket's alias, and the agent handles the next message.
 *
 * @param <T> the Java type the receiver decodes messages into
 * @since 0.1
 */
@FunctionalInterface
public interface TopicHandler<T> extends Serializable {
    /**
     * Handles one publication.
     *
     * @param agent   the receiving agent
     * @param message the decoded message
     * @param topic   the topic it was published under; empty for a publication without one, and
     *                for the reply to an asynchronous request on a {@code SYNC_SUB} socket
     * @throws Exception any failure; logged, and the next message is handled
     */
    void handle(Agent agent, T message, String topic) throws Exception;
}
