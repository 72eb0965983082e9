package io.zeroagents;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a socket does with the messages it receives, typed by the receiver.
 *
 * <p>Create one with a factory: {@link #onMessage} for {@code PULL} and {@code SUB},
 * {@link #onTopicMessage} for {@code SUB} handlers that see each message's topic,
 * {@link #onRequest} for {@code REP}, {@code ASYNC_REP} and {@code SYNC_PUB}, {@link #withReplier}
 * for a reply sent before the handler finishes, {@link #onTopics} for per-topic {@code SUB} handlers, or
 * {@link #method} to use a public method of the agent's class (or one added with
 * {@code setMethod}). The receiver names the Java type; the sender never does.
 *
 * @since 0.1
 */
public sealed interface SocketHandler
        permits SocketHandler.OnMessage, SocketHandler.OnTopicMessage, SocketHandler.OnRequest,
        SocketHandler.WithReplier, SocketHandler.OnTopics, SocketHandler.ByMethod {

    /**
     * Handles every message of a {@code PULL} or {@code SUB} socket.
     *
     * @param type    the type to decode messages into
     * @param handler the handler
     * @param <T>     the message type
     * @return the socket handler
     */
    static <T> SocketHandler onMessage(Class<T> type, MessageHandler<? super T> handler) {
        return new OnMessage<T>(type, List.of(handler));
    }

    /**
     * Handles every message of a {@code PULL} or {@code SUB} socket with several handlers, called
     * in order (osBrain's list of handlers). One that throws is logged and the next still runs.
     *
     * @param type     the type to decode messages into
     * @param handlers the handlers, at least one
     * @param <T>      the message type
     * @return the socket handler
     */
    static <T> SocketHandler onMessage(Class<T> type, List<? extends MessageHandler<? super T>> handlers) {
        return new OnMessage<T>(type, List.copyOf(handlers));
    }

    /**
     * Handles every message of a {@code SUB} or {@code SYNC_SUB} socket with a handler that also
     * receives the topic it was published under (osBrain's {@code handler(agent, message, topic)}).
     *
     * <pre>{@code
     * bob.connect(addr, "news", SocketHandler.onTopicMessage(String.class,
     *         (agent, message, topic) -> agent.logInfo(topic + ": " + message)));
     * }</pre>
     *
     * @param type    the type to decode messages into
     * @param handler the handler
     * @param <T>     the message type
     * @return the socket handler
     * @since 0.1
     */
    static <T> SocketHandler onTopicMessage(Class<T> type, TopicHandler<? super T> handler) {
        return new OnTopicMessage<>(type, handler);
    }

    /**
     * Answers every request of a {@code REP} socket with the handler's return value.
     *
     * @param type    the type to decode requests into
     * @param handler the handler
     * @param <T>     the request type
     * @return the socket handler
     */
    static <T> SocketHandler onRequest(Class<T> type, ReplyHandler<? super T> handler) {
        return new OnRequest<>(type, handler);
    }

    /**
     * Answers every request of a {@code REP}, {@code ASYNC_REP} or {@code SYNC_PUB} socket through a
     * {@link Replier}, which may reply before the handler finishes (osBrain's {@code yield}).
     *
     * @param type    the type to decode requests into
     * @param handler the handler
     * @param <T>     the request type
     * @return the socket handler
     */
    static <T> SocketHandler withReplier(Class<T> type, RequestHandler<? super T> handler) {
        return new WithReplier<>(type, handler);
    }

    /**
     * Subscribes a {@code SUB} socket to several topic prefixes, each with its own handler. A
     * message is handled by every handler whose topic prefixes its topic, in the map's order.
     *
     * @param type     the type to decode messages into
     * @param byTopic  handlers by topic prefix; the empty prefix matches every topic
     * @param <T>      the message type
     * @return the socket handler
     */
    static <T> SocketHandler onTopics(Class<T> type, Map<String, ? extends MessageHandler<? super T>> byTopic) {
        return new OnTopics<T>(type, new LinkedHashMap<String, MessageHandler<? super T>>(byTopic));
    }

    /**
     * Uses a method of the agent as the handler: a public method of its class taking the message as
     * its only parameter (its parameter type is the decoded type), or a method added with
     * {@code setMethod} (receiving the message as an {@code Object}). On {@code REP} sockets its
     * return value is the reply.
     *
     * @param methodName the method's name
     * @return the socket handler
     */
    static SocketHandler method(String methodName) {
        return new ByMethod(methodName);
    }

    /**
     * Handlers for every message, called in order.
     *
     * @param type     the decoded type
     * @param handlers the handlers, at least one
     * @param <T>      the message type
     */
    record OnMessage<T>(Class<T> type, List<MessageHandler<? super T>> handlers) implements SocketHandler {
        /**
         * Validates and copies the components.
         *
         * @param type     the decoded type
         * @param handlers the handlers
         */
        public OnMessage {
            Objects.requireNonNull(type, "type");
            if (handlers.isEmpty()) {
                throw new IllegalArgumentException("onMessage needs at least one handler");
            }
            handlers = List.copyOf(handlers);
        }
    }

    /**
     * A handler of every message that also receives its topic.
     *
     * @param type    the decoded type
     * @param handler the handler
     * @param <T>     the message type
     * @since 0.1
     */
    record OnTopicMessage<T>(Class<T> type, TopicHandler<? super T> handler) implements SocketHandler {
        /**
         * Validates the components.
         *
         * @param type    the decoded type
         * @param handler the handler
         */
        public OnTopicMessage {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(handler, "handler");
        }
    }

    /**
     * A handler whose return value is the reply.
     *
     * @param type    the decoded type
     * @param handler the handler
     * @param <T>     the request type
     */
    record OnRequest<T>(Class<T> type, ReplyHandler<? super T> handler) implements SocketHandler {
        /**
         * Validates the components.
         *
         * @param type    the decoded type
         * @param handler the handler
         */
        public OnRequest {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(handler, "handler");
        }
    }

    /**
     * A handler that answers through a {@link Replier}.
     *
     * @param type    the decoded type
     * @param handler the handler
     * @param <T>     the request type
     */
    record WithReplier<T>(Class<T> type, RequestHandler<? super T> handler) implements SocketHandler {
        /**
         * Validates the components.
         *
         * @param type    the decoded type
         * @param handler the handler
         */
        public WithReplier {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(handler, "handler");
        }
    }

    /**
     * Handlers by topic prefix.
     *
     * @param type    the decoded type
     * @param byTopic handlers by topic prefix, in subscription order
     * @param <T>     the message type
     */
    record OnTopics<T>(Class<T> type, Map<String, MessageHandler<? super T>> byTopic) implements SocketHandler {
        /**
         * Validates and copies the components, keeping the map's order.
         *
         * @param type    the decoded type
         * @param byTopic handlers by topic prefix
         */
        public OnTopics {
            Objects.requireNonNull(type, "type");
            if (byTopic.isEmpty()) {
                throw new IllegalArgumentException("onTopics needs at least one topic handler");
            }
            byTopic = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byTopic));
        }
    }

    /**
     * A method of the agent, by name.
     *
     * @param methodName the method's name
     */
    record ByMethod(String methodName) implements SocketHandler {
        /**
         * Validates the name.
         *
         * @param methodName the method's name
         */
        public ByMethod {
            if (methodName.isBlank()) {
                throw new IllegalArgumentException("Handler method name must not be blank");
            }
        }
    }
}
