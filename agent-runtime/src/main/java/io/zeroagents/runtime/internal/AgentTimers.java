package io.zeroagents.runtime.internal;

import io.zeroagents.AgentException;
import io.zeroagents.TimerAction;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.jspecify.annotations.Nullable;

/**
 * An agent's timers, ordered by their next firing. Used by the agent's loop thread only.
 *
 * <p>A periodic timer that falls behind is rescheduled one period after the moment it actually
 * ran, so a slow action delays its timer instead of piling ticks up.
 */
final class AgentTimers {
    /** One scheduled action; {@code periodNanos == 0} for a one-shot timer. */
    static final class Timer {
        final String alias;
        final long periodNanos;
        final TimerAction action;
        long dueNanos;
        /** When the tick being run was due, for the agent's timer-lag metric. */
        long firedDueNanos;
        boolean cancelled;

        Timer(String alias, long periodNanos, TimerAction action, long dueNanos) {
            this.alias = alias;
            this.periodNanos = periodNanos;
            this.action = action;
            this.dueNanos = dueNanos;
        }
    }

    private final String agentName;
    private final PriorityQueue<Timer> queue = new PriorityQueue<>(Comparator.comparingLong(t -> t.dueNanos));
    private final Map<String, Timer> byAlias = new LinkedHashMap<>();
    private long generated;

    AgentTimers(String agentName) {
        this.agentName = agentName;
    }

    String schedule(@Nullable String alias, long delayNanos, long periodNanos, TimerAction action, long nowNanos) {
        String chosen = alias;
        if (chosen == null) {
            do {
                chosen = "timer-" + (++generated);
            } while (byAlias.containsKey(chosen));
        } else if (byAlias.containsKey(checkedAlias(agentName, chosen))) {
            throw new AgentException("Agent '" + agentName + "' already has a timer with alias '" + chosen
                    + "' (timers: " + byAlias.keySet() + ")");
        }
        Timer timer = new Timer(chosen, periodNanos, action, nowNanos + delayNanos);
        byAlias.put(chosen, timer);
        queue.add(timer);
        return chosen;
    }

    /** A timer alias a user chose, refused when blank: a blank one on the wire means "generate one". */
    static String checkedAlias(String agentName, String alias) {
        if (alias.isBlank()) {
            throw new IllegalArgumentException("Timer alias of agent '" + agentName + "' must not be blank");
        }
        return alias;
    }

    void stop(String alias) {
        Timer timer = byAlias.remove(alias);
        if (timer == null) {
            throw new AgentException("Agent '" + agentName + "' has no timer with alias '" + alias
                    + "' (timers: " + byAlias.keySet() + ")");
        }
        timer.cancelled = true;
        queue.remove(timer);
    }

    void stopAll() {
        byAlias.values().forEach(t -> t.cancelled = true);
        byAlias.clear();
        queue.clear();
    }

    List<String> aliases() {
        return List.copyOf(byAlias.keySet());
    }

    /** Whether no timer is scheduled. */
    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Nanoseconds until the next timer is due (0 when one is due now), or -1 when none is set. */
    long nanosUntilNext(long nowNanos) {
        Timer next = queue.peek();
        return next == null ? -1 : Math.max(0, next.dueNanos - nowNanos);
    }

    /**
     * Takes the timers due now, rescheduling periodic ones; the caller runs them, checking
     * {@link Timer#cancelled} in case an earlier one stopped a later one, then calls
     * {@link #finished}.
     */
    List<Timer> takeDue(long nowNanos) {
        List<Timer> due = new ArrayList<>();
        while (!queue.isEmpty() && queue.peek().dueNanos <= nowNanos) {
            Timer timer = queue.poll();
            timer.firedDueNanos = timer.dueNanos;
            due.add(timer);
            if (timer.periodNanos > 0) {
                long next = timer.dueNanos + timer.periodNanos;
                // Missed ticks are skipped, not made up: the next one is a full period away.
                timer.dueNanos = next > nowNanos ? next : nowNanos + timer.periodNanos;
                queue.add(timer);
            }
        }
        return due;
    }

    /**
     * Forgets a one-shot timer once it has run (or been skipped): until then it stays listed, so
     * an earlier timer of the same tick can still stop it.
     */
    void finished(Timer timer) {
        if (timer.periodNanos == 0 && byAlias.get(timer.alias) == timer) {
            byAlias.remove(timer.alias);
        }
    }

    /** Called after a periodic timer ran late: its next tick comes one period after it finished. */
    void ranLate(Timer timer, long finishedNanos) {
        if (timer.periodNanos > 0 && !timer.cancelled && timer.dueNanos < finishedNanos) {
            queue.remove(timer);
            timer.dueNanos = finishedNanos + timer.periodNanos;
            queue.add(timer);
        }
    }
}
