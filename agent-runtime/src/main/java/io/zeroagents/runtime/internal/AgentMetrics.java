package io.zeroagents.runtime.internal;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.distribution.TimeWindowMax;
import io.zeroagents.settings.HostName;
import io.zeroagents.nameserver.protocol.AgentReport;
import io.zeroagents.nameserver.protocol.HostReport;
import io.zeroagents.nameserver.protocol.SocketReport;
import io.zeroagents.transport.InputCounters;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;

/**
 * One agent's counters: messages in and out per socket, handler time and failures, dropped
 * messages and timer lag. The agent's loop thread counts into plain atomics; Micrometer meters
 * ({@link RuntimeMetrics}: the global registry, and JMX unless turned off) and the
 * heartbeat's {@link HostReport} read them, so counting costs the loop no more than an
 * uncontended increment.
 *
 * <p>Meters, all tagged {@code agent}; the socket ones also {@code socket} (the alias),
 * {@code pattern} and {@code role} ({@code bound} or {@code connected}):
 * <ul>
 *   <li>{@value #RECEIVED}, {@value #SENT}: messages per socket;</li>
 *   <li>{@value #HANDLER_TIME}: time in the socket's handlers (count and total);</li>
 *   <li>{@value #HANDLER_ERRORS}: the socket's handlers that threw;</li>
 *   <li>{@value #AGENT_ERRORS}: every handler, timer and hook of the agent that threw;</li>
 *   <li>{@value #DROPPED}: messages the agent dropped;</li>
 *   <li>{@value #INPUT_REFUSED}: what the input bounds of the agent's sockets refused before the
 *       agent saw it (messages of too many frames, over-long subscriptions, old ZMTP greetings);</li>
 *   <li>{@value #TIMER_LAG} and {@value #TIMER_LAG_MAX}: how late timer ticks started (count and
 *       total; the largest in the last minute or so).</li>
 * </ul>
 * A socket's meters go when it closes, the agent's when it stops.
 */
final class AgentMetrics {
    static final String RECEIVED = "zeroagents.messages.received";
    static final String SENT = "zeroagents.messages.sent";
    static final String HANDLER_TIME = "zeroagents.handler.time";
    static final String HANDLER_ERRORS = "zeroagents.handler.errors";
    static final String AGENT_ERRORS = "zeroagents.agent.errors";
    static final String DROPPED = "zeroagents.messages.dropped";
    static final String INPUT_REFUSED = "zeroagents.input.refused";
    static final String TIMER_LAG = "zeroagents.timer.lag";
    static final String TIMER_LAG_MAX = "zeroagents.timer.lag.max";

    private static final Logger LOG = LogManager.getLogger(AgentMetrics.class);
    // A heartbeat is one ZeroMQ frame, and the name server refuses frames over 1 MiB: the report
    // leaves agents out rather than lose the heartbeat.
    private static final int MAX_REPORT_BYTES = 256 * 1024;
    // The window of the recent maximum timer lag: long enough that a heartbeat never misses one.
    private static final long LAG_WINDOW_MILLIS = 60_000;
    private static final int LAG_WINDOW_BUFFERS = 3;

    /**
     * What one socket counted; written by the agent's loop thread only, read by any. A single
     * writer needs no atomic increment: each count is read and then published with a release
     * store, a plain write on x86 where an atomic add is a locked instruction per message.
     *
     * <p>Handler time is sampled: the first call and every {@value #TIMED_EVERY}th are timed, each
     * counting for itself and the untimed calls since the one timed before, so the total only
     * grows. Reading the clock costs some 30 ns on a virtual machine, twice per timed call: one
     * call in 64 keeps that under a nanosecond per message, where a small message's whole trip
     * through an agent's receive path takes about a hundred nanoseconds. Calls, and calls that
     * threw, are exact.
     */
    static final class SocketCounters {
        /** One handler call in this many is timed; a power of two. */
        static final int TIMED_EVERY = 64;

        private final AtomicLong received = new AtomicLong();
        private final AtomicLong sent = new AtomicLong();
        private final AtomicLong handled = new AtomicLong();
        private final AtomicLong handlerNanos = new AtomicLong();
        private final AtomicLong handlerErrors = new AtomicLong();
        /** The number of the call timed last; loop thread only. */
        private long lastTimed = -1;

        void received() {
            increment(received);
        }

        void sent() {
            increment(sent);
        }

        /** Counts the other messages of a batch that arrived as one. */
        void receivedMore(int messages) {
            received.setRelease(received.getPlain() + messages);
        }

        /** Counts the other messages of a batch that went out as one. */
        void sentMore(int messages) {
            sent.setRelease(sent.getPlain() + messages);
        }

        /** Whether the next handler call is one of those timed. */
        boolean timesNextHandler() {
            return (handled.getPlain() & (TIMED_EVERY - 1)) == 0;
        }

        /**
         * One handler call, which threw when {@code failed}; {@code startedNanos} is when it started
         * if {@link #timesNextHandler()} said to time it, else 0.
         */
        void handled(long startedNanos, boolean failed) {
            long call = handled.getPlain();
            if (startedNanos != 0) {
                long elapsed = System.nanoTime() - startedNanos;
                handlerNanos.setRelease(handlerNanos.getPlain() + elapsed * (call - lastTimed));
                lastTimed = call;
            }
            handled.setRelease(call + 1);
            if (failed) {
                increment(handlerErrors);
            }
        }

        /** The time spent in handlers, estimated from the timed calls; it never decreases. */
        long handlerNanos() {
            return handlerNanos.get();
        }

        private static void increment(AtomicLong count) {
            count.setRelease(count.getPlain() + 1);
        }

        long receivedCount() {
            return received.get();
        }

        long sentCount() {
            return sent.get();
        }

        long handledCount() {
            return handled.get();
        }

        long handlerErrorCount() {
            return handlerErrors.get();
        }
    }

    /** An open socket as the report shows it, with the meters to remove when it closes. */
    private record Open(String alias, String pattern, boolean bound, String endpoint, SocketCounters counters,
                        List<Registered> meters) {
    }

    private final String agent;
    private final MeterRegistry registry;
    private final AtomicLong dropped;
    /** What the input bounds of the agent's sockets refused, once its socket factory exists. */
    private @Nullable InputCounters input;
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong timerTicks = new AtomicLong();
    private final AtomicLong timerLagNanos = new AtomicLong();
    private final TimeWindowMax timerLagMax = new TimeWindowMax(Clock.SYSTEM, LAG_WINDOW_MILLIS, LAG_WINDOW_BUFFERS);
    // By alias, in the order opened; changed by the loop thread, read by the heartbeat.
    private final Map<String, Open> sockets = new ConcurrentHashMap<>();
    private final List<Registered> agentMeters = new ArrayList<>();

    /**
     * Prepares an agent's counters; {@link #start()} registers its meters.
     *
     * @param agent   the agent's name
     * @param dropped the agent's own count of dropped messages
     */
    AgentMetrics(String agent, AtomicLong dropped) {
        this(agent, dropped, RuntimeMetrics.registry());
    }

    AgentMetrics(String agent, AtomicLong dropped, MeterRegistry registry) {
        this.agent = agent;
        this.dropped = dropped;
        this.registry = registry;
    }

    /** Counts what the input bounds of the agent's sockets refuse; before {@link #start()}. */
    void countInput(InputCounters counters) {
        this.input = counters;
    }

    /**
     * Registers the agent's meters: called by its loop thread when it starts, so an agent that
     * never ran (its name was taken) leaves none behind, and {@link #close()} follows.
     */
    void start() {
        Tags tags = Tags.of("agent", agent);
        counter(agentMeters, AGENT_ERRORS, "Handlers, timers and hooks of the agent that threw", tags, errors,
                AtomicLong::get);
        counter(agentMeters, DROPPED, "Messages the agent dropped: unreadable, undecodable or unmatched", tags,
                dropped, AtomicLong::get);
        if (input != null) {
            counter(agentMeters, INPUT_REFUSED, "What the input bounds of the agent's sockets refused", tags, input,
                    InputCounters::total);
        }
        register(agentMeters, TIMER_LAG, tags, () -> FunctionTimer.builder(TIMER_LAG, this,
                        m -> m.timerTicks.get(), m -> m.timerLagNanos.get(), TimeUnit.NANOSECONDS)
                .description("How late the agent's timer ticks started").tags(tags).register(registry));
        register(agentMeters, TIMER_LAG_MAX, tags, () -> TimeGauge.builder(TIMER_LAG_MAX, timerLagMax,
                        TimeUnit.NANOSECONDS, TimeWindowMax::poll)
                .description("The largest timer lag of the last minute or so").tags(tags).register(registry));
    }

    /** Counts one socket from now on: called by the loop when the socket opens. */
    void opened(AgentSocket s) {
        String role = s.bound ? "bound" : "connected";
        Tags tags = Tags.of("agent", agent, "socket", s.alias, "pattern", s.pattern.name(), "role", role);
        SocketCounters c = s.counters;
        List<Registered> meters = new ArrayList<>();
        counter(meters, RECEIVED, "Messages the socket received", tags, c, SocketCounters::receivedCount);
        counter(meters, SENT, "Messages the socket sent", tags, c, SocketCounters::sentCount);
        counter(meters, HANDLER_ERRORS, "Handlers of the socket that threw", tags, c, SocketCounters::handlerErrorCount);
        register(meters, HANDLER_TIME, tags, () -> FunctionTimer.builder(HANDLER_TIME, c,
                        SocketCounters::handledCount, SocketCounters::handlerNanos, TimeUnit.NANOSECONDS)
                .description("Time in the socket's handlers").tags(tags).register(registry));
        sockets.put(s.alias, new Open(s.alias, s.pattern.name(), s.bound, s.address.endpoint(), c, meters));
    }

    /** Stops counting a socket that closed. */
    void closed(AgentSocket s) {
        Open open = sockets.get(s.alias);
        if (open != null && open.counters() == s.counters) {
            sockets.remove(s.alias);
            open.meters().forEach(this::remove);
        }
    }

    /** A handler, timer or hook of the agent threw. */
    void failed() {
        errors.incrementAndGet();
    }

    /** A timer tick starts {@code lagNanos} after it was due. */
    void timerTick(long lagNanos) {
        timerTicks.incrementAndGet();
        timerLagNanos.addAndGet(lagNanos);
        timerLagMax.record(lagNanos);
    }

    /** Removes every meter of the agent: it stopped. */
    void close() {
        List.copyOf(sockets.values()).forEach(open -> open.meters().forEach(this::remove));
        sockets.clear();
        agentMeters.forEach(this::remove);
    }

    /** The agent's counters, for the heartbeat. */
    AgentReport report(boolean running) {
        AgentReport.Builder report = AgentReport.newBuilder().setName(agent).setRunning(running)
                .setErrors(errors.get()).setDropped(dropped.get()).setTimerTicks(timerTicks.get())
                .setTimerLagNanos(timerLagNanos.get()).setTimerLagMaxNanos((long) timerLagMax.poll());
        for (Open open : sockets.values()) {
            SocketCounters c = open.counters();
            report.addSockets(SocketReport.newBuilder().setAlias(open.alias()).setPattern(open.pattern())
                    .setBound(open.bound()).setEndpoint(open.endpoint()).setReceived(c.receivedCount())
                    .setSent(c.sentCount()).setHandled(c.handledCount()).setHandlerNanos(c.handlerNanos())
                    .setHandlerErrors(c.handlerErrorCount()));
        }
        return report.build();
    }

    /**
     * The report a host sends with its heartbeat: the named agents' counters, as many as fit.
     *
     * @param names  the agents the heartbeat renews
     * @param agents the host's agents by name
     */
    static HostReport hostReport(Collection<String> names, Map<String, AgentCore> agents) {
        HostReport.Builder report = HostReport.newBuilder().setTimeMs(System.currentTimeMillis())
                .setProcess(ThisProcess.ID);
        int bytes = 0;
        for (String name : names) {
            AgentCore core = agents.get(name);
            if (core == null) {
                continue;
            }
            AgentReport agent = core.metrics.report(core.isRunning());
            bytes += agent.getSerializedSize();
            if (bytes > MAX_REPORT_BYTES) {
                report.setTruncated(true);
                break;
            }
            report.addAgents(agent);
        }
        return report.build();
    }

    private <T> void counter(List<Registered> meters, String name, String description, Tags tags, T state,
                             ToLongFunction<T> count) {
        register(meters, name, tags, () -> FunctionCounter.builder(name, state, s -> (double) count.applyAsLong(s))
                .description(description).tags(tags).register(registry));
    }

    /**
     * Registers a meter unless one with the same name and tags exists (two agents of one name in
     * one JVM, under two name servers): the first keeps it, and the second's is not touched
     * when it stops. Which meters exist is kept here, not searched in the registry: a search
     * goes over every meter of the process, which made starting the n-th agent cost O(n).
     */
    private void register(List<Registered> meters, String name, Tags tags, Supplier<Meter> meter) {
        MeterKey key = new MeterKey(registry, name, tags);
        if (!REGISTERED.add(key)) {
            LOG.debug("Agent '{}': meter {} {} exists already; not counted twice", agent, name, tags);
            return;
        }
        try {
            meters.add(new Registered(meter.get(), key));
        } catch (RuntimeException e) {
            REGISTERED.remove(key);
            throw e;
        }
    }

    private void remove(Registered registered) {
        registry.remove(registered.meter());
        REGISTERED.remove(registered.key());
    }

    /** A meter's registry, name and tags, as this class registered it (registries compare by identity). */
    private record MeterKey(MeterRegistry registry, String name, Tags tags) {
    }

    /** A meter this class registered, with its key. */
    private record Registered(Meter meter, MeterKey key) {
    }

    /** The meters every agent of this process registered and has not removed yet. */
    private static final Set<MeterKey> REGISTERED = ConcurrentHashMap.newKeySet();

    /** This process, as people find it: {@code pid@machine}. */
    private static final class ThisProcess {
        static final String ID = ProcessHandle.current().pid() + "@" + HostName.local().orElse("unknown");
    }
}
