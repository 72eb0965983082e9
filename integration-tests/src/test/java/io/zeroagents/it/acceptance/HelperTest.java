package io.zeroagents.it.acceptance;

import static io.zeroagents.it.acceptance.support.ChannelAgents.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentAddress;
import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.BaseAgent;
import io.zeroagents.Proxy;
import io.zeroagents.it.acceptance.support.ChannelAgents;
import io.zeroagents.testkit.NameServerExtension;
import io.zeroagents.testing.AgentAwait;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ports osBrain's {@code osbrain/tests/test_helper.py}: the test helpers ({@code agent_dies},
 * {@code logger_received}, {@code sync_agent_logger}, {@code attribute_match_all},
 * {@code wait_agent_attr}, {@code wait_condition}, {@code wait_agent_condition},
 * {@code last_received_endswith}), here {@link AgentAwait}.
 *
 * <p>Differences from osBrain, with why:
 * <ul>
 *   <li>{@code logger_received} takes a regular expression, a {@code position} and returns a
 *       count; {@link AgentAwait#loggerLine(io.zeroagents.AgentOperations, String, Pattern, Duration)}
 *       takes the expression, {@link AgentAwait#loggerLineAt} the position and
 *       {@link AgentAwait#loggerLines} a least count, and each returns whether the lines arrived.
 *       The newline scenario and the plain-substring form check the history as well.
 *   <li>{@code attribute_match_all}'s {@code length} is "at least", so it maps to
 *       {@link AgentAwait#attrLengthAtLeast}; {@code endswith} has no helper here and uses
 *       {@link AgentAwait#attr} with a predicate.
 *   <li>{@code wait_agent_condition} is {@link AgentAwait#condition} and
 *       {@code last_received_endswith} is {@link AgentAwait#lastReceivedEndsWith}, run through
 *       {@code executeAsMethod} as osBrain's are.
 * </ul>
 */
@Timeout(30)
class HelperTest {
    @RegisterExtension
    final NameServerExtension ns = new NameServerExtension();

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    /** osBrain's {@code SugarAddict}: happy once fed. */
    private static final class SugarAddict {
        private final AtomicInteger glucose = new AtomicInteger();

        void feedCandy() {
            glucose.incrementAndGet();
        }

        boolean happy() {
            return glucose.get() > 0;
        }

        boolean sad() {
            return glucose.get() == 0;
        }
    }

    /** osBrain's {@code Client} of {@code test_wait_agent_attr}. */
    public static class Client extends BaseAgent {
        /** Set by {@link #setReceivedMethod}. */
        public volatile Object received;

        /** Public constructor for the runtime. */
        public Client() {
        }

        /**
         * Sets {@code received}.
         *
         * @param value the new value
         */
        public void setReceivedMethod(Object value) {
            received = value;
        }
    }

    /** osBrain's {@code Counter}: logs and increments its count, taking 100 ms each time. */
    public static class Counter extends BaseAgent {
        /** How many times it incremented. */
        public volatile int count;
        /** The count before each increment. */
        public volatile List<Integer> log = new CopyOnWriteArrayList<>();

        /** Public constructor for the runtime. */
        public Counter() {
        }

        /**
         * Logs the count, increments it and takes its time.
         *
         * @throws InterruptedException never in these tests
         */
        public void increment() throws InterruptedException {
            log.add(count);
            count++;
            Thread.sleep(100);
        }
    }

    private static List<String> infoLines(Proxy logger) {
        return ((List<?>) logger.getAttr("log_history_info")).stream().map(String::valueOf).toList();
    }

    // ------------------------------------------------------------------ agent death and logger lines

    @Test
    void death_agentThatKeepsRunning_returnsFalseAfterTheTimeout() {
        Proxy a0 = Agents.runAgent("a0");

        assertFalse(AgentAwait.death(a0, Duration.ofMillis(500)));
    }

    @Test
    void loggerSynced_thenAnInfoLine_theLoggerReceivesIt() {
        Proxy a0 = Agents.runAgent("a0");
        Proxy logger = ChannelAgents.syncedLogger(a0);

        a0.log("INFO", "asdf");

        assertTrue(AgentAwait.loggerLine(logger, "INFO", "asdf", Duration.ofSeconds(1)));
    }

    @Test
    void loggerLine_lineNeverLogged_returnsFalseAfterTheTimeout() {
        Proxy a0 = Agents.runAgent("a0");
        Proxy logger = ChannelAgents.syncedLogger(a0);

        assertFalse(AgentAwait.loggerLine(logger, "ERROR", "asdf", Duration.ofSeconds(1)));
    }

    @Test
    void loggerLine_linesLoggedInOrder_areKeptInThatOrderAtTheEndOfTheHistory() {
        Proxy a0 = Agents.runAgent("a0");
        Proxy logger = ChannelAgents.syncedLogger(a0);

        a0.log("INFO", "m0");
        a0.log("INFO", "m1");
        a0.log("INFO", "m2");

        assertTrue(AgentAwait.loggerLine(logger, "INFO", "m2", WAIT));
        assertTrue(AgentAwait.loggerLine(logger, "INFO", "m1", Duration.ZERO));
        assertTrue(AgentAwait.loggerLine(logger, "INFO", "m0", Duration.ZERO));
        List<String> lines = infoLines(logger);
        assertTrue(lines.size() >= 3, lines.toString());
        assertTrue(lines.get(lines.size() - 1).contains("m2"), lines.toString());
        assertTrue(lines.get(lines.size() - 2).contains("m1"), lines.toString());
        assertTrue(lines.get(lines.size() - 3).contains("m0"), lines.toString());
    }

    @Test
    void loggerLine_multiLineMessage_arrivesAsOneWholeLine() {
        Proxy a0 = Agents.runAgent("a0");
        Proxy logger = ChannelAgents.syncedLogger(a0);

        a0.log("INFO", "foo\nbar");

        assertTrue(AgentAwait.loggerLine(logger, "INFO", "foo\nbar", WAIT));
    }

    @Test
    void loggerLine_severalMatchingLines_theHistoryKeepsEachLineOnce() {
        Proxy a0 = Agents.runAgent("a0");
        Proxy logger = ChannelAgents.syncedLogger(a0);

        a0.log("INFO", "foo bar");
        a0.log("INFO", "foo beer");
        a0.log("INFO", "foo asdf bar");
        assertTrue(AgentAwait.loggerLine(logger, "INFO", "foo asdf bar", WAIT));

        List<String> lines = infoLines(logger);
        assertEquals(3, count(lines, "foo"));
        assertEquals(2, count(lines, "foo b"));
        assertEquals(1, count(lines, "foo beer"));
        assertEquals(2, count(lines, "bar"));
        assertEquals(2, count(lines, "foo.*bar"));
    }

    @Test
    void loggerLine_regularExpression_matchesAnywhereUnlessAnchored() {
        Proxy a0 = Agents.runAgent("a0");
        Proxy logger = ChannelAgents.syncedLogger(a0);

        a0.log("INFO", "job 42 done");

        assertTrue(AgentAwait.loggerLine(logger, "INFO", Pattern.compile("job \\d+ done"), WAIT));
        assertTrue(AgentAwait.loggerLine(logger, "INFO", Pattern.compile("^\\[a0\\] job 42 done$"), Duration.ZERO));
        assertFalse(AgentAwait.loggerLine(logger, "INFO", Pattern.compile("^job"), Duration.ZERO));
        assertFalse(AgentAwait.loggerLine(logger, "WARN", Pattern.compile("job"), Duration.ZERO));
    }

    @Test
    void loggerLineAt_positionsCountedFromEitherEnd_matchOnlyTheLineThere() {
        Proxy a0 = Agents.runAgent("a0");
        Proxy logger = ChannelAgents.syncedLogger(a0);

        a0.log("INFO", "m0");
        a0.log("INFO", "m1");
        a0.log("INFO", "m2");

        assertTrue(AgentAwait.loggerLineAt(logger, "INFO", Pattern.compile("m2$"), -1, WAIT));
        assertTrue(AgentAwait.loggerLineAt(logger, "INFO", Pattern.compile("m1$"), -2, Duration.ZERO));
        assertTrue(AgentAwait.loggerLineAt(logger, "INFO", Pattern.compile("m0$"), -3, Duration.ZERO));
        assertFalse(AgentAwait.loggerLineAt(logger, "INFO", Pattern.compile("m1$"), -1, Duration.ZERO));
        int size = infoLines(logger).size();
        assertTrue(AgentAwait.loggerLineAt(logger, "INFO", Pattern.compile("m2$"), size - 1, Duration.ZERO));
        assertFalse(AgentAwait.loggerLineAt(logger, "INFO", Pattern.compile("m"), size, Duration.ZERO));
        assertFalse(AgentAwait.loggerLineAt(logger, "INFO", Pattern.compile("m"), -size - 1, Duration.ZERO));
    }

    @Test
    void loggerLines_severalMatchingLines_holdUpToTheirCountAndNoFurther() {
        Proxy a0 = Agents.runAgent("a0");
        Proxy logger = ChannelAgents.syncedLogger(a0);

        a0.log("INFO", "foo bar");
        a0.log("INFO", "foo beer");
        a0.log("INFO", "foo asdf bar");

        assertTrue(AgentAwait.loggerLines(logger, "INFO", Pattern.compile("foo"), 3, WAIT));
        assertFalse(AgentAwait.loggerLines(logger, "INFO", Pattern.compile("foo"), 4, Duration.ZERO));
        assertTrue(AgentAwait.loggerLines(logger, "INFO", Pattern.compile("foo.*bar"), 2, Duration.ZERO));
        assertFalse(AgentAwait.loggerLines(logger, "INFO", Pattern.compile("foo.*bar"), 3, Duration.ZERO));
        assertTrue(AgentAwait.loggerLines(logger, "INFO", Pattern.compile("foo beer"), 1, Duration.ZERO));
        assertFalse(AgentAwait.loggerLines(logger, "INFO", Pattern.compile("foo beer"), 2, Duration.ZERO));
    }

    private static long count(List<String> lines, String regex) {
        Pattern pattern = Pattern.compile(regex, Pattern.DOTALL);
        return lines.stream().filter(line -> pattern.matcher(line).find()).count();
    }

    // ------------------------------------------------------------------ attribute matching

    /** One of AgentAwait's checks, made once (zero timeout) on attribute {@code x}. */
    @FunctionalInterface
    private interface Check {
        boolean holds(Proxy agent);
    }

    private static Check lengthAtLeast(int length) {
        return agent -> AgentAwait.attrLengthAtLeast(agent, "x", length, Duration.ZERO);
    }

    private static Check contains(Object item) {
        return agent -> AgentAwait.attrContains(agent, "x", item, Duration.ZERO);
    }

    private static Check equalTo(Object value) {
        return agent -> AgentAwait.attrEquals(agent, "x", value, Duration.ZERO);
    }

    private static Check endsWith(Object tail) {
        return agent -> AgentAwait.attr(agent, "x", value -> switch (value) {
            case List<?> list when tail instanceof List<?> end -> list.size() >= end.size()
                    && list.subList(list.size() - end.size(), list.size()).equals(end);
            case String text -> text.endsWith((String) tail);
            case null, default -> false;
        }, Duration.ZERO);
    }

    private static Check both(Check first, Check second) {
        return agent -> first.holds(agent) && second.holds(agent);
    }

    static Stream<Arguments> attributeMatches() {
        return Stream.of(
                Arguments.of("List length mismatch", List.of(), lengthAtLeast(1), false),
                Arguments.of("Data not in list", List.of(), contains(1), false),
                Arguments.of("List exact value", List.of(), equalTo(List.of()), true),
                Arguments.of("Data in list and list length", List.of(1, 2), both(lengthAtLeast(2), contains(2)), true),
                Arguments.of("Data not in list with length match", List.of(1, 2),
                        both(lengthAtLeast(2), contains(3)), false),
                Arguments.of("Data in list with length mismatch", List.of(1, 2),
                        both(lengthAtLeast(3), contains(2)), false),
                Arguments.of("Set length", Set.of("foo"), lengthAtLeast(1), true),
                Arguments.of("Item in set", Set.of("foo"), contains("foo"), true),
                Arguments.of("Set exact value", Set.of("foo"), equalTo(Set.of("foo")), true),
                Arguments.of("Integer value mismatch", 42, equalTo(14), false),
                Arguments.of("Integer value match", 42, equalTo(42), true),
                Arguments.of("List ending with", List.of(1, 2, 3), endsWith(List.of(2, 3)), true),
                Arguments.of("List not ending with", List.of(1, 2, 3), endsWith(List.of(3, 3)), false),
                Arguments.of("String ending with", "abcde", endsWith("cde"), true),
                Arguments.of("String not ending with", "abcde", endsWith("ade"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attributeMatches")
    void attrChecks_attributeValue_matchAsOsBrainsAttributeMatchAll(String name, Object value, Check check,
                                                                     boolean expected) {
        Proxy a0 = Agents.runAgent("a0");
        a0.setAttr("x", value);

        assertEquals(expected, check.holds(a0), name);
    }

    // ------------------------------------------------------------------ waits

    @Test
    void attrLengthAtLeast_zeroTimeoutAndNoMatch_returnsFalseAtOnce() {
        Proxy a0 = Agents.runAgent("a0", AgentOptions.of(Client.class));
        a0.setAttr("x", List.of());

        assertFalse(AgentAwait.attrLengthAtLeast(a0, "x", 1, Duration.ZERO));
    }

    @Test
    void attrEquals_valueATimerSetsLater_isFalseWithZeroTimeoutAndTrueWithinTheTimeout() {
        Proxy a0 = Agents.runAgent("a0", AgentOptions.of(Client.class));
        a0.setAttr("received", 0);

        a0.after(Duration.ofSeconds(1), "setReceivedMethod", 42);

        assertFalse(AgentAwait.attrEquals(a0, "received", 42, Duration.ZERO));
        assertTrue(AgentAwait.attrEquals(a0, "received", 42, Duration.ofSeconds(2)));
    }

    @ParameterizedTest(name = "fed after {0} ms, waited {1} ms: {2}")
    @CsvSource({"1000, 500, false", "500, 1000, true"})
    void until_conditionTurningTrueAfterADelay_holdsOnlyWhenTheDelayIsWithinTheTimeout(long delayMillis,
                                                                                       long timeoutMillis,
                                                                                       boolean expected) {
        SugarAddict kid = new SugarAddict();
        timer.schedule(kid::feedCandy, delayMillis, TimeUnit.MILLISECONDS);

        assertEquals(expected, AgentAwait.until(kid::happy, Duration.ofMillis(timeoutMillis)));
    }

    @ParameterizedTest(name = "fed after {0} ms, waited {1} ms: {2}")
    @CsvSource({"1000, 500, false", "500, 1000, true"})
    void until_negatedConditionTurningFalseAfterADelay_holdsOnlyWhenTheDelayIsWithinTheTimeout(long delayMillis,
                                                                                               long timeoutMillis,
                                                                                               boolean expected) {
        SugarAddict kid = new SugarAddict();
        timer.schedule(kid::feedCandy, delayMillis, TimeUnit.MILLISECONDS);

        assertEquals(expected, AgentAwait.until(() -> !kid.sad(), Duration.ofMillis(timeoutMillis)));
    }

    @Test
    void condition_conditionRunInsideTheAgent_holdsOnlyOnceTheAgentGotThere() {
        Proxy a0 = Agents.runAgent("a0", AgentOptions.of(Counter.class));
        a0.each(Duration.ofMillis(1), "increment");

        assertFalse(AgentAwait.condition(a0, (self, args) -> ((Counter) self).log.size() > (Integer) args[0],
                Duration.ofMillis(200), 4));
        assertTrue(AgentAwait.condition(a0, (self, args) -> ((Counter) self).log.size() > (Integer) args[0], WAIT, 10));
        assertTrue(AgentAwait.condition(a0, (self, args) -> ((Counter) self).count > 8, Duration.ZERO));
    }

    @Test
    void lastReceivedEndsWith_runAsAMethod_isTrueOnlyWhenTheLastMessageEndsWithTheTail() {
        Proxy agent = Agents.runAgent("a0");

        assertEquals(false, agent.executeAsMethod(AgentAwait::lastReceivedEndsWith, "foo"));
        agent.setAttr("received", List.of());
        assertEquals(false, agent.executeAsMethod(AgentAwait::lastReceivedEndsWith, "foo"));
        agent.setAttr("received", List.of("bar"));
        assertEquals(false, agent.executeAsMethod(AgentAwait::lastReceivedEndsWith, "foo"));
        agent.setAttr("received", List.of("foo", "bar"));
        assertEquals(false, agent.executeAsMethod(AgentAwait::lastReceivedEndsWith, "foo"));
        agent.setAttr("received", List.of("bar", "foo"));
        assertEquals(true, agent.executeAsMethod(AgentAwait::lastReceivedEndsWith, "foo"));
        agent.setAttr("received", List.of("bar".getBytes(StandardCharsets.UTF_8), "xfoo".getBytes(StandardCharsets.UTF_8)));
        assertEquals(true, agent.executeAsMethod(AgentAwait::lastReceivedEndsWith, "foo"));
    }

    @Test
    void condition_lastReceivedEndsWithTheTailOfAMessageSentLater_holdsOnceItArrives() {
        Proxy receiver = ChannelAgents.withReceivedList(Agents.runAgent("receiver"));
        Proxy sender = Agents.runAgent("sender");
        AgentAddress addr = receiver.bind(io.zeroagents.Pattern.PULL, "pull", Object.class,
                ChannelAgents::appendReceived);
        sender.connect(addr, "push");
        assertFalse(AgentAwait.condition(receiver, AgentAwait::lastReceivedEndsWith, Duration.ZERO, "World"));

        sender.send("push", "Hello, World");

        assertTrue(AgentAwait.condition(receiver, AgentAwait::lastReceivedEndsWith, WAIT, "World"));
    }
}
