package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentException;
import io.zeroagents.TimerAction;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentTimersTest {
    private static final TimerAction NOTHING = agent -> { };
    private static final long MS = 1_000_000L;

    @Test
    void takeDue_periodicTimer_reschedulesOnePeriodLater() {
        AgentTimers timers = new AgentTimers("A");
        timers.schedule("t", 10 * MS, 10 * MS, NOTHING, 0);

        assertEquals(List.of(), timers.takeDue(9 * MS));
        assertEquals(1, timers.takeDue(10 * MS).size());
        assertEquals(10 * MS, timers.nanosUntilNext(10 * MS));
        assertEquals(List.of("t"), timers.aliases());
    }

    @Test
    void takeDue_farBehind_firesOnceInsteadOfPilingUp() {
        AgentTimers timers = new AgentTimers("A");
        timers.schedule("t", 10 * MS, 10 * MS, NOTHING, 0);

        List<AgentTimers.Timer> due = timers.takeDue(1000 * MS);

        assertEquals(1, due.size());
        timers.ranLate(due.get(0), 1000 * MS);
        assertEquals(10 * MS, timers.nanosUntilNext(1000 * MS));
    }

    @Test
    void takeDue_oneShot_isForgottenAfterFiring() {
        AgentTimers timers = new AgentTimers("A");
        String alias = timers.schedule(null, 5 * MS, 0, NOTHING, 0);

        List<AgentTimers.Timer> due = timers.takeDue(5 * MS);
        assertEquals(1, due.size());
        timers.finished(due.get(0));
        assertEquals(List.of(), timers.aliases());
        assertEquals(-1, timers.nanosUntilNext(5 * MS));
        assertTrue(alias.startsWith("timer-"), alias);
    }

    @Test
    void stop_oneShotDueInSameTick_cancelsItBeforeItRuns() {
        AgentTimers timers = new AgentTimers("A");
        timers.schedule("first", MS, MS, NOTHING, 0);
        timers.schedule("second", MS, 0, NOTHING, 0);
        List<AgentTimers.Timer> due = timers.takeDue(MS);

        timers.stop("second");

        assertTrue(due.stream().filter(t -> t.alias.equals("second")).allMatch(t -> t.cancelled));
        assertEquals(List.of("first"), timers.aliases());
    }

    @Test
    void stop_unknownAlias_listsExistingTimers() {
        AgentTimers timers = new AgentTimers("Bob");
        timers.schedule("tick", MS, MS, NOTHING, 0);

        AgentException refused = assertThrows(AgentException.class, () -> timers.stop("tock"));

        assertEquals("Agent 'Bob' has no timer with alias 'tock' (timers: [tick])", refused.getMessage());
    }

    @Test
    void schedule_generatedAliases_skipTakenNames() {
        AgentTimers timers = new AgentTimers("A");
        timers.schedule("timer-1", MS, MS, NOTHING, 0);

        assertEquals("timer-2", timers.schedule(null, MS, MS, NOTHING, 0));
    }

    @Test
    void schedule_blankAlias_isRefusedNamingTheAgent() {
        AgentTimers timers = new AgentTimers("A");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> timers.schedule(" ", 5 * MS, 0, NOTHING, 0));

        assertTrue(e.getMessage().contains("'A'"), e.getMessage());
        assertEquals(List.of(), timers.aliases());
    }
}
