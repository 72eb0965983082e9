package io.zeroagents.runtime.internal;

import io.micrometer.core.instrument.Counter;
import io.zeroagents.settings.ZeroAgentsSettings;
import io.zeroagents.transport.Frames;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * What an agent does, as its loop ends, with the messages its sockets already received: a
 * {@code shutdown()} hands them to their handlers (and answers requests) until none is left or the
 * drain limit ({@code zeroagents.shutdown.drain}) passes; what is left then, and everything on a
 * {@code kill()}, a stop after a failed handler or a stop while paused, is read off the sockets
 * and dropped, counted (the agent's dropped messages and {@value #DROPPED_AT_STOP}) and logged in
 * one line. Nothing a socket accepted disappears without a count. Loop thread only.
 */
final class StopDrain {
    /** Messages dropped as agents stopped, tagged {@code stop}: {@code shutdown} or {@code kill}. */
    static final String DROPPED_AT_STOP = "zeroagents.messages.dropped.at.stop";
    private static final Logger LOG = LogManager.getLogger(StopDrain.class);
    /** How long counting what is left may take: a peer that keeps sending must not hold the stop. */
    private static final long COUNT_LIMIT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    /** Why the loop ends, which decides whether what was received is handled. */
    enum Stop {
        /** {@code shutdown()}: handle what was received, within the drain limit. */
        SHUTDOWN,
        /** {@code kill()}: drop it. */
        KILL,
        /** A handler failed and the agent's options stop it then: drop it. */
        FAILURE
    }

    private final String name;
    private final AgentLoop loop;
    private final Inbox inbox;
    private final AgentLog log;
    private final Duration limit;

    StopDrain(String name, AgentLoop loop, Inbox inbox, AgentLog log, Duration limit) {
        this.name = name;
        this.loop = loop;
        this.inbox = inbox;
        this.log = log;
        this.limit = limit;
    }

    /** Handles or drops, as {@code stop} says, what {@code sockets} received; before they close. */
    void run(AgentSocket[] sockets, Stop stop) {
        boolean drains = stop == Stop.SHUTDOWN && !limit.isZero() && !loop.paused();
        long started = System.nanoTime();
        if (drains) {
            long deadline = started + limit.toNanos();
            // Each pass handles up to a batch per socket; a pass that finds nothing ends the drain.
            loop.drainWhileStopping(() -> {
                while (System.nanoTime() - deadline < 0 && inbox.receive(sockets)) {
                    // handled in receive
                }
            });
        }
        long left = countLeft(sockets);
        if (left == 0) {
            return;
        }
        log.countDropped((int) Math.min(Integer.MAX_VALUE, left));
        String tag = stop == Stop.KILL ? "kill" : "shutdown";
        Counter.builder(DROPPED_AT_STOP).description("Messages agents' sockets had received and dropped as the"
                + " agents stopped").tag("stop", tag).register(RuntimeMetrics.registry()).increment(left);
        String why = switch (stop) {
            case KILL -> "was killed";
            case FAILURE -> "stopped after a handler failed";
            case SHUTDOWN -> loop.paused() ? "shut down while stopped (paused)"
                    : drains ? "shut down and had not handled them after " + TimeUnit.NANOSECONDS.toMillis(
                            System.nanoTime() - started) + " ms (" + ZeroAgentsSettings.SHUTDOWN_DRAIN.property() + "="
                            + limit.toMillis() + ")"
                    : "shut down with " + ZeroAgentsSettings.SHUTDOWN_DRAIN.property() + "=0";
        };
        LOG.warn("Agent '{}' {}: dropped {} message(s) its sockets had received ({} dropped by the agent so far)",
                name, why, left, log.dropped());
    }

    /** Reads off and counts what the sockets still hold; within {@link #COUNT_LIMIT_NANOS}. */
    private long countLeft(AgentSocket[] sockets) {
        long left = 0;
        long deadline = System.nanoTime() + COUNT_LIMIT_NANOS;
        for (AgentSocket s : sockets) {
            if (s.hasUnpacked()) {
                left += s.unpacked.size();
                s.unpacked.clear();
            }
            if (s.pollsMain() || s.whyNoRecv() == null) {
                left += countOn(s.socket, deadline);
            }
            ZMQ.Socket requests = s.requests;
            if (requests != null) {
                left += countOn(requests, deadline);
            }
        }
        return left;
    }

    private static long countOn(ZMQ.Socket socket, long deadline) {
        long count = 0;
        try {
            while (Frames.read(socket, ZMQ.DONTWAIT) != null) {
                count++;
                if ((count & 63) == 0 && System.nanoTime() - deadline >= 0) {
                    break;
                }
            }
        } catch (ZMQException e) {
            // A socket whose pattern has nothing to read now (a REQ between requests) holds nothing.
        }
        return count;
    }
}
