package io.zeroagents.it.acceptance.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.Agent;
import io.zeroagents.AgentOperations;
import io.zeroagents.Agents;
import io.zeroagents.BaseAgent;
import io.zeroagents.Proxy;
import io.zeroagents.RequestOptions;
import io.zeroagents.SocketHandler;
import io.zeroagents.testing.AgentAwait;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Agents, handlers and waits shared by the acceptance tests that port osBrain's channel, logging,
 * helper and bug tests: the Java form of osBrain's {@code tests/common.py} ({@code append_received},
 * the {@code agent_logger} fixture) and of the {@code Client} agents its test files define.
 *
 * <p>osBrain keeps what an agent receives in a list attribute called {@code received}; here it is a
 * {@link CopyOnWriteArrayList}, so tests may read it through a proxy from their own thread, safe or
 * {@linkplain Proxy#unsafe() unsafe}, while the agent appends to it.
 */
public final class ChannelAgents {
    /** How long a wait for something that should happen may take (osBrain's {@code wait_agent_attr} default). */
    public static final Duration WAIT = Duration.ofSeconds(3);

    /** How long to watch for something that should not happen. */
    public static final Duration NOT_HAPPENING = Duration.ofMillis(200);

    private ChannelAgents() {
    }

    /** An agent that keeps what it receives, osBrain's test {@code Client}: {@code received} is its list. */
    public static class Receiver extends BaseAgent {
        /** What the agent received, in order. */
        public volatile List<Object> received = new CopyOnWriteArrayList<>();

        /** Public constructor for the runtime. */
        public Receiver() {
        }

        /**
         * A handler by method name ({@code SocketHandler.method("receiveMethod")}), osBrain's
         * {@code receive_method}.
         *
         * @param message what arrived
         */
        public void receiveMethod(Object message) {
            received.add(message);
        }
    }

    /**
     * Gives a plain agent an empty {@code received} list (osBrain's {@code set_attr(received=[])}).
     *
     * @param agent the agent
     * @return {@code agent}
     */
    public static Proxy withReceivedList(Proxy agent) {
        agent.setAttr("received", new CopyOnWriteArrayList<>());
        return agent;
    }

    /**
     * The {@code received} list of an agent, from its own thread or through an in-JVM proxy.
     *
     * @param agent the agent
     * @return the live list
     */
    public static List<Object> received(AgentOperations agent) {
        Object value = agent.getAttr("received");
        if (value instanceof List<?> list) {
            @SuppressWarnings("unchecked")
            List<Object> received = (List<Object>) list;
            return received;
        }
        throw new IllegalStateException("Agent '" + agent.name() + "' has no 'received' list but " + value);
    }

    /**
     * osBrain's {@code append_received}: a handler function that keeps the message.
     *
     * @param agent   the receiving agent
     * @param message what arrived
     */
    public static void appendReceived(Agent agent, Object message) {
        received(agent).add(message);
    }

    /**
     * osBrain's {@code receive_negate}: keeps the number negated, as the type it arrived as.
     *
     * @param agent   the receiving agent
     * @param message a number
     */
    public static void receiveNegate(Agent agent, Object message) {
        Object negated = switch (message) {
            case Integer i -> -i;
            case Long l -> -l;
            case Number n -> -n.doubleValue();
            default -> throw new IllegalArgumentException("Not a number: " + message);
        };
        received(agent).add(negated);
    }

    /**
     * osBrain's {@code agent_logger} fixture for one agent: starts a logger named {@code logger},
     * makes the agent log to it and waits until its lines arrive.
     *
     * @param agent the agent
     * @return the logger agent
     */
    public static Proxy syncedLogger(Proxy agent) {
        Proxy logger = Agents.runLogger("logger");
        agent.setLogger(logger);
        assertTrue(AgentAwait.loggerSynced(agent, logger, WAIT), "the logger never received the agent's lines");
        return logger;
    }

    /** A reply function, osBrain's module-level handler: keeps the request and answers "reply!". */
    public static String replyFunction(Agent agent, String request) {
        appendReceived(agent, request);
        return "reply!";
    }

    /** Request handlers in osBrain's three forms: a method by name, a function, a lambda. */
    public static Stream<Arguments> serverHandlers() {
        return Stream.of(
                Arguments.of("method by name", SocketHandler.method("reply")),
                Arguments.of("function", SocketHandler.onRequest(String.class, ChannelAgents::replyFunction)),
                Arguments.of("lambda", SocketHandler.onRequest(String.class, (agent, request) -> {
                    appendReceived(agent, request);
                    return "reply!";
                })));
    }

    /** Handlers of replies or publications in the three forms, each keeping what arrives. */
    public static Stream<Arguments> messageHandlers() {
        return Stream.of(
                Arguments.of("method by name", SocketHandler.method("receiveMethod")),
                Arguments.of("function", SocketHandler.onMessage(Object.class, ChannelAgents::appendReceived)),
                Arguments.of("lambda", SocketHandler.onMessage(String.class,
                        (agent, message) -> received(agent).add(message))));
    }

    /** Per-request reply handlers in the three forms. */
    public static Stream<Arguments> requestOptions() {
        return Stream.of(
                Arguments.of("method by name", RequestOptions.builder().handler("receiveMethod").build()),
                Arguments.of("function", RequestOptions.builder().handler(Object.class, ChannelAgents::appendReceived)
                        .build()),
                Arguments.of("lambda", RequestOptions.builder()
                        .handler(String.class, (agent, reply) -> received(agent).add(reply)).build()));
    }
}
