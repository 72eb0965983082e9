package io.zeroagents.testkit;

import io.zeroagents.AgentOperations;
import io.zeroagents.Proxy;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Waits, with a timeout, for what tests of multi-agent systems wait for: the test kit's name for
 * {@link io.zeroagents.testing.AgentAwait} (part of {@code agent-api}), which it delegates to, so
 * the two behave alike and either may be used.
 *
 * <pre>{@code
 * assertTrue(AgentAwait.attrEquals(bob, "received", List.of("hello"), Duration.ofSeconds(2)));
 * assertTrue(AgentAwait.until(() -> ns.agents().size() == 6, Duration.ofSeconds(30)));
 * }</pre>
 *
 * <p>Each method polls every few milliseconds and returns {@code true} as soon as the condition
 * holds, {@code false} when the timeout passes first. An agent that fails to answer while polled
 * counts as "not yet". Thread-safe; the methods block the calling thread only.
 *
 * @since 0.1
 */
public final class AgentAwait {
    private AgentAwait() {
    }

    /**
     * Waits until a condition holds.
     *
     * @param condition the condition; an {@link io.zeroagents.AgentException} it throws counts as {@code false}
     * @param timeout   how long to wait
     * @return {@code true} when it held in time
     */
    public static boolean until(BooleanSupplier condition, Duration timeout) {
        return io.zeroagents.testing.AgentAwait.until(condition, timeout);
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
        return io.zeroagents.testing.AgentAwait.attr(agent, attribute, test, timeout);
    }

    /**
     * Waits until an attribute of an agent equals a value.
     *
     * @param agent     the agent
     * @param attribute the attribute's name
     * @param value     the expected value ({@link java.util.Objects#equals})
     * @param timeout   how long to wait
     * @return {@code true} when it was equal in time
     */
    public static boolean attrEquals(AgentOperations agent, String attribute, @Nullable Object value,
                                     Duration timeout) {
        return io.zeroagents.testing.AgentAwait.attrEquals(agent, attribute, value, timeout);
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
        return io.zeroagents.testing.AgentAwait.attrLength(agent, attribute, length, timeout);
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
        return io.zeroagents.testing.AgentAwait.attrLengthAtLeast(agent, attribute, length, timeout);
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
        return io.zeroagents.testing.AgentAwait.attrContains(agent, attribute, value, timeout);
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
        return io.zeroagents.testing.AgentAwait.loggerLine(logger, level, text, timeout);
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
        return io.zeroagents.testing.AgentAwait.loggerSynced(agent, logger, timeout);
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
        return io.zeroagents.testing.AgentAwait.death(agent, timeout);
    }
}
