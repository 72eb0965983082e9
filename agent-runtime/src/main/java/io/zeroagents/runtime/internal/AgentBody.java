package io.zeroagents.runtime.internal;

import io.zeroagents.AgentOptions;
import io.zeroagents.BaseAgent;
import io.zeroagents.spi.AgentBinding;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;

/**
 * What an agent's loop runs for it: makes the agent's instance, attributes and methods, calls its
 * lifecycle hooks, does each turn's work (timers, request deadlines, receiving), and closes its
 * timers and sockets as the loop ends. A handler that throws is reported here, and stops the
 * agent when its options ask.
 */
final class AgentBody implements AgentLoop.Body {
    private static final Logger LOG = LogManager.getLogger(AgentBody.class);

    private final AgentCore core;
    private final String name;
    private final AgentOptions options;
    private final AgentLoop loop;
    private final AgentLog log;
    private final AgentMetrics metrics;
    private final AgentTimers timers;
    private final AgentSockets sockets;
    private final Outbox outbox;
    private final Inbox inbox;
    private final IntSupplier lingerMillis;
    private final BooleanSupplier killed;
    private final StopDrain stopDrain;
    /**
     * Set on the loop thread when a failed handler stops the agent, or its start failed: what its
     * sockets received is then dropped rather than handled.
     */
    private boolean stoppedOnFailure = true;

    // Set on the loop thread as the agent starts.
    private @Nullable BaseAgent instance;
    private volatile @Nullable AgentAttributes attributes;
    private volatile @Nullable AgentMethods methods;

    /**
     * @param lingerMillis the linger its sockets close with as the loop ends
     * @param killed       whether the agent was killed, so the loop drops what its sockets received
     * @param stopDrain    what the ending loop does with what its sockets received
     */
    AgentBody(AgentCore core, AgentOptions options, AgentLoop loop, AgentLog log, AgentMetrics metrics,
              AgentTimers timers, AgentSockets sockets, Outbox outbox, Inbox inbox, IntSupplier lingerMillis,
              BooleanSupplier killed, StopDrain stopDrain) {
        this.core = core;
        this.name = core.name();
        this.options = options;
        this.loop = loop;
        this.log = log;
        this.metrics = metrics;
        this.timers = timers;
        this.sockets = sockets;
        this.outbox = outbox;
        this.inbox = inbox;
        this.lingerMillis = lingerMillis;
        this.killed = killed;
        this.stopDrain = stopDrain;
    }

    /** The agent's instance, once made. */
    BaseAgent instance() {
        BaseAgent agent = instance;
        if (agent == null) {
            throw new IllegalStateException("Agent '" + name + "' is not initialised yet");
        }
        return agent;
    }

    /** The agent's attributes, once its instance is made. */
    AgentAttributes attributes() {
        AgentAttributes attrs = attributes;
        if (attrs == null) {
            throw loop.notRunning("attributes");
        }
        return attrs;
    }

    /** The agent's methods, once its instance is made. */
    AgentMethods methods() {
        AgentMethods table = methods;
        if (table == null) {
            throw loop.notRunning("methods");
        }
        return table;
    }

    @Override
    public void create() throws Exception {
        metrics.start();
        BaseAgent agent = AgentBinding.instantiate(options.agentClass(), core);
        instance = agent;
        AgentAttributes attrs = new AgentAttributes(name, agent);
        options.attributes().forEach(attrs::set);
        attributes = attrs;
        methods = new AgentMethods(name, agent, agent);
        if (LifecycleHooks.overridesIdle(agent.getClass())) {
            loop.wakeForIdle(options.idlePeriod());
        }
    }

    @Override
    public void init() {
        LifecycleHooks.onInit(instance());
    }

    @Override
    public void beforeLoop() {
        // The agent started: a stop from now on handles what its sockets received, unless a handler fails.
        stoppedOnFailure = false;
        try {
            LifecycleHooks.beforeLoop(instance());
        } catch (RuntimeException e) {
            handlerFailed("beforeLoop()", e);
        }
    }

    @Override
    public boolean work() {
        boolean worked = runTimers();
        worked |= inbox.expireRequests();
        return worked | inbox.receive(sockets.list());
    }

    @Override
    public void endTurn() {
        if (outbox.batchesPending()) {
            // A turn of the loop ends: what it batched goes out now.
            outbox.flushAll(sockets.list());
        }
    }

    @Override
    public long nanosUntilNext(long now) {
        long timer = timers.nanosUntilNext(now);
        long request = inbox.nanosUntilNextDeadline(now);
        return timer < 0 ? request : request < 0 ? timer : Math.min(timer, request);
    }

    @Override
    public boolean hasDeadlines() {
        return !timers.isEmpty() || inbox.hasDeadlines();
    }

    @Override
    public void arrived(LoopWait.Arrival arrival) {
        inbox.handle(arrival.owner(), arrival.socket(), arrival.frames());
    }

    @Override
    public void idle() {
        try {
            LifecycleHooks.idle(instance());
        } catch (RuntimeException e) {
            handlerFailed("idle()", e);
        }
    }

    @Override
    public void close() {
        timers.stopAll();
        stopDrain.run(sockets.list(), killed.getAsBoolean() ? StopDrain.Stop.KILL
                : stoppedOnFailure ? StopDrain.Stop.FAILURE : StopDrain.Stop.SHUTDOWN);
        if (outbox.batchesPending()) {
            outbox.flushAll(sockets.list());
        }
        for (AgentSocket s : sockets.list()) {
            try {
                // The unregistration that follows drops every address at once: no per-socket update.
                sockets.close(s, false, lingerMillis.getAsInt());
            } catch (RuntimeException e) {
                LOG.warn("Agent '{}': closing socket '{}' failed", name, s.alias, e);
            }
        }
        log.close(lingerMillis.getAsInt());
    }

    @Override
    public void ended() {
        try {
            core.loopEnded();
        } finally {
            metrics.close();
        }
    }

    private boolean runTimers() {
        if (timers.isEmpty()) {
            return false;
        }
        List<AgentTimers.Timer> due = timers.takeDue(System.nanoTime());
        for (AgentTimers.Timer timer : due) {
            if (!timer.cancelled && loop.running()) {
                metrics.timerTick(System.nanoTime() - timer.firedDueNanos);
                try {
                    timer.action.run(instance());
                } catch (Exception e) {
                    handlerFailed("timer '" + timer.alias + "'", e);
                }
                timers.ranLate(timer, System.nanoTime());
            }
            timers.finished(timer);
        }
        return !due.isEmpty();
    }

    /** Reports a handler, hook or timer that threw; stops the agent when its options ask. */
    void handlerFailed(String where, Exception e) {
        metrics.failed();
        log.error(where + " failed: " + e, e);
        if (options.stopOnHandlerError()) {
            log.error("stops, as its options ask on a handler error", null);
            stoppedOnFailure = true;
            loop.stopFromLoop();
        }
    }
}
