package io.zeroagents.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentException;
import io.zeroagents.Agents;
import io.zeroagents.Proxy;
import io.zeroagents.it.support.Inbox;
import io.zeroagents.testkit.NameServerExtension;
import io.zeroagents.testsupport.Await;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class TimerTest {
    @RegisterExtension
    final NameServerExtension ns = new NameServerExtension();

    @Test
    void each_firesRepeatedlyOnTheAgentsThread() {
        Proxy agent = Agents.runAgent("Ticker");
        Inbox<String> ticks = new Inbox<>();

        agent.each(Duration.ofMillis(20), self -> ticks.add(Thread.currentThread().getName()));

        List<String> threads = ticks.await(3);
        assertTrue(threads.stream().allMatch("agent-Ticker"::equals), threads.toString());
    }

    @Test
    void after_firesOnceAndDisappearsFromList() {
        Proxy agent = Agents.runAgent("Once");
        Inbox<String> fired = new Inbox<>();

        String alias = agent.after(Duration.ofMillis(30), self -> fired.add("fired"));
        assertEquals(List.of(alias), agent.listTimers());

        fired.await(1);
        Await.until(() -> agent.listTimers().isEmpty(), "the one-shot timer to leave the list");
        assertEquals(1, fired.size());
    }

    @Test
    void stopTimer_stopsOnlyThatTimer() {
        Proxy agent = Agents.runAgent("Two");
        Inbox<String> a = new Inbox<>();
        Inbox<String> b = new Inbox<>();
        agent.each(Duration.ofMillis(10), self -> a.add("a"), "a");
        agent.each(Duration.ofMillis(10), self -> b.add("b"), "b");
        a.await(2);

        agent.stopTimer("a");
        int stoppedAt = a.size();
        int bAt = b.size();

        b.await(bAt + 5);
        assertEquals(stoppedAt, a.size(), "timer a fired after it was stopped");
        assertEquals(List.of("b"), agent.listTimers());
    }

    @Test
    void stopAllTimers_leavesNoTimer() {
        Proxy agent = Agents.runAgent("Many");
        agent.each(Duration.ofSeconds(1), self -> { });
        agent.each(Duration.ofSeconds(1), self -> { });
        agent.after(Duration.ofSeconds(5), self -> { });
        assertEquals(3, agent.listTimers().size());

        agent.stopAllTimers();

        assertEquals(List.of(), agent.listTimers());
    }

    @Test
    void each_duplicateAliasOrUnknownStop_isRefusedWithTimerNames() {
        Proxy agent = Agents.runAgent("Strict");
        agent.each(Duration.ofSeconds(1), self -> { }, "tick");

        AgentException duplicate = assertThrows(AgentException.class,
                () -> agent.each(Duration.ofSeconds(1), self -> { }, "tick"));
        assertTrue(duplicate.getMessage().contains("'tick'"), duplicate.getMessage());
        AgentException unknown = assertThrows(AgentException.class, () -> agent.stopTimer("tock"));
        assertTrue(unknown.getMessage().contains("[tick]"), unknown.getMessage());
    }

    @Test
    void eachAndAfter_byMethodName_callTheAgentsMethod() {
        Proxy agent = Agents.runAgent("Named");
        Inbox<String> calls = new Inbox<>();
        agent.setMethod("record", (self, args) -> {
            calls.add(String.valueOf(args[0]));
            return null;
        });

        agent.after(Duration.ZERO, "record", "once");
        String each = agent.each(Duration.ofMillis(10), "record", "again");

        calls.await(3);
        agent.stopTimer(each);
        assertTrue(calls.items().contains("once") && calls.items().contains("again"), calls.items().toString());
    }

    @Test
    void each_actionThrows_timerKeepsFiring() {
        Proxy agent = Agents.runAgent("Flaky");
        Inbox<String> runs = new Inbox<>();

        agent.each(Duration.ofMillis(10), self -> {
            runs.add("run");
            throw new IllegalStateException("timer failure");
        });

        runs.await(3);
        assertTrue(agent.isRunning());
    }
}
