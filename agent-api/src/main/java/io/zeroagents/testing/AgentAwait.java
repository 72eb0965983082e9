package io.zeroagents.testing;

import io.zeroagents.Agent;
import io.zeroagents.AgentException;
import io.zeroagents.AgentMethod;
import io.zeroagents.AgentNotRunningException;
import io.zeroagents.AgentOperations;
import io.zeroagents.LoggerAgent;
import io.zeroagents.Proxy;
import io.zeroagents.UnknownAgentException;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Waits, with a timeout, for what tests of multi-agent systems wait for (osBrain's
 * {@code wait_agent_attr}, {@code wait_agent_condition}, {@code last_received_endswith},
 * {@code logger_received}, {@code sync_agent_logger} and {@code wait_agent_death}).
 *
 * <pre>{@code
 * assertTrue(AgentAwait.attr(bob, "received", List.of("hello"), Duration.ofSeconds(2)));
 * assertTrue(AgentAwait.loggerLine(logger, "WARN", "not receive req", Duration.ofSeconds(1)));
 * assertTrue(AgentAwait.condition(bob, AgentAwait::lastReceivedEndsWith, Duration.ofSeconds(2), "bye"));
 * assertTrue(AgentAwait.loggerLineAt(logger, "INFO", Pattern.compile("^\\[Bob\\] done$"), -1, timeout));
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

    /** The attribute osBrain's tests keep received messages in. */
    private static final String RECEIVED = "received";

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
     * Waits until a condition evaluated inside an agent holds (osBrain's
     * {@code wait_agent_condition}): the condition runs on the agent's loop with
     * {@link AgentOperations#executeAsMethod}, so it sees the agent's state as its handlers leave it.
     *
     * @param agent     the agent
     * @param condition the condition, receiving the agent and {@code args}; it holds when it returns
     *                  {@link Boolean#TRUE}
     * @param timeout   how long to wait
     * @param args      the condition's arguments
     * @return {@code true} when it held in time
     */
    public static boolean condition(AgentOperations agent, AgentMethod condition, Duration timeout,
                                    @Nullable Object... args) {
        return until(() -> Boolean.TRUE.equals(agent.executeAsMethod(condition, args)), timeout);
    }

    /**
     * A condition for {@link #condition}: whether the last element of the agent's {@code received}
     * list ends with a tail (osBrain's {@code last_received_endswith}). Byte arrays are read as
     * UTF-8, other elements as their string form.
     *
     * <pre>{@code
     * AgentAwait.condition(bob, AgentAwait::lastReceivedEndsWith, timeout, "World")
     * }</pre>
     *
     * @param agent the agent, whose {@code received} attribute is a list
     * @param args  the tail, one value (its string form is used)
     * @return {@code false} when the agent has no {@code received} list, an empty one, or a last
     *         element ending otherwise
     * @throws IllegalArgumentException when {@code args} is not exactly one tail
     */
    public static Boolean lastReceivedEndsWith(Agent agent, @Nullable Object... args) {
        if (args.length != 1) {
            throw new IllegalArgumentException("lastReceivedEndsWith takes one argument, the tail; got "
                    + args.length);
        }
        if (!(agent.getAttr(RECEIVED) instanceof List<?> received) || received.isEmpty()) {
            return false;
        }
        Object last = received.get(received.size() - 1);
        String text = last instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(last);
        return text.endsWith(String.valueOf(args[0]));
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
     * Waits until a logger agent has received a line, at a level, in which a regular expression is
     * found (osBrain's {@code logger_received}, whose message is a regular expression). Anchor it
     * with {@code ^} and {@code $} to match whole lines; lines read {@code [sender] message}.
     *
     * @param logger  the logger agent
     * @param level   {@code INFO}, {@code WARN} (or {@code warning}), {@code ERROR}, {@code DEBUG}
     * @param regex   the expression looked for in each line
     * @param timeout how long to wait
     * @return {@code true} when such a line arrived in time
     */
    public static boolean loggerLine(AgentOperations logger, String level, Pattern regex, Duration timeout) {
        return loggerLines(logger, level, regex, 1, timeout);
    }

    /**
     * Waits until the line at a position of a logger's history, at a level, contains a match of a
     * regular expression (osBrain's {@code logger_received(..., position=...)}).
     *
     * @param logger   the logger agent
     * @param level    {@code INFO}, {@code WARN} (or {@code warning}), {@code ERROR}, {@code DEBUG}
     * @param regex    the expression looked for in that line
     * @param position the line's index: {@code 0} for the first, {@code -1} for the last (counted from
     *                 the end, as in Python)
     * @param timeout  how long to wait
     * @return {@code true} when the line at that position matched in time
     */
    public static boolean loggerLineAt(AgentOperations logger, String level, Pattern regex, int position,
                                       Duration timeout) {
        String attribute = LoggerAgent.historyAttribute(level);
        return attr(logger, attribute, lines -> {
            if (!(lines instanceof List<?> list)) {
                return false;
            }
            int index = position < 0 ? list.size() + position : position;
            return index >= 0 && index < list.size() && regex.matcher(String.valueOf(list.get(index))).find();
        }, timeout);
    }

    /**
     * Waits until at least {@code count} lines of a logger's history, at a level, contain a match of
     * a regular expression: for a line that must appear several times.
     *
     * @param logger  the logger agent
     * @param level   {@code INFO}, {@code WARN} (or {@code warning}), {@code ERROR}, {@code DEBUG}
     * @param regex   the expression looked for in each line
     * @param count   the least number of matching lines, one or more
     * @param timeout how long to wait
     * @return {@code true} when that many lines matched in time
     * @throws IllegalArgumentException when {@code count} is less than one
     */
    public static boolean loggerLines(AgentOperations logger, String level, Pattern regex, int count,
                                      Duration timeout) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, got " + count
                    + " (to check that no line matches, wait for one and expect false)");
        }
        String attribute = LoggerAgent.historyAttribute(level);
        return attr(logger, attribute, lines -> lines instanceof List<?> list
                && list.stream().filter(line -> regex.matcher(String.valueOf(line)).find()).limit(count).count()
                == count, timeout);
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
