package io.zeroagents.it.acceptance.support;

import io.zeroagents.Agent;
import io.zeroagents.AgentOperations;
import io.zeroagents.AgentOptions;
import io.zeroagents.MessageHandler;
import io.zeroagents.testing.AgentAwait;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The fixtures of osBrain's {@code tests/common.py} that the acceptance tests of agents, proxies,
 * name servers, timers, addresses, transports and serialization share: the {@code received}
 * attribute and its handlers ({@code append_received}, {@code set_received}), and the waits of
 * osBrain's helper with the time limits those tests use.
 */
public final class AcceptanceAgents {
    /** The attribute osBrain's handlers fill in. */
    public static final String RECEIVED = "received";
    /** How long a test waits for something that should happen (osBrain waits 3 s; loaded machines need more). */
    public static final Duration WAIT = Duration.ofSeconds(10);
    /** How long a test watches for something that must not happen. */
    public static final Duration NOT_HAPPENING = Duration.ofMillis(300);

    private AcceptanceAgents() {
    }

    /**
     * Options for a plain agent whose {@code received} attribute starts as an empty thread-safe
     * list (osBrain's {@code attributes={'received': []}}).
     *
     * @return the options
     */
    public static AgentOptions withReceivedList() {
        return AgentOptions.builder().attribute(RECEIVED, new CopyOnWriteArrayList<>()).build();
    }

    /**
     * osBrain's {@code append_received}: adds every message to the agent's {@code received} list.
     *
     * @param <T> the message type
     * @return the handler
     */
    public static <T> MessageHandler<T> appendReceived() {
        return (agent, message) -> received(agent).add(message);
    }

    /**
     * osBrain's {@code set_received}: keeps the last message in the {@code received} attribute.
     *
     * @param <T> the message type
     * @return the handler
     */
    public static <T> MessageHandler<T> setReceived() {
        return (agent, message) -> agent.setAttr(RECEIVED, message);
    }

    /**
     * The agent's {@code received} list.
     *
     * @param agent an agent started with {@link #withReceivedList()} (or with such a field)
     * @return the live list
     */
    @SuppressWarnings("unchecked")
    public static List<Object> received(AgentOperations agent) {
        return (List<Object>) Objects.requireNonNull(agent.getAttr(RECEIVED), "no 'received' attribute");
    }

    /**
     * osBrain's {@code wait_agent_attr(agent, data=value)}: waits until {@code received} holds
     * {@code value}.
     *
     * @param agent the agent
     * @param value the value looked for
     * @return {@code true} when it arrived within {@link #WAIT}
     */
    public static boolean receivedContains(AgentOperations agent, Object value) {
        return AgentAwait.attrContains(agent, RECEIVED, value, WAIT);
    }

    /**
     * osBrain's {@code wait_agent_attr(agent, endswith=tail)}: waits until {@code received} ends
     * with {@code tail}.
     *
     * @param agent the agent
     * @param tail  the last values expected, oldest first
     * @return {@code true} when it did within {@link #WAIT}
     */
    public static boolean receivedEndsWith(AgentOperations agent, List<?> tail) {
        return AgentAwait.attr(agent, RECEIVED, value -> {
            if (!(value instanceof List<?> live)) {
                return false;
            }
            // In one JVM the value is the agent's own list, which its loop may append to meanwhile.
            List<?> list = new java.util.ArrayList<>(live);
            return list.size() >= tail.size() && list.subList(list.size() - tail.size(), list.size()).equals(tail);
        }, WAIT);
    }

    /**
     * A {@link Agent} method that returns the square of its argument, for {@code setMethod}
     * (osBrain's {@code square}).
     *
     * @param agent the agent
     * @param args  one integer
     * @return its square
     */
    public static Object square(Agent agent, Object... args) {
        int x = ((Number) args[0]).intValue();
        return x * x;
    }

    /**
     * A method that returns 1 (osBrain's {@code one}).
     *
     * @param agent the agent
     * @param args  none
     * @return 1
     */
    public static Object one(Agent agent, Object... args) {
        return 1;
    }

    /**
     * A method that returns 2 (osBrain's {@code two}).
     *
     * @param agent the agent
     * @param args  none
     * @return 2
     */
    public static Object two(Agent agent, Object... args) {
        return 2;
    }

    /**
     * A tcp port nothing listens on right now, for scenarios that bind or connect to a chosen port.
     *
     * @return the port
     */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sleeps while a scenario lets time pass on purpose (a linger running out, an agent busy),
     * never to wait for something to happen.
     *
     * @param time how long
     */
    public static void letTimePass(Duration time) {
        try {
            Thread.sleep(time);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
