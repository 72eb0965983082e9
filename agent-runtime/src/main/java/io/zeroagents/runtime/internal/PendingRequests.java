package io.zeroagents.runtime.internal;

import io.zeroagents.NoReplyHandler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.jspecify.annotations.Nullable;

/**
 * An agent's asynchronous requests still waiting for their replies, matched by correlation id,
 * with the deadlines of those that wait at most a while. Loop thread only.
 */
final class PendingRequests {
    /** One request sent and not yet answered. */
    record Pending(long id, String alias, Object request, @Nullable SocketDispatch handler, long deadlineNanos,
                   long waitMillis, @Nullable NoReplyHandler onNoReply) {
        boolean waitsAtMost() {
            return deadlineNanos != Long.MAX_VALUE;
        }
    }

    private final Map<Long, Pending> byId = new HashMap<>();
    private final PriorityQueue<Pending> byDeadline =
            new PriorityQueue<>((a, b) -> Long.compare(a.deadlineNanos(), b.deadlineNanos()));
    private long lastId;

    long nextId() {
        return ++lastId;
    }

    void add(Pending pending) {
        byId.put(pending.id(), pending);
        if (pending.waitsAtMost()) {
            byDeadline.add(pending);
        }
    }

    /** Takes the request a reply answers, or {@code null} when it is unknown (late, or never asked). */
    @Nullable Pending answered(long id) {
        Pending pending = byId.remove(id);
        if (pending != null && pending.waitsAtMost()) {
            byDeadline.remove(pending);
        }
        return pending;
    }

    /** Takes every request whose wait is over. */
    List<Pending> expired(long now) {
        List<Pending> expired = new ArrayList<>();
        while (!byDeadline.isEmpty() && byDeadline.peek().deadlineNanos() <= now) {
            Pending pending = byDeadline.poll();
            if (byId.remove(pending.id()) != null) {
                expired.add(pending);
            }
        }
        return expired;
    }

    /** Forgets the requests of a closed socket: their replies can no longer arrive. */
    void forget(String alias) {
        byId.values().removeIf(p -> p.alias().equals(alias));
        byDeadline.removeIf(p -> p.alias().equals(alias));
    }

    /** Whether some request waits for its reply at most a while. */
    boolean hasDeadlines() {
        return !byDeadline.isEmpty();
    }

    /** Nanoseconds until the next deadline, or -1 when no request waits at most a while. */
    long nanosUntilNext(long now) {
        Pending next = byDeadline.peek();
        return next == null ? -1 : Math.max(0, next.deadlineNanos() - now);
    }

    int size() {
        return byId.size();
    }
}
