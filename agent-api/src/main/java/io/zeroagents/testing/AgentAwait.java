package io.zeroagents.testing;

import io.zeroagents.AgentException;
import io.zeroagents.AgentNotRunningException;
import io.zeroagents.AgentOperations;
import io.zeroagents.LoggerAgent;
import io.zeroagents.Proxy;
import io.zeroagents.UnknownAgentException;
import java.lang.reflect.Array;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Waits, with a timeout, for what tests of multi-agent systems wait for (osBrain's
 * {@code wait_agent_attr}, {@code wait_agent_condition}, {@code logger_received},
 * {@code sync_agent_logger} and {@code wait_agent_death}).
 *
 * <pre>{@code
 * assertTrue(AgentAwait.attr(bob, "received", List.of("hello"), Duration.ofSeconds(2)));
 * assertTrue(AgentAwait.loggerLine(logger, "WARN", "not receive req", Duration.ofSeconds(1)));
 * }</pre>
 *
 * <p>Each method polls every few milliseconds and returns {@code true} as soon as the condition
 * holds, {@code false} when the timeout passes first, so a test can also assert that something
 * does <em>not</em> happen. An agent that fails to answer while polled (busy, stopping) counts as
 * "not yet". Thread-safe; the methods block the calling thread only.
 *
 * @since 0.1
 */
public final class AgentAwait {
    /** How often conditions are checked. */
    private static final Duration POLL = Duration.ofMillis(10);

    private AgentAwait() {
    }

    /**
     * Waits until a condition holds.
     *
     * @param condition the condition; an {@link AgentException} it throws counts as {@code false}
     * @param timeout   how long to wait
     * @return {@code true} when it held in time
     */
    public static boolean until(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return true;
                }
            } catch (AgentException e) {
                // The agent could not answer this time (busy, stopping): ask again.
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                Thread.sleep(Math.max(1, Math.min(POLL.toMillis(), left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /**
     * Waits until an attribute of an agent satisfies a test.
     *
     * @param agent     the agent (a proxy, or the agent itself from another agent's test code)
     * @param attribute the attribute's name
     * @param test      the test on its value, which may be {@code null}
     * @param timeout   how long to wait
     * @return {@code true} when it held in time
     */
    public static boolean attr(AgentOperations agent, String attribute, Predicate<@Nullable Object> test,
                               Duration timeout) {
        return until(() -> test.test(agent.getAttr(attribute)), timeout);
    }

    /**
     * Waits until an attribute of an agent equals a value.
     *
     * @param agent     the agent
     * @param attribute the attribute's name
     * @param value     the expected value ({@link Objects#equals})
     * @param timeout   how long to wait
     * @return {@code true} when it was equal in time
     */
    public static boolean attrEquals(AgentOperations agent, String attribute, @Nullable Object value,
                                     Duration timeout) {
        return attr(agent, attribute, actual -> Objects.equals(actual, value), timeout);
    }

    /**
     * Waits until an attribute holding a collection, map, array or string has a length.
     *
     * @param agent     the agent
     * @param attribute the attribute's name
     * @param length    the expected length, exactly
     * @param timeout   how long to wait
     * @return {@code true} when it had that length in time
     */
    public static boolean attrLength(AgentOperations agent, String attribute, int length, Duration timeout) {
        return attr(agent, attribute, actual -> length(actual) == length, timeout);
    }

    /**
     * Waits until an attribute holding a collection, map, array or string reaches a length.
     *
     * @param agent     the agent
     * @param attribute the attribute's name
     * @param length    the least expected length
     * @param timeout   how long to wait
     * @return {@code true} when it had at least that length in time
     */
    public static boolean attrLengthAtLeast(AgentOperations agent, String attribute, int length, Duration timeout) {
        return attr(agent, attribute, actual -> length(actual) >= length, timeout);
    }

    /**
     * Waits until an attribute holding a collection contains a value.
     *
     * @param agent     the agent
     * @param attribute the attribute's name
     * @param value     the value looked for
     * @param timeout   how long to wait
     * @return {@code true} when it contained the value in time
     */
    public static boolean attrContains(AgentOperations agent, String attribute, @Nullable Object value,
                                       Duration timeout) {
        return attr(agent, attribute, actual -> actual instanceof Collection<?> c && c.contains(value), timeout);
    }

    private static int length(@Nullable Object value) {
        if (value instanceof Collection<?> collection) {
            return collection.size();
        }
        if (value instanceof Map<?, ?> map) {
            return map.size();
        }
        if (value instanceof CharSequence text) {
            return text.length();
        }
        if (value != null && value.getClass().isArray()) {
            return Array.getLength(value);
        }
        return -1;
    }

    /**
     * Waits until a logger agent has received a line containing {@code text} at a level.
     *
     * @param logger  the logger agent ({@link io.zeroagents.Agents#runLogger})
     * @param level   {@code INFO}, {@code WARN} (or {@code warning}), {@code ERROR}, {@code DEBUG}
     * @param text    a part of the line
     * @param timeout how long to wait
     * @return {@code true} when such a line arrived in time
     */
    public static boolean loggerLine(AgentOperations logger, String level, String text, Duration timeout) {
        String attribute = LoggerAgent.historyAttribute(level);
        return attr(logger, attribute, lines -> lines instanceof List<?> list
                && list.stream().anyMatch(line -> String.valueOf(line).contains(text)), timeout);
    }

    /**
     * Waits until an agent's log lines reach its logger, so that no later line is lost to the
     * time a new {@code PUB} connection takes to join (osBrain's {@code sync_agent_logger}): the
     * agent logs marker lines until the logger has one.
     *
     * @param agent   an agent {@linkplain AgentOperations#setLogger set to log} to {@code logger}
     * @param logger  the logger agent
     * @param timeout how long to wait
     * @return {@code true} when the logger received a marker in time
     */
    public static boolean loggerSynced(AgentOperations agent, AgentOperations logger, Duration timeout) {
        String marker = "logger sync " + UUID.randomUUID();
        return until(() -> {
            agent.log("DEBUG", marker);
            return loggerLine(logger, "DEBUG", marker, POLL.multipliedBy(5));
        }, timeout);
    }

    /**
     * Waits until an agent has ended (osBrain's {@code wait_agent_death}): shut down or killed, not
     * merely {@linkplain io.zeroagents.AgentOperations#stop() stopped}.
     *
     * @param agent   a proxy to the agent
     * @param timeout how long to wait
     * @return {@code true} when it had stopped in time
     */
    public static boolean death(Proxy agent, Duration timeout) {
        return until(() -> {
            try {
                if (agent.isRunning()) {
                    return false;
                }
                // Not running may mean stopped (paused) only: a paused agent still answers.
                agent.ping();
                return false;
            } catch (AgentNotRunningException | UnknownAgentException e) {
                return true;
            } catch (AgentException e) {
                return false;
            }
        }, timeout);
    }
}
