package io.zeroagents.runtime.internal;

import io.zeroagents.Agent;
import io.zeroagents.AgentException;
import io.zeroagents.AgentMethod;
import io.zeroagents.MessageHandler;
import io.zeroagents.Pattern;
import io.zeroagents.PatternMismatchException;
import io.zeroagents.Replier;
import io.zeroagents.SocketHandler;
import io.zeroagents.TopicHandler;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A {@link SocketHandler} resolved against one socket and agent: the type to decode into, the
 * topics to subscribe to, and the call to make for each message.
 */
abstract class SocketDispatch {
    private final Class<?> type;

    private SocketDispatch(Class<?> type) {
        this.type = type;
    }

    /** Resolves a handler for one of an agent's sockets, against that agent's methods. */
    @FunctionalInterface
    interface Resolver {
        /** The dispatch of {@code handler} on socket {@code alias} of {@code pattern}; refuses what cannot work. */
        SocketDispatch resolve(SocketHandler handler, Pattern pattern, String alias);
    }

    /** The Java type messages are decoded into. */
    final Class<?> type() {
        return type;
    }

    @SuppressWarnings("unchecked")
    private static <T> @Nullable T cast(Class<T> type, @Nullable Object message) {
        // Decoders return boxed values, so int.class handlers take an Integer.
        return (T) Boxing.box(type).cast(message);
    }

    /** The topic prefixes a SUB socket subscribes to for this handler. */
    List<String> topics() {
        return List.of("");
    }

    /** Whether the handler answers through its {@link Replier} rather than by returning the reply. */
    boolean answersItself() {
        return false;
    }

    /** Handles one decoded message; the result is the reply on request sockets. */
    final @Nullable Object handle(Agent agent, String topic, @Nullable Object message) throws Exception {
        return handle(agent, topic, message, NO_REPLIES);
    }

    /** Handles one decoded request or message; {@code replier} answers it on request sockets. */
    abstract @Nullable Object handle(Agent agent, String topic, @Nullable Object message, Replier replier)
            throws Exception;

    /** The replier of messages that are not requests. */
    static final Replier NO_REPLIES = new Replier() {
        @Override
        public void reply(@Nullable Object reply) {
            throw new IllegalStateException("This message is not a request: there is no one to reply to");
        }

        @Override
        public boolean replied() {
            return false;
        }
    };

    /** Whether a socket of this pattern answers each message it receives. */
    static boolean answers(Pattern pattern) {
        return pattern == Pattern.REP || pattern == Pattern.ASYNC_REP || pattern == Pattern.SYNC_PUB;
    }

    /**
     * Resolves a handler for a socket, refusing combinations that cannot work so the error comes
     * at bind/connect time rather than at the first message.
     */
    static SocketDispatch resolve(SocketHandler handler, Pattern pattern, String agentName, String alias,
                                  AgentMethods methods) {
        String where = "Socket '" + alias + "' of agent '" + agentName + "' is " + pattern;
        if (!pattern.receives()) {
            throw new PatternMismatchException(where + ": it does not receive messages, so it takes no handler"
                    + (pattern == Pattern.REQ ? " (read replies with recv or sendRecv)" : ""));
        }
        return switch (handler) {
            case SocketHandler.OnMessage<?> on -> {
                if (answers(pattern)) {
                    throw new PatternMismatchException(where + ": it must answer each request, so give it "
                            + "SocketHandler.onRequest(type, (agent, request) -> reply)");
                }
                yield onMessage(on);
            }
            case SocketHandler.OnTopicMessage<?> on -> {
                if (!pattern.topics() || pattern == Pattern.PUB || pattern == Pattern.SYNC_PUB) {
                    throw new PatternMismatchException(where + ": handlers that receive the topic need a SUB or "
                            + "SYNC_SUB socket; use SocketHandler.onMessage");
                }
                yield onTopicMessage(on);
            }
            case SocketHandler.OnRequest<?> on -> {
                if (!answers(pattern)) {
                    throw new PatternMismatchException(where + ": onRequest handlers answer requests on REP, "
                            + "ASYNC_REP and SYNC_PUB sockets; use SocketHandler.onMessage");
                }
                yield onRequest(on);
            }
            case SocketHandler.WithReplier<?> on -> {
                if (!answers(pattern)) {
                    throw new PatternMismatchException(where + ": withReplier handlers answer requests on REP, "
                            + "ASYNC_REP and SYNC_PUB sockets; use SocketHandler.onMessage");
                }
                yield withReplier(on);
            }
            case SocketHandler.OnTopics<?> on -> {
                if (!pattern.topics() || pattern == Pattern.SYNC_PUB) {
                    throw new PatternMismatchException(where + ": topic handlers need a SUB or SYNC_SUB socket");
                }
                yield onTopics(on);
            }
            case SocketHandler.ByMethod by -> byMethod(by.methodName(), agentName, alias, methods);
        };
    }

    private static <T> SocketDispatch onMessage(SocketHandler.OnMessage<T> on) {
        List<MessageHandler<? super T>> handlers = on.handlers();
        Class<T> type = on.type();
        return new SocketDispatch(type) {
            @Override
            @Nullable Object handle(Agent agent, String topic, @Nullable Object message, Replier replier)
                    throws Exception {
                T cast = cast(type, message);
                if (handlers.size() == 1) {
                    handlers.get(0).handle(agent, cast);
                    return null;
                }
                // Every handler sees the message even when an earlier one fails; the first failure is reported.
                Exception first = null;
                for (MessageHandler<? super T> handler : handlers) {
                    try {
                        handler.handle(agent, cast);
                    } catch (Exception e) {
                        if (first == null) {
                            first = e;
                        } else {
                            first.addSuppressed(e);
                        }
                    }
                }
                if (first != null) {
                    throw first;
                }
                return null;
            }
        };
    }

    private static <T> SocketDispatch onTopicMessage(SocketHandler.OnTopicMessage<T> on) {
        Class<T> type = on.type();
        TopicHandler<? super T> handler = on.handler();
        return new SocketDispatch(type) {
            @Override
            @Nullable Object handle(Agent agent, String topic, @Nullable Object message, Replier replier)
                    throws Exception {
                handler.handle(agent, cast(type, message), topic);
                return null;
            }
        };
    }

    private static <T> SocketDispatch onRequest(SocketHandler.OnRequest<T> on) {
        Class<T> type = on.type();
        return new SocketDispatch(type) {
            @Override
            @Nullable Object handle(Agent agent, String topic, @Nullable Object message, Replier replier)
                    throws Exception {
                return on.handler().reply(agent, cast(type, message));
            }
        };
    }

    private static <T> SocketDispatch withReplier(SocketHandler.WithReplier<T> on) {
        Class<T> type = on.type();
        return new SocketDispatch(type) {
            @Override
            boolean answersItself() {
                return true;
            }

            @Override
            @Nullable Object handle(Agent agent, String topic, @Nullable Object message, Replier replier)
                    throws Exception {
                on.handler().handle(agent, cast(type, message), replier);
                return null;
            }
        };
    }

    private static <T> SocketDispatch onTopics(SocketHandler.OnTopics<T> on) {
        Class<T> type = on.type();
        Map<String, MessageHandler<? super T>> byTopic = on.byTopic();
        List<String> topics = List.copyOf(byTopic.keySet());
        return new SocketDispatch(type) {
            @Override
            List<String> topics() {
                return topics;
            }

            @Override
            @Nullable Object handle(Agent agent, String topic, @Nullable Object message, Replier replier)
                    throws Exception {
                T cast = cast(type, message);
                for (Map.Entry<String, MessageHandler<? super T>> entry : byTopic.entrySet()) {
                    if (topic.startsWith(entry.getKey())) {
                        entry.getValue().handle(agent, cast);
                    }
                }
                return null;
            }
        };
    }

    private static SocketDispatch byMethod(String name, String agentName, String alias, AgentMethods methods) {
        AgentMethod added = methods.added(name);
        if (added != null) {
            return new SocketDispatch(Object.class) {
                @Override
                @Nullable Object handle(Agent agent, String topic, @Nullable Object message, Replier replier)
                    throws Exception {
                    return added.invoke(agent, message);
                }
            };
        }
        Method method = methods.handlerMethod(name);
        if (method == null) {
            throw new AgentException("Agent '" + agentName + "' has no public method '" + name + "' taking the message"
                    + " (or the request and a Replier), nor one added with setMethod, to handle socket '" + alias + "'");
        }
        boolean answersItself = method.getParameterCount() == 2;
        return new SocketDispatch(Boxing.box(method.getParameterTypes()[0])) {
            @Override
            boolean answersItself() {
                return answersItself;
            }

            @Override
            @Nullable Object handle(Agent agent, String topic, @Nullable Object message, Replier replier) {
                return answersItself ? methods.invoke(method, message, replier) : methods.invoke(method, message);
            }
        };
    }
}
