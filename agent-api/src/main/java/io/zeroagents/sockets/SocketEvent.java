package io.zeroagents.sockets;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One published event: the topic frame and the decoded data frame of a two-part message, as
 * {@link SocketManager#publishSafe} sends and {@link SocketManager#recvEvent} receives it
 * (AgentZero's {@code Event}).
 *
 * @param topic the topic, the first frame read as UTF-8
 * @param data  the data, the second frame decoded with the manager's codec; {@code null} only when
 *              the payload itself means no value, such as JSON {@code null}
 * @param <T>   the type the data was decoded into
 * @since 0.1
 */
public record SocketEvent<T>(String topic, @Nullable T data) {
    /**
     * Checks the topic.
     *
     * @param topic the topic
     * @param data  the data
     */
    public SocketEvent {
        Objects.requireNonNull(topic, "topic");
    }
}
