package io.zeroagents.runtime.internal;

import io.zeroagents.Agent;
import io.zeroagents.AgentAddress;
import io.zeroagents.AgentException;
import io.zeroagents.AgentFunction;
import io.zeroagents.AgentMethod;
import io.zeroagents.AgentNotRunningException;
import io.zeroagents.AgentOptions;
import io.zeroagents.AgentTimeoutException;
import io.zeroagents.BaseAgent;
import io.zeroagents.BindOptions;
import io.zeroagents.Codec;
import io.zeroagents.MessageDecodingException;
import io.zeroagents.MessageEncodingException;
import io.zeroagents.MessageHandler;
import io.zeroagents.NoReplyHandler;
import io.zeroagents.Pattern;
import io.zeroagents.PatternMismatchException;
import io.zeroagents.RemoteAgentException;
import io.zeroagents.Replier;
import io.zeroagents.RequestOptions;
import io.zeroagents.SocketHandler;
import io.zeroagents.TimerAction;
import io.zeroagents.Transport;
import io.zeroagents.UnknownAliasException;
import com.google.protobuf.ByteString;
import io.zeroagents.nameserver.internal.MailboxRaceGuard;
import io.zeroagents.nameserver.security.CurveKeys;
import io.zeroagents.serialization.EncodedPayload;
import io.zeroagents.serialization.EnvelopeCodec;
import io.zeroagents.serialization.EnvelopeFrames;
import io.zeroagents.serialization.EnvelopeView;
import io.zeroagents.serialization.proto.Envelope;
import io.zeroagents.spi.AgentBinding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * One running agent: its loop thread, its sockets, timers, attributes and methods.
 *
 * <p>Only the loop thread touches sockets and timers. Every operation called from another thread
 * is queued as a task and the caller waits for its result, so proxies are usable from any thread.
 * The loop sleeps as {@link LoopWait} says: on its task queue, in the receive of the one socket it
 * watches, or on a selector over several; a queued task wakes it wherever it sleeps. That way an
 * agent with at most one receiving socket costs no file descriptor beyond its sockets' own.
 */
final class AgentCore implements Agent {
    private static final Logger LOG = LogManager.getLogger(AgentCore.class);
    /** Messages taken from one socket before the loop looks at the others, for fairness. */
    private static final int BATCH = 64;
    /** How long one attempt to hand a message to ZeroMQ may block before the loop checks for a stop. */
    private static final int SEND_SLICE_MILLIS = 50;
    /** A batch goes out once its envelopes take this many bytes, whatever their number. */
    private static final int BATCH_BYTES = 64 * 1024;
    /** What a batch frame takes beyond its envelopes: its own envelope's fields, generously. */
    private static final int BATCH_OVERHEAD = 1024;
    /** {@link #callerDeadline} when no caller waits for the task running (or none runs). */
    static final long NO_CALLER_DEADLINE = Long.MIN_VALUE;
    /** Calls from another process less than this apart come from a proxy calling one after another. */
    static final long CALLS_IN_A_ROW_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /**
     * The deadline ({@link System#nanoTime()}) of the remote proxy's caller that the current thread
     * serves, set by the control endpoint's workers ({@link #forRemoteCaller}): what they ask of an
     * agent's loop gives up by then, as it does for a caller in this process.
     */
    private static final ThreadLocal<Long> REMOTE_CALLER_DEADLINE = new ThreadLocal<>();

    private enum State { STARTING, RUNNING, STOPPING, STOPPED }

    private final String name;
    private final AgentOptions options;
    private final Settings settings;
    private final AgentHost host;
    private final ZContext context;
    private final EnvelopeCodec envelopes;
    /** The bytes a batch's envelopes may take: 64 KiB, or less under a smaller frame limit. */
    private final int batchRoom;
    private final Logger agentLog;
    private final Thread thread;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    /** Whether {@link #tasks} may hold a task; written holding its monitor, read by the loop without. */
    private volatile boolean tasksQueued;
    /** Whether a socket holds batched messages ({@code AgentOptions.batchSends}); loop thread only. */
    private boolean batchesPending;
    /** When the caller of the task now running gives up waiting ({@link System#nanoTime()}); loop thread only. */
    private long callerDeadline = NO_CALLER_DEADLINE;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final AtomicLong dropped = new AtomicLong();
    final AgentMetrics metrics;
    private volatile State state = State.STARTING;
    /** Set by {@link #stop()}: handlers and timers wait until {@link #resume()}. */
    private volatile boolean paused;
    /** Set by {@link #kill()}: sockets close without linger. */
    private volatile boolean killed;
    private final LoopWait loopWait;

    // Loop thread only, except where noted.
    private final Map<String, AgentSocket> sockets = new LinkedHashMap<>();
    /** The socket {@link #socket(String)} found last. */
    private @Nullable AgentSocket lastFound;
    /** The values of {@link #sockets}, for the loop to go over without a copy per turn. */
    private AgentSocket[] socketList = new AgentSocket[0];
    private final AgentTimers timers;
    private final PendingRequests pending = new PendingRequests();
    /** The PUB socket connected to this agent's logger agent, once it has one. */
    private ZMQ.@Nullable Socket loggerSocket;
    private @Nullable BaseAgent instance;
    private volatile @Nullable AgentAttributes attributes;
    private volatile @Nullable AgentMethods methods;
    private long uniqueSuffix;
    private boolean wakesForIdle;
    private long lastActivityNanos = System.nanoTime();
    /** When a call from another process last ended here ({@link #ranRemoteCall}); none yet is long ago. */
    private long lastRemoteCallNanos = System.nanoTime() - CALLS_IN_A_ROW_NANOS;
    /** Until when the loop polls instead of sleeping, after calls from another process in a row. */
    private long pollUntilNanos;
    private boolean pollsAfterCalls;

    AgentCore(String name, AgentOptions options, Settings settings, AgentHost host, ZContext context,
              EnvelopeCodec envelopes) {
        this.name = name;
        this.options = options;
        this.settings = settings;
        this.host = host;
        this.context = context;
        this.envelopes = envelopes;
        this.batchRoom = Math.min(BATCH_BYTES, envelopes.maxFrameBytes() - BATCH_OVERHEAD);
        this.agentLog = LogManager.getLogger("io.zeroagents.agent." + name);
        this.metrics = new AgentMetrics(name, dropped);
        this.timers = new AgentTimers(name);
        this.loopWait = new LoopWait(name, tasks, options.spinWait().toNanos(),
                () -> tasksQueued || state != State.RUNNING);
        this.thread = new Thread(this::run, "agent-" + name);
        this.thread.setDaemon(true);
    }

    /**
     * Called on the loop as a call from another process ends: when the one before ended less than
     * {@link #CALLS_IN_A_ROW_NANOS} earlier, a proxy is making calls one after another, and the loop
     * polls until {@code pollNanos} after this one before it sleeps, so the next call finds it
     * awake. Waking a sleeping thread took up to tens of microseconds on a virtual machine, where a
     * raw round trip over tcp took 60 µs to 150 µs; a loop called now and then never polls.
     */
    void ranRemoteCall(long pollNanos) {
        long now = System.nanoTime();
        if (pollNanos > 0 && now - lastRemoteCallNanos < CALLS_IN_A_ROW_NANOS) {
            pollUntilNanos = now + pollNanos;
            pollsAfterCalls = true;
        }
        lastRemoteCallNanos = now;
    }

    /** How many times the loop went to sleep; for tests. */
    long loopSleeps() {
        return loopWait.sleeps();
    }

    /** Starts the loop and waits until {@code onInit} has run. */
    void start() {
        thread.start();
        try {
            started.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (TimeoutException e) {
            // The loop stops as soon as onInit returns, so no half-started agent keeps running.
            requestStop();
            throw new AgentTimeoutException("Agent '" + name + "' did not finish onInit within "
                    + settings.timeout().toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException("Interrupted while starting agent '" + name + "'", e);
        }
    }

    // ---------------------------------------------------------------- loop

    private void run() {
        metrics.start();
        try {
            BaseAgent agent = AgentBinding.instantiate(options.agentClass(), this);
            instance = agent;
            AgentAttributes attrs = new AgentAttributes(name, agent);
            options.attributes().forEach(attrs::set);
            attributes = attrs;
            methods = new AgentMethods(name, agent, agent);
            wakesForIdle = LifecycleHooks.overridesIdle(agent.getClass());
            synchronized (tasks) {
                if (state != State.STARTING) {
                    throw new AgentTimeoutException("Agent '" + name + "' was abandoned while it started");
                }
                state = State.RUNNING;
            }
            LifecycleHooks.onInit(agent);
        } catch (Throwable t) {
            state = State.STOPPING;
            cleanUp();
            started.completeExceptionally(t);
            return;
        }
        started.complete(null);
        try {
            try {
                LifecycleHooks.beforeLoop(instance());
            } catch (RuntimeException e) {
                handlerFailed("beforeLoop()", e);
            }
            while (state == State.RUNNING) {
                boolean worked = runTasks();
                if (!paused) {
                    worked |= runTimers();
                    worked |= expireRequests();
                    worked |= receive();
                }
                if (batchesPending) {
                    // A turn of the loop ends: what it batched goes out now.
                    flushBatches();
                }
                if (worked) {
                    if (wakesForIdle) {
                        lastActivityNanos = System.nanoTime();
                    }
                } else if (state == State.RUNNING) {
                    waitForWork();
                }
            }
        } catch (Throwable t) {
            LOG.error("Agent '{}' stopped: its loop failed", name, t);
        } finally {
            state = State.STOPPING;
            cleanUp();
        }
    }

    private boolean runTasks() {
        if (!tasksQueued) {
            // Most turns of a busy receiver find no task: no monitor to take for that.
            return false;
        }
        boolean worked = false;
        Runnable task;
        while (state == State.RUNNING && (task = pollTask()) != null) {
            task.run();
            worked = true;
        }
        return worked;
    }

    private @Nullable Runnable pollTask() {
        synchronized (tasks) {
            Runnable task = tasks.poll();
            tasksQueued = !tasks.isEmpty();
            return task;
        }
    }

    private boolean runTimers() {
        if (timers.isEmpty()) {
            return false;
        }
        List<AgentTimers.Timer> due = timers.takeDue(System.nanoTime());
        for (AgentTimers.Timer timer : due) {
            if (!timer.cancelled && state == State.RUNNING) {
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

    private boolean receive() {
        boolean worked = false;
        for (AgentSocket s : socketList) {
            if (s.pollsMain()) {
                worked |= drain(s, s.socket);
            }
            ZMQ.Socket requests = s.requests;
            if (requests != null) {
                worked |= drain(s, requests);
            }
        }
        return worked;
    }

    /** Handles up to a batch of what one ZeroMQ socket of {@code s} has received. */
    private boolean drain(AgentSocket s, ZMQ.Socket zs) {
        boolean worked = false;
        if (s.hasUnpacked()) {
            // The rest of a batch a pause or a stop interrupted comes before newer messages.
            worked = deliverQueued(s);
            if (!s.unpacked.isEmpty()) {
                return worked;
            }
        }
        for (int i = 0; i < BATCH && state == State.RUNNING && !paused && s.open; i++) {
            // A receive that finds nothing also processes the socket's commands, which re-arms its
            // descriptor for the selector, as getEvents() would, at half the cost per message.
            List<byte[]> frames = Frames.read(zs, ZMQ.DONTWAIT);
            if (frames == null) {
                break;
            }
            receiveOne(s, zs, frames);
            worked = true;
        }
        return worked;
    }

    private boolean expireRequests() {
        if (!pending.hasDeadlines()) {
            return false;
        }
        List<PendingRequests.Pending> expired = pending.expired(System.nanoTime());
        for (PendingRequests.Pending request : expired) {
            NoReplyHandler onNoReply = request.onNoReply();
            if (onNoReply == null) {
                warn("did not receive a reply to request " + request.id() + " on socket '" + request.alias()
                        + "' within " + request.waitMillis() + " ms");
                continue;
            }
            try {
                onNoReply.noReply(instance(), request.request());
            } catch (Exception e) {
                handlerFailed("onNoReply of a request on socket '" + request.alias() + "'", e);
            }
        }
        return !expired.isEmpty();
    }

    private void waitForWork() throws InterruptedException, IOException {
        boolean timed = !paused && (!timers.isEmpty() || pending.hasDeadlines() || wakesForIdle);
        long now = timed ? System.nanoTime() : 0;
        long wait = !timed ? -1 : earliest(timers.nanosUntilNext(now), pending.nanosUntilNext(now));
        long idleNanos = options.idlePeriod().toNanos();
        if (wakesForIdle && !paused) {
            long untilIdle = Math.max(0, lastActivityNanos + idleNanos - now);
            wait = wait < 0 ? untilIdle : Math.min(wait, untilIdle);
        }
        if (wait == 0) {
            callIdleIfDue();
            return;
        }
        long pollNanos = 0;
        if (pollsAfterCalls) {
            pollNanos = pollUntilNanos - System.nanoTime();
            pollsAfterCalls = pollNanos > 0;
        }
        // A stopped agent leaves its messages in their sockets, so it must not wake on them.
        LoopWait.Arrival arrival = loopWait.await(wait, paused, Math.max(0, pollNanos),
                () -> tasks.isEmpty() && state == State.RUNNING);
        if (arrival != null) {
            AgentSocket s = owner(arrival.socket());
            if (s != null && state == State.RUNNING) {
                receiveOne(s, arrival.socket(), arrival.frames());
            }
            if (wakesForIdle) {
                lastActivityNanos = System.nanoTime();
            }
            return;
        }
        callIdleIfDue();
    }

    /** The open socket a ZeroMQ socket belongs to, or {@code null} once it is closed. */
    private @Nullable AgentSocket owner(ZMQ.Socket zs) {
        for (AgentSocket s : sockets.values()) {
            if (s.socket == zs || s.requests == zs) {
                return s;
            }
        }
        return null;
    }

    /** The sooner of two waits in nanoseconds, where -1 means none. */
    private static long earliest(long a, long b) {
        return a < 0 ? b : b < 0 ? a : Math.min(a, b);
    }

    private void callIdleIfDue() {
        if (wakesForIdle && state == State.RUNNING && !paused
                && System.nanoTime() - lastActivityNanos >= options.idlePeriod().toNanos()) {
            try {
                LifecycleHooks.idle(instance());
            } catch (RuntimeException e) {
                handlerFailed("idle()", e);
            }
            lastActivityNanos = System.nanoTime();
        }
    }

    private void cleanUp() {
        try {
            timers.stopAll();
            if (batchesPending) {
                flushBatches();
            }
            for (AgentSocket s : List.copyOf(sockets.values())) {
                try {
                    // The unregistration below drops every address at once: no per-socket update.
                    closeSocket(s, false, lingerMillis());
                } catch (RuntimeException e) {
                    LOG.warn("Agent '{}': closing socket '{}' failed", name, s.alias, e);
                }
            }
            ZMQ.Socket logger = loggerSocket;
            if (logger != null) {
                logger.setLinger(lingerMillis());
                logger.close();
                loggerSocket = null;
            }
            try {
                loopWait.close();
            } catch (IOException e) {
                LOG.debug("Agent '{}': closing its selector failed", name, e);
            }
        } finally {
            List<Runnable> orphans;
            synchronized (tasks) {
                state = State.STOPPED;
                orphans = List.copyOf(tasks);
                tasks.clear();
            }
            // Tasks queued before the stop was seen still complete, with an error, so no caller hangs.
            orphans.forEach(Runnable::run);
            try {
                host.agentStopped(this);
            } finally {
                metrics.close();
                stopped.complete(null);
            }
            LOG.debug("Agent '{}' stopped", name);
        }
    }

    // ---------------------------------------------------------------- tasks

    /**
     * Runs {@code action} on the loop thread and returns its result: directly when already on it,
     * else queued, waiting up to the agent's timeout.
     */
    <T> T onLoop(String operation, Callable<T> action) {
        return onLoop(operation, action, Duration.ZERO);
    }

    /**
     * Like {@link #onLoop(String, Callable)} for an operation that itself may wait up to
     * {@code ownWait} on the loop (a receive, or a send waiting for room), which the caller's wait
     * includes: a caller told that its operation timed out must not see it done after all.
     */
    private <T> T onLoop(String operation, Callable<T> action, Duration ownWait) {
        if (Thread.currentThread() == thread) {
            return callHere(action);
        }
        long now = System.nanoTime();
        long timeoutNanos = settings.timeout().plus(ownWait).toNanos();
        long deadline = now + timeoutNanos;
        Long remoteDeadline = REMOTE_CALLER_DEADLINE.get();
        if (remoteDeadline != null && remoteDeadline - deadline < 0) {
            if (remoteDeadline - now <= 0) {
                throw new AgentTimeoutException("Agent '" + name + "' was not asked to run '" + operation
                        + "': its caller in another process had stopped waiting when the request arrived");
            }
            deadline = remoteDeadline;
            timeoutNanos = remoteDeadline - now;
        }
        CompletableFuture<T> result = post(operation, action, deadline);
        try {
            return result.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (TimeoutException e) {
            // A task that has not started yet must not run after its caller was told it failed; one
            // that finished just now keeps its outcome.
            if (!result.cancel(false)) {
                try {
                    return result.join();
                } catch (CompletionException finished) {
                    throw rethrow(finished.getCause());
                }
            }
            throw new AgentTimeoutException("Agent '" + name + "' did not run '" + operation + "' within "
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms: its loop is busy or blocked");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException("Interrupted while waiting for agent '" + name + "' to run '" + operation + "'", e);
        }
    }

    /** Queues {@code action} on the loop thread without waiting; failures complete the future. */
    <T> CompletableFuture<T> post(String operation, Callable<T> action) {
        return post(operation, action, NO_CALLER_DEADLINE);
    }

    /**
     * Queues {@code action}, whose caller gives up waiting at {@code callerDeadline}
     * ({@link System#nanoTime()}), or {@link #NO_CALLER_DEADLINE}: a send or receive it makes
     * stops waiting before then ({@link #callerWaitNanos}).
     */
    <T> CompletableFuture<T> post(String operation, Callable<T> action, long callerDeadline) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable task = () -> {
            if (result.isDone()) {
                return;
            }
            if (state != State.RUNNING) {
                result.completeExceptionally(notRunning(operation));
                return;
            }
            this.callerDeadline = callerDeadline;
            try {
                result.complete(action.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            } finally {
                this.callerDeadline = NO_CALLER_DEADLINE;
            }
        };
        synchronized (tasks) {
            if (state == State.STOPPED || state == State.STOPPING) {
                result.completeExceptionally(notRunning(operation));
                return result;
            }
            tasks.add(task);
            tasksQueued = true;
            loopWait.wake();
        }
        return result;
    }

    /**
     * How long an operation of the running task may wait on the loop: {@code wait}, but never so
     * long that its caller gives up first, so what the caller is told is what happened.
     */
    private long callerWaitNanos(long wait) {
        if (callerDeadline == NO_CALLER_DEADLINE) {
            return wait;
        }
        // Sends and receives notice their end up to one slice late.
        long left = callerDeadline - System.nanoTime() - 2 * TimeUnit.MILLISECONDS.toNanos(SEND_SLICE_MILLIS);
        return Math.max(0, Math.min(wait, left));
    }

    /**
     * Runs {@code work} for a remote proxy's caller who gives up at {@code callerDeadline}
     * ({@link System#nanoTime()}, or {@link #NO_CALLER_DEADLINE}): whatever it asks of an agent's
     * loop on this thread is neither started nor left waiting past then.
     */
    static <T> T forRemoteCaller(long callerDeadline, Supplier<T> work) {
        if (callerDeadline == NO_CALLER_DEADLINE) {
            return work.get();
        }
        REMOTE_CALLER_DEADLINE.set(callerDeadline);
        try {
            return work.get();
        } finally {
            REMOTE_CALLER_DEADLINE.remove();
        }
    }

    /** How long an operation waited, for its timeout message: less than asked when its caller waits less. */
    private static String waited(long waitNanos, Duration asked) {
        long millis = TimeUnit.NANOSECONDS.toMillis(waitNanos);
        return waitNanos < asked.toNanos() ? millis + " ms (its caller waits no longer)" : millis + " ms";
    }

    /** Runs {@code action} on the calling thread (unsafe calls), translating checked exceptions. */
    <T> T callHere(Callable<T> action) {
        try {
            return action.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new RemoteAgentException("Agent '" + name + "' failed: " + e, e);
        }
    }

    private AgentNotRunningException notRunning(String operation) {
        return new AgentNotRunningException("Agent '" + name + "' is not running (operation '" + operation + "')");
    }

    private static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new RemoteAgentException("Agent code failed: " + cause, cause);
    }

    private BaseAgent instance() {
        BaseAgent agent = instance;
        if (agent == null) {
            throw new IllegalStateException("Agent '" + name + "' is not initialised yet");
        }
        return agent;
    }

    AgentAttributes attributes() {
        AgentAttributes attrs = attributes;
        if (attrs == null) {
            throw notRunning("attributes");
        }
        return attrs;
    }

    AgentMethods methods() {
        AgentMethods table = methods;
        if (table == null) {
            throw notRunning("methods");
        }
        return table;
    }


    // ---------------------------------------------------------------- identity and lifecycle

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isRunning() {
        return state == State.RUNNING && !paused;
    }

    /** How long a call to this agent may wait for its loop. */
    Duration timeout() {
        return settings.timeout();
    }

    /** Whether the agent has not ended, even if it is stopped (paused). */
    boolean alive() {
        return state == State.RUNNING || state == State.STARTING;
    }

    @Override
    public void stop() {
        onLoop("stop", () -> {
            paused = true;
            return null;
        });
    }

    @Override
    public void resume() {
        onLoop("resume", () -> {
            paused = false;
            lastActivityNanos = System.nanoTime();
            return null;
        });
    }

    /**
     * Ends the agent without waiting: its name is released now, its sockets close without linger
     * when its loop ends, and a handler that is still running is left to return on its own.
     */
    void kill() {
        killed = true;
        requestStop();
        host.agentStopped(this);
    }

    /**
     * Messages this agent dropped since it started: unreadable frames, wrong frame counts, payloads
     * its handler's type cannot take, unexpected error reports and replies nobody waits for, and
     * batched messages no peer took in time ({@code AgentOptions.batchSends}).
     */
    long droppedMessages() {
        return dropped.get();
    }

    /** Whether the calling thread is this agent's loop thread (a handler, timer or safe call of its own). */
    boolean onLoopThread() {
        return Thread.currentThread() == thread;
    }

    /** Completes when the agent's loop has ended and its sockets are closed. */
    CompletableFuture<Void> stopped() {
        return stopped;
    }

    @Override
    public void shutdown() {
        if (Thread.currentThread() == thread) {
            state = State.STOPPING;
            return;
        }
        if (state == State.STOPPED) {
            return;
        }
        requestStop();
        awaitStopped();
    }

    /** Asks the loop to stop after what it is doing now, waking it wherever it sleeps; does not wait. */
    void requestStop() {
        synchronized (tasks) {
            if (state == State.STARTING || state == State.RUNNING) {
                state = State.STOPPING;
            }
            loopWait.wake();
        }
    }

    private void awaitStopped() {
        long timeout = settings.timeout().toMillis();
        try {
            stopped.get(timeout, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AgentTimeoutException("Agent '" + name + "' did not stop within " + timeout
                    + " ms: a handler is busy or blocked");
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException("Interrupted while stopping agent '" + name + "'", e);
        }
    }

    // ---------------------------------------------------------------- sockets

    @Override
    public AgentAddress bind(Pattern pattern, String alias, BindOptions bindOptions) {
        return onLoop("bind", () -> doBind(pattern, alias, bindOptions));
    }

    private AgentAddress doBind(Pattern pattern, String alias, BindOptions bindOptions) {
        checkAliasFree(alias);
        String where = "Agent '" + name + "' cannot bind socket '" + alias + "' as " + pattern;
        if (pattern.clientOnly()) {
            throw new PatternMismatchException(where + ": connect it to a " + pattern.twin() + " address instead");
        }
        SocketHandler handler = bindOptions.handler();
        if (pattern.serverOnly() && handler == null) {
            throw new PatternMismatchException(where + ": it answers requests, so it needs a handler"
                    + " (SocketHandler.onRequest or withReplier)");
        }
        if (bindOptions.raw() && pattern.serverOnly()) {
            throw new PatternMismatchException(where + " raw: its replies find their requests through envelopes");
        }
        SocketDispatch dispatch = handler == null ? null
                : SocketDispatch.resolve(handler, pattern, name, alias, methods());
        Codec codec = settings.codecFor(bindOptions);
        String endpoint = settings.endpointFor(bindOptions, name, alias, ++uniqueSuffix);
        ZMQ.Socket socket = newSocket(AgentSocket.mainType(pattern), pattern);
        ZMQ.Socket requests = null;
        try {
            bindTo(socket, endpoint, alias, pattern);
            String requestEndpoint = null;
            if (pattern == Pattern.SYNC_PUB) {
                requests = newSocket(SocketType.ROUTER, pattern);
                requestEndpoint = bindTo(requests, requestEndpointFor(socket.getLastEndpoint(), bindOptions, alias),
                        alias, pattern);
            }
            AgentAddress address = new AgentAddress(advertised(socket.getLastEndpoint()), pattern, codec,
                    bindOptions.raw(), requestEndpoint == null ? null : advertised(requestEndpoint));
            add(new AgentSocket(alias, pattern, true, address, socket, requests, dispatch));
            host.socketBound(this, alias, address);
            return address;
        } catch (RuntimeException e) {
            if (!sockets.containsKey(alias) || sockets.get(alias).socket != socket) {
                socket.close();
                if (requests != null) {
                    requests.close();
                }
            }
            throw e;
        }
    }

    private String advertised(String endpoint) {
        return AdvertisedHost.advertise(endpoint, settings.advertisedHost());
    }

    private String bindTo(ZMQ.Socket socket, String endpoint, String alias, Pattern pattern) {
        CurveKeys curve = host.curve();
        if (curve != null && !endpoint.startsWith("inproc://")) {
            curve.serve(socket);
        }
        try {
            socket.bind(endpoint);
            return socket.getLastEndpoint();
        } catch (ZMQException | IllegalArgumentException e) {
            throw new AgentException("Agent '" + name + "' cannot bind socket '" + alias + "' (" + pattern
                    + ") to " + endpoint + ": " + e.getMessage(), e);
        }
    }

    /** Where a SYNC_PUB channel takes requests: beside its publications, on a port or name of its own. */
    private String requestEndpointFor(String publications, BindOptions bindOptions, String alias) {
        return switch (Transport.ofEndpoint(publications)) {
            case TCP -> publications.substring(0, publications.lastIndexOf(':')) + ":*";
            case IPC -> "ipc://*";
            case INPROC -> bindOptions.address() != null && bindOptions.address().contains("://")
                    ? publications + "/requests"
                    : settings.endpointFor(BindOptions.builder().transport(Transport.INPROC).build(), name,
                    alias + "-requests", ++uniqueSuffix);
        };
    }

    @Override
    public AgentAddress connect(AgentAddress address, String alias) {
        return onLoop("connect", () -> doConnect(address, alias, null));
    }

    @Override
    public AgentAddress connect(AgentAddress address, String alias, SocketHandler handler) {
        return onLoop("connect", () -> doConnect(address, alias, handler));
    }

    private AgentAddress doConnect(AgentAddress address, String alias, @Nullable SocketHandler handler) {
        checkAliasFree(alias);
        Pattern pattern = address.clientPattern();
        if (pattern.serverOnly()) {
            throw new PatternMismatchException("Agent '" + name + "' cannot connect socket '" + alias + "' to a "
                    + address.pattern() + " address: bind a " + pattern + " and let " + address.pattern()
                    + " sockets connect to it");
        }
        SocketDispatch dispatch = handler == null ? null
                : SocketDispatch.resolve(handler, pattern, name, alias, methods());
        ZMQ.Socket socket = newSocket(AgentSocket.mainType(pattern), pattern);
        ZMQ.Socket requests = pattern == Pattern.SYNC_SUB ? newSocket(SocketType.DEALER, pattern) : null;
        try {
            connectTo(socket, address.endpoint(), alias, pattern);
            if (requests != null) {
                connectTo(requests, address.requestEndpoint(), alias, pattern);
            }
        } catch (RuntimeException e) {
            socket.close();
            if (requests != null) {
                requests.close();
            }
            throw e;
        }
        add(new AgentSocket(alias, pattern, false, address, socket, requests, dispatch));
        return address.twin();
    }

    private void connectTo(ZMQ.Socket socket, @Nullable String endpoint, String alias, Pattern pattern) {
        CurveKeys curve = host.curve();
        if (curve != null && endpoint != null && !endpoint.startsWith("inproc://")) {
            curve.connectAsClient(socket);
        }
        try {
            socket.connect(String.valueOf(endpoint));
        } catch (ZMQException | IllegalArgumentException e) {
            throw new AgentException("Agent '" + name + "' cannot connect socket '" + alias + "' (" + pattern
                    + ") to " + endpoint + ": " + e.getMessage(), e);
        }
    }

    private ZMQ.Socket newSocket(SocketType type, Pattern pattern) {
        ZMQ.Socket socket = MailboxRaceGuard.createSocket(context, type);
        socket.setLinger(lingerMillis());
        // A send waits for a peer in short slices, so a stop is noticed between them (see sendOn).
        socket.setSendTimeOut(SEND_SLICE_MILLIS);
        socket.setHandshakeIvl((int) Math.min(Integer.MAX_VALUE, settings.handshake().toMillis()));
        // A peer declaring a bigger frame loses its connection before JeroMQ allocates the frame.
        socket.setMaxMsgSize(envelopes.maxFrameBytes());
        socket.setSndHWM(settings.highWaterMark());
        socket.setRcvHWM(settings.highWaterMark());
        if (type == SocketType.REQ) {
            // Lets a REQ socket send again after a reply timed out, matching replies to requests.
            socket.setReqRelaxed(true);
            socket.setReqCorrelate(true);
        }
        return socket;
    }

    private int lingerMillis() {
        return killed ? 0 : (int) Math.min(Integer.MAX_VALUE, settings.linger().toMillis());
    }

    private void checkAliasFree(String alias) {
        if (alias.isBlank()) {
            throw new IllegalArgumentException("Socket alias must not be blank (agent '" + name + "')");
        }
        if (sockets.containsKey(alias)) {
            throw new AgentException("Agent '" + name + "' already has a socket with alias '" + alias
                    + "' (" + sockets.get(alias) + ")");
        }
    }

    private void add(AgentSocket s) {
        sockets.put(s.alias, s);
        socketList = sockets.values().toArray(AgentSocket[]::new);
        metrics.opened(s);
        if (s.pattern == Pattern.SUB || s.pattern == Pattern.SYNC_SUB) {
            for (String topic : s.dispatch == null ? List.of("") : s.dispatch.topics()) {
                s.defaultTopics.add(topic);
                s.socket.subscribe(topic.getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            poll(s);
        } catch (UncheckedIOException e) {
            closeSocket(s, false, 0);
            throw e;
        }
    }

    /** Tells the loop to wake for what {@code s} receives and its handlers take. */
    private void poll(AgentSocket s) {
        try {
            ZMQ.Socket requests = s.requests;
            if (s.pollsMain()) {
                loopWait.watch(s.socket);
            }
            if (requests != null) {
                loopWait.watch(requests);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Agent '" + name + "' cannot poll socket '" + s.alias + "'", e);
        }
    }

    private AgentSocket socket(String alias) {
        AgentSocket last = lastFound;
        // A loop sends on the same alias again and again, usually the same string instance.
        if (last != null && last.alias == alias && last.open) {
            return last;
        }
        AgentSocket s = sockets.get(alias);
        if (s == null) {
            throw new UnknownAliasException("Agent '" + name + "' has no socket with alias '" + alias
                    + "' (aliases: " + sockets.keySet() + ")");
        }
        lastFound = s;
        return s;
    }

    @Override
    public AgentAddress addr(String alias) {
        return onLoop("addr", () -> socket(alias).address);
    }

    @Override
    public boolean hasSocket(String alias) {
        return onLoop("hasSocket", () -> sockets.containsKey(alias));
    }

    @Override
    public Map<String, AgentAddress> sockets() {
        return onLoop("sockets", () -> {
            Map<String, AgentAddress> view = new LinkedHashMap<>();
            sockets.forEach((alias, s) -> view.put(alias, s.address));
            return java.util.Collections.unmodifiableMap(view);
        });
    }

    @Override
    public void close(String alias) {
        onLoop("close", () -> {
            closeSocket(socket(alias), true, lingerMillis());
            return null;
        });
    }

    @Override
    public void close(String alias, Duration linger) {
        int millis = lingerOf(linger);
        onLoop("close", () -> {
            closeSocket(socket(alias), true, millis);
            return null;
        });
    }

    @Override
    public void closeAll() {
        onLoop("closeAll", () -> {
            List.copyOf(sockets.values()).forEach(s -> closeSocket(s, true, lingerMillis()));
            return null;
        });
    }

    @Override
    public void closeAll(Duration linger) {
        int millis = lingerOf(linger);
        onLoop("closeAll", () -> {
            List.copyOf(sockets.values()).forEach(s -> closeSocket(s, true, millis));
            return null;
        });
    }

    private int lingerOf(Duration linger) {
        if (linger.isNegative()) {
            throw new IllegalArgumentException("Linger of agent '" + name + "' must not be negative, got " + linger);
        }
        return (int) Math.min(Integer.MAX_VALUE, linger.toMillis());
    }

    private void closeSocket(AgentSocket s, boolean updateNameServer, int lingerMillis) {
        try {
            flushBatch(s, false);
        } catch (RuntimeException e) {
            // Counted and logged by flushBatch; the socket closes all the same.
        }
        if (s.hasUnpacked()) {
            dropped.addAndGet(s.unpacked.size());
            warn("dropped " + s.unpacked.size() + " message(s) of a batch still queued when socket '" + s.alias
                    + "' closed");
            s.unpacked.clear();
        }
        sockets.remove(s.alias);
        socketList = sockets.values().toArray(AgentSocket[]::new);
        s.open = false;
        metrics.closed(s);
        pending.forget(s.alias);
        loopWait.unwatch(s.socket);
        if (s.requests != null) {
            loopWait.unwatch(s.requests);
        }
        // Linger decides how long queued messages may still go out after close.
        s.socket.setLinger(lingerMillis);
        s.socket.close();
        ZMQ.Socket requests = s.requests;
        if (requests != null) {
            requests.setLinger(lingerMillis);
            requests.close();
        }
        if (s.bound && updateNameServer) {
            host.socketClosed(this, s.alias);
        }
    }

    // ---------------------------------------------------------------- subscriptions

    @Override
    public void subscribe(String alias, String topic) {
        onLoop("subscribe", () -> {
            AgentSocket s = subscriber(alias, topic);
            boolean was = subscribed(s, topic);
            s.defaultTopics.add(topic);
            if (!was) {
                s.socket.subscribe(topic.getBytes(StandardCharsets.UTF_8));
            }
            return null;
        });
    }

    @Override
    public <T> void subscribe(String alias, String topic, Class<T> type, MessageHandler<? super T> handler) {
        onLoop("subscribe", () -> {
            AgentSocket s = subscriber(alias, topic);
            SocketDispatch dispatch = SocketDispatch.resolve(SocketHandler.onMessage(type, handler), s.pattern,
                    name, alias, methods());
            boolean was = subscribed(s, topic);
            s.topicHandlers.put(topic, dispatch);
            if (!was) {
                s.socket.subscribe(topic.getBytes(StandardCharsets.UTF_8));
            }
            poll(s);
            return null;
        });
    }

    @Override
    public void unsubscribe(String alias, String topic) {
        onLoop("unsubscribe", () -> {
            AgentSocket s = subscriber(alias, topic);
            if (!subscribed(s, topic)) {
                List<String> topics = new ArrayList<>(s.defaultTopics);
                topics.addAll(s.topicHandlers.keySet());
                throw new AgentException("Agent '" + name + "' socket '" + alias + "' is not subscribed to topic '"
                        + topic + "' (topics: " + topics + ")");
            }
            s.defaultTopics.remove(topic);
            s.topicHandlers.remove(topic);
            s.socket.unsubscribe(topic.getBytes(StandardCharsets.UTF_8));
            return null;
        });
    }

    private AgentSocket subscriber(String alias, String topic) {
        AgentSocket s = socket(alias);
        if (s.pattern != Pattern.SUB && s.pattern != Pattern.SYNC_SUB) {
            throw new PatternMismatchException("Agent '" + name + "' cannot subscribe socket '" + alias + "' to topic '"
                    + topic + "': it is " + s.pattern + "; topics need a SUB or SYNC_SUB socket");
        }
        return s;
    }

    private static boolean subscribed(AgentSocket s, String topic) {
        return s.defaultTopics.contains(topic) || s.topicHandlers.containsKey(topic);
    }

    // ---------------------------------------------------------------- messages

    @Override
    public void send(String alias, Object message) {
        send(alias, "", message);
    }

    @Override
    public void send(String alias, String topic, Object message) {
        if (Thread.currentThread() == thread) {
            // The common case, a handler or timer sending: no task object, a direct call.
            sendHere(alias, topic, message);
            return;
        }
        onLoop("send", () -> {
            sendHere(alias, topic, message);
            return null;
        }, settings.timeout());
    }

    private void sendHere(String alias, String topic, Object message) {
        AgentSocket s = sendingSocket(alias, topic);
        if (s.requestsAsync()) {
            sendRequest(s, message, RequestOptions.defaults());
        } else {
            transmit(s, topic, encode(s, message, topic, 0, false));
        }
    }

    @Override
    public void request(String alias, Object request, RequestOptions requestOptions) {
        onLoop("request", () -> {
            sendRequest(asyncRequester(alias), request, requestOptions);
            return null;
        }, settings.timeout());
    }

    /** Sends an asynchronous request another process encoded, for a remote proxy. */
    void sendRequestEncoded(String alias, EncodedPayload request, RequestOptions requestOptions) {
        onLoop("send", () -> {
            AgentSocket s = asyncRequester(alias);
            long id = pending.nextId();
            sendOn(s, s.requestSocket(), null, null, EnvelopeFrames.single(
                    envelopes.frame(envelopeOf(request, "").setCorrelationId(id).build())));
            remember(s, id, request, requestOptions);
            return null;
        }, settings.timeout());
    }

    private AgentSocket asyncRequester(String alias) {
        AgentSocket s = socket(alias);
        if (!s.requestsAsync()) {
            throw new PatternMismatchException("Agent '" + name + "' cannot send an asynchronous request on socket '"
                    + alias + "': it is " + s.pattern + "; asynchronous requests need ASYNC_REQ or SYNC_SUB");
        }
        return s;
    }

    private void sendRequest(AgentSocket s, Object request, RequestOptions requestOptions) {
        long id = pending.nextId();
        sendOn(s, s.requestSocket(), null, null, encode(s, request, "", id, false));
        remember(s, id, request, requestOptions);
    }

    private void remember(AgentSocket s, long id, Object request, RequestOptions requestOptions) {
        SocketHandler handler = requestOptions.handler();
        SocketDispatch dispatch = handler == null ? null
                : SocketDispatch.resolve(handler, Pattern.ASYNC_REQ, name, s.alias, methods());
        Duration wait = requestOptions.waitAtMost();
        long deadline = wait == null ? Long.MAX_VALUE : System.nanoTime() + wait.toNanos();
        pending.add(new PendingRequests.Pending(id, s.alias, request, dispatch, deadline,
                wait == null ? 0 : wait.toMillis(), requestOptions.onNoReply()));
    }

    /**
     * Sends a payload another process encoded (a remote proxy's {@code send}), as it is: this host
     * never decodes it, so it needs none of the sender's classes.
     */
    void sendEncoded(String alias, String topic, EncodedPayload payload) {
        if (payload.codecId().equals(EnvelopeCodec.BATCH_CODEC)) {
            throw new MessageEncodingException("Agent '" + name + "' cannot send a payload of codec '"
                    + EnvelopeCodec.BATCH_CODEC + "' on socket '" + alias + "': the id is reserved for batches", null);
        }
        onLoop("send", () -> {
            AgentSocket s = sendingSocket(alias, topic);
            if (s.requestsAsync()) {
                sendRequestEncoded(alias, payload, RequestOptions.defaults());
                return null;
            }
            byte[] frame = s.raw() ? payload.bytes() : envelopes.frame(envelopeOf(payload, topic).build());
            transmit(s, topic, EnvelopeFrames.single(frame));
            return null;
        }, settings.timeout());
    }

    private Envelope.Builder envelopeOf(EncodedPayload payload, String topic) {
        return Envelope.newBuilder().setVersion(EnvelopeCodec.VERSION).setCodec(payload.codecId())
                .setPayloadType(payload.payloadType()).setPayload(ByteString.copyFrom(payload.bytes()))
                .setSender(name).setTopic(topic);
    }

    private AgentSocket sendingSocket(String alias, String topic) {
        AgentSocket s = socket(alias);
        if (!s.sends()) {
            throw new PatternMismatchException("Agent '" + name + "' cannot send on socket '" + alias + "': it is "
                    + s.pattern + (s.pattern == Pattern.ASYNC_REP ? ", whose handler replies by returning a value"
                    : ", which only receives"));
        }
        if (s.pattern == Pattern.REP && s.dispatch != null) {
            throw new PatternMismatchException("Agent '" + name + "' cannot send on socket '" + alias
                    + "': its handler replies by returning a value");
        }
        if (!topic.isEmpty() && s.pattern != Pattern.PUB && s.pattern != Pattern.SYNC_PUB) {
            throw new PatternMismatchException("Agent '" + name + "' cannot send topic '" + topic + "' on socket '"
                    + alias + "': topics need a PUB or SYNC_PUB socket, this one is " + s.pattern);
        }
        return s;
    }

    private EnvelopeFrames encode(AgentSocket s, @Nullable Object message, String topic, long correlationId,
                                  boolean error) {
        // Error reports are text whatever the socket's codec, so a raw or protobuf socket can carry them.
        Codec codec = error ? Codec.STRING : s.address.codec();
        try {
            if (s.raw()) {
                return EnvelopeFrames.single(envelopes.wrap(message, codec).getPayload().toByteArray());
            }
            // Over inproc every payload rides along with its envelope (CarriedPayloadMsg), so none is
            // copied into an envelope and out again.
            return envelopes.encodeFrames(message, codec, name, topic, correlationId, error,
                    s.inproc ? 0 : EnvelopeCodec.DETACHED_PAYLOAD_BYTES, options.shareSentArrays());
        } catch (MessageEncodingException e) {
            throw new MessageEncodingException("Agent '" + name + "' cannot send on socket '" + s.alias + "': "
                    + e.getMessage(), e);
        }
    }

    private void transmit(AgentSocket s, String topic, EnvelopeFrames frames) {
        // An envelope and its length prefix take at most 5 bytes more than the envelope.
        int size = frames.envelope().length + 5;
        if (options.batchSends() > 1 && s.pattern == Pattern.PUSH && !s.raw() && !s.inproc
                && frames.payload() == null && size <= batchRoom) {
            List<byte[]> batch = s.batched;
            if (batch == null) {
                batch = new ArrayList<>();
                s.batched = batch;
            }
            if (s.batchedBytes + size > batchRoom) {
                flushBatch(s, false);
            }
            batch.add(frames.envelope());
            s.batchedBytes += size;
            batchesPending = true;
            if (batch.size() >= options.batchSends()) {
                flushBatch(s, true);
            }
            return;
        }
        // What was batched goes first, so the socket's messages keep their order.
        flushBatch(s, false);
        sendOn(s, s.socket, null, s.topicFramed() ? topic : null, frames);
    }

    /**
     * Sends what a socket batched as one frame; on failure the batch's messages are counted as
     * dropped (but for the caller's own, the last, when {@code callersOwn}: the failure thrown to
     * it reports that one) and logged, and the failure is thrown.
     */
    private void flushBatch(AgentSocket s, boolean callersOwn) {
        if (!s.hasBatched()) {
            return;
        }
        List<byte[]> batch = s.batched;
        int count = batch.size();
        try {
            byte[] frame = count == 1 ? batch.get(0) : envelopes.batchFrame(name, batch);
            sendOn(s, s.socket, null, null, EnvelopeFrames.single(frame));
            s.counters.sentMore(count - 1);
        } catch (RuntimeException e) {
            int lost = callersOwn ? count - 1 : count;
            if (lost > 0) {
                dropped.addAndGet(lost);
                error("dropped " + lost + " batched message(s) on socket '" + s.alias + "': " + e.getMessage(), null);
            }
            throw e;
        } finally {
            batch.clear();
            s.batchedBytes = 0;
        }
    }

    /** Sends every socket's batch: the loop's turn, or the agent, ends. A failure is logged and counted. */
    private void flushBatches() {
        batchesPending = false;
        for (AgentSocket s : socketList) {
            try {
                flushBatch(s, false);
            } catch (RuntimeException e) {
                // Counted and logged by flushBatch; the loop carries on.
            }
        }
    }

    /** Sends one message on a ZeroMQ socket of {@code s}: identity and topic frames first when given. */
    private void sendOn(AgentSocket s, ZMQ.Socket zs, byte @Nullable [] identity, @Nullable String topic,
                        EnvelopeFrames frames) {
        byte[] payload = frames.payload();
        long deadline = 0;
        long wait = 0;
        while (true) {
            boolean sent;
            try {
                // All frames or none: ZeroMQ accepts the rest once it accepted the first.
                sent = (identity == null || zs.sendMore(identity))
                        && (topic == null || zs.sendMore(topic.getBytes(StandardCharsets.UTF_8)))
                        && (payload == null ? zs.send(frames.envelope())
                                : s.inproc ? Frames.sendCarried(zs, frames.envelope(), payload)
                                : zs.sendMore(frames.envelope()) && zs.send(payload));
            } catch (ZMQException e) {
                throw new PatternMismatchException("Agent '" + name + "' cannot send on socket '" + s.alias + "' ("
                        + s.pattern + ") now: " + e.getMessage()
                        + (s.pattern == Pattern.REP ? " (a REP socket must receive a request before it replies)" : ""));
            }
            if (sent) {
                s.counters.sent();
                return;
            }
            if (state != State.RUNNING && state != State.STARTING) {
                throw new AgentNotRunningException("Agent '" + name + "' stopped while socket '" + s.alias + "' ("
                        + s.pattern + " " + s.address.endpoint() + ") waited for a peer to take a message");
            }
            if (deadline == 0) {
                // Only a send that had to wait reads the clock.
                wait = callerWaitNanos(settings.timeout().toNanos());
                deadline = System.nanoTime() + wait;
            } else if (System.nanoTime() - deadline >= 0) {
                throw new AgentTimeoutException("Agent '" + name + "' could not send on socket '" + s.alias + "' ("
                        + s.pattern + " " + s.address.endpoint() + ") within " + waited(wait, settings.timeout())
                        + ": no peer took the message");
            }
        }
    }

    @Override
    public <T> T recv(String alias, Class<T> type) {
        return recv(alias, type, settings.timeout());
    }

    @Override
    public <T> T recv(String alias, Class<T> type, Duration timeout) {
        return onLoop("recv", () -> doRecv(alias, type, timeout), timeout);
    }

    @Override
    public <T> T sendRecv(String alias, Object request, Class<T> type) {
        return onLoop("sendRecv", () -> {
            send(alias, request);
            return doRecv(alias, type, settings.timeout());
        }, settings.timeout());
    }

    private <T> T doRecv(String alias, Class<T> type, Duration timeout) {
        AgentSocket s = socket(alias);
        EnvelopeView envelope = receiveEnvelope(alias, timeout);
        try {
            return decode(s, envelope, type);
        } catch (MessageDecodingException e) {
            dropped.incrementAndGet();
            throw new MessageDecodingException("Agent '" + name + "' cannot decode a message on socket '" + alias
                    + "' as " + type.getName() + ": " + e.getMessage(), e);
        }
    }

    /** Decodes a payload as {@code type}; a raw socket's frames carry no codec id, so the receiver's type picks one. */
    private <T> T decode(AgentSocket s, EnvelopeView envelope, Class<T> type) {
        if (s.raw() && envelope.codec().equals(Codec.AUTO.id())) {
            envelope = envelope.withCodec(rawCodecFor(type).id());
        }
        return envelopes.payload(envelope, type);
    }

    private static Codec rawCodecFor(Class<?> type) {
        if (type == byte[].class) {
            return Codec.RAW;
        }
        if (type == String.class || type == Object.class || type == CharSequence.class) {
            return Codec.STRING;
        }
        if (com.google.protobuf.MessageLite.class.isAssignableFrom(type)) {
            return Codec.PROTOBUF;
        }
        return Codec.JSON;
    }

    /** Receives a message as its codec encoded it, for a remote proxy, which decodes it itself. */
    EncodedPayload recvEncoded(String alias, Duration timeout) {
        return onLoop("recv", () -> encoded(receiveEnvelope(alias, timeout)), timeout);
    }

    /** Sends an encoded request and receives the encoded reply, for a remote proxy's {@code sendRecv}. */
    EncodedPayload sendRecvEncoded(String alias, EncodedPayload request, Duration timeout) {
        return onLoop("sendRecv", () -> {
            sendEncoded(alias, "", request);
            return encoded(receiveEnvelope(alias, timeout));
        }, timeout);
    }

    private static EncodedPayload encoded(EnvelopeView envelope) {
        return new EncodedPayload(envelope.codec(), envelope.payloadType(), envelope.payload());
    }

    private EnvelopeView receiveEnvelope(String alias, Duration timeout) {
        AgentSocket s = socket(alias);
        if (s.dispatch != null || !s.topicHandlers.isEmpty()) {
            throw new PatternMismatchException("Agent '" + name + "' cannot recv on socket '" + alias
                    + "': its handler receives its messages");
        }
        if (s.pattern.serverOnly() || s.pattern == Pattern.ASYNC_REQ) {
            throw new PatternMismatchException("Agent '" + name + "' cannot recv on socket '" + alias + "': it is "
                    + s.pattern + ", whose messages go to handlers");
        }
        if (!s.pattern.receives() && s.pattern != Pattern.REQ) {
            throw new PatternMismatchException("Agent '" + name + "' cannot recv on socket '" + alias + "': it is "
                    + s.pattern + ", which only sends");
        }
        EnvelopeView envelope = s.unpacked == null ? null : s.unpacked.poll();
        if (envelope == null) {
            long wait = callerWaitNanos(timeout.toNanos());
            s.socket.setReceiveTimeOut(wait == 0 ? 0 : (int) Math.min(Integer.MAX_VALUE,
                    Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait))));
            List<byte[]> frames = Frames.read(s.socket, 0);
            if (frames == null) {
                throw new AgentTimeoutException("Agent '" + name + "' received nothing on socket '" + alias + "' ("
                        + s.pattern + ") within " + waited(wait, timeout));
            }
            s.counters.received();
            envelope = parseFrames(s, frames, s.topicFramed() ? 1 : 0);
            if (envelope.codec().equals(EnvelopeCodec.BATCH_CODEC)) {
                queueBatch(s, envelope);
                envelope = s.unpacked.poll();
            }
        }
        if (envelope.error()) {
            throw new RemoteAgentException("Agent '" + envelope.sender() + "' failed to handle the request sent by '"
                    + name + "' on socket '" + alias + "': " + envelope.payloadText());
        }
        return envelope;
    }

    /**
     * Parses the envelope that follows {@code headerFrames} frames (a topic, an identity), with the
     * payload frame after it when the envelope announces one. A raw socket's payload frame becomes
     * an envelope without sender; a raw subscriber also takes single-frame messages, as plain
     * ZeroMQ publishers send them. An inproc subscriber's frames may be shared with the other
     * subscribers of the same publisher, so its payloads are always copied.
     */
    private EnvelopeView parseFrames(AgentSocket s, List<byte[]> frames, int headerFrames) {
        int expected = headerFrames + 1;
        boolean rawSingle = s.raw() && headerFrames == 1 && s.topicFramed() && frames.size() == 1;
        boolean payloadFrame = !s.raw() && frames.size() == expected + 1;
        if (frames.size() != expected && !rawSingle && !payloadFrame) {
            dropped.incrementAndGet();
            throw new MessageDecodingException("Agent '" + name + "' got a " + frames.size() + "-frame message on socket '"
                    + s.alias + "' (" + s.pattern + " expects " + expected + ")");
        }
        boolean shared = s.inproc && (s.pattern == Pattern.SUB || s.pattern == Pattern.SYNC_SUB);
        if (s.raw()) {
            EnvelopeView view = EnvelopeView.rawPayload(frames.get(frames.size() - 1), s.address.codec().id());
            return shared ? view.sharedFrame() : view;
        }
        try {
            EnvelopeView view = payloadFrame ? envelopes.read(frames.get(headerFrames), frames.get(expected))
                    : envelopes.read(frames.get(headerFrames));
            return shared ? view.sharedFrame() : view;
        } catch (MessageDecodingException e) {
            dropped.incrementAndGet();
            throw new MessageDecodingException("Agent '" + name + "' got an unreadable message on socket '" + s.alias
                    + "': " + e.getMessage(), e);
        }
    }

    /** Handles one message that arrived on {@code zs}, one of the ZeroMQ sockets of {@code s}. */
    private void receiveOne(AgentSocket s, ZMQ.Socket zs, List<byte[]> frames) {
        s.counters.received();
        if ((s.pattern == Pattern.ASYNC_REP || s.pattern == Pattern.SYNC_PUB) && zs == s.routedSocket()) {
            byte[] identity = frames.get(0);
            answer(s, zs, identity, frames, 1);
        } else if (s.requestsAsync() && zs == s.requestSocket()) {
            takeReply(s, frames);
        } else if (s.pattern == Pattern.REP) {
            answer(s, zs, null, frames, 0);
        } else {
            deliver(s, frames);
        }
    }

    /** A message for PULL, SUB and SYNC_SUB handlers: by topic, to the socket's handler and topic handlers. */
    private void deliver(AgentSocket s, List<byte[]> frames) {
        String topic = s.topicFramed() && frames.size() > 1 ? new String(frames.get(0), StandardCharsets.UTF_8) : "";
        EnvelopeView envelope;
        try {
            envelope = parseFrames(s, frames, s.topicFramed() ? 1 : 0);
            if (envelope.error()) {
                dropped.incrementAndGet();
                throw errorReport(envelope);
            }
        } catch (MessageDecodingException e) {
            logDropped(s, e);
            return;
        }
        if (envelope.codec().equals(EnvelopeCodec.BATCH_CODEC)) {
            try {
                queueBatch(s, envelope);
            } catch (MessageDecodingException e) {
                logDropped(s, e);
                return;
            }
            deliverQueued(s);
            return;
        }
        deliverOne(s, topic, envelope);
    }

    /**
     * Puts the messages of a batch in the socket's queue, where handlers or {@code recv} take them;
     * a batch that is malformed, or comes to a socket other than PULL (only PUSH sockets send
     * them), is dropped and counted.
     */
    private void queueBatch(AgentSocket s, EnvelopeView batch) {
        if (s.pattern != Pattern.PULL) {
            dropped.incrementAndGet();
            throw new MessageDecodingException("Agent '" + name + "' got a batch on socket '" + s.alias + "' ("
                    + s.pattern + "); only PULL sockets take batches");
        }
        List<EnvelopeView> views;
        try {
            views = envelopes.readBatch(batch);
        } catch (MessageDecodingException e) {
            dropped.incrementAndGet();
            throw new MessageDecodingException("Agent '" + name + "' got an unreadable batch on socket '" + s.alias
                    + "': " + e.getMessage(), e);
        }
        s.counters.receivedMore(views.size() - 1);
        if (s.unpacked == null) {
            s.unpacked = new ArrayDeque<>();
        }
        s.unpacked.addAll(views);
    }

    /**
     * Hands queued messages of a batch to the socket's handler, one by one, while the agent runs,
     * is not paused and the socket is open, as {@link #drain} does with frames.
     */
    private boolean deliverQueued(AgentSocket s) {
        Deque<EnvelopeView> queued = s.unpacked;
        boolean worked = false;
        EnvelopeView one;
        while (queued != null && state == State.RUNNING && !paused && s.open && s.dispatch != null
                && (one = queued.poll()) != null) {
            worked = true;
            if (one.error()) {
                dropped.incrementAndGet();
                logDropped(s, errorReport(one));
                continue;
            }
            deliverOne(s, "", one);
        }
        return worked;
    }

    /** Why a message that is an error report, where a value was expected, is dropped. */
    private static MessageDecodingException errorReport(EnvelopeView envelope) {
        return new MessageDecodingException("it is an error report from '" + envelope.sender() + "': "
                + envelope.payloadText());
    }

    /** One message for PULL, SUB and SYNC_SUB handlers, read and checked. */
    private void deliverOne(AgentSocket s, String topic, EnvelopeView envelope) {
        SocketDispatch main = s.dispatch;
        if (main != null && (!s.topicFramed() || startsWithAny(topic, s.defaultTopics))) {
            handleMessage(s, main, topic, envelope);
        }
        if (s.topicHandlers.isEmpty()) {
            return;
        }
        for (Map.Entry<String, SocketDispatch> entry : List.copyOf(s.topicHandlers.entrySet())) {
            if (topic.startsWith(entry.getKey())) {
                handleMessage(s, entry.getValue(), topic, envelope);
            }
        }
    }

    private static boolean startsWithAny(String topic, Iterable<String> prefixes) {
        for (String prefix : prefixes) {
            if (topic.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private void handleMessage(AgentSocket s, SocketDispatch dispatch, String topic, EnvelopeView envelope) {
        Object message;
        try {
            message = decode(s, envelope, dispatch.type());
        } catch (MessageDecodingException e) {
            dropped.incrementAndGet();
            logDropped(s, e);
            return;
        }
        long startedNanos = s.counters.timesNextHandler() ? System.nanoTime() : 0;
        try {
            dispatch.handle(instance(), topic, message);
            s.counters.handled(startedNanos, false);
        } catch (Exception e) {
            s.counters.handled(startedNanos, true);
            handlerFailed("handler of socket '" + s.alias + "'", e);
        }
    }

    /** A request for REP, ASYNC_REP and SYNC_PUB handlers, answered exactly once whatever the handler does. */
    private void answer(AgentSocket s, ZMQ.Socket zs, byte @Nullable [] identity, List<byte[]> frames,
                        int headerFrames) {
        SocketDispatch dispatch = s.dispatch;
        EnvelopeView envelope;
        try {
            envelope = parseFrames(s, frames, headerFrames);
        } catch (MessageDecodingException e) {
            logDropped(s, e);
            new SocketReplier(s, zs, identity, 0).replyError("the request could not be decoded: " + e.getMessage());
            return;
        }
        SocketReplier replier = new SocketReplier(s, zs, identity, envelope.correlationId());
        if (dispatch == null) {
            replier.replyError("socket '" + s.alias + "' of agent '" + name + "' has no handler");
            return;
        }
        Object request;
        try {
            if (envelope.error()) {
                // Counted once, below, like a request that does not decode.
                throw errorReport(envelope);
            }
            request = decode(s, envelope, dispatch.type());
        } catch (MessageDecodingException e) {
            dropped.incrementAndGet();
            logDropped(s, e);
            replier.replyError("the request could not be decoded: " + e.getMessage());
            return;
        }
        long startedNanos = s.counters.timesNextHandler() ? System.nanoTime() : 0;
        try {
            Object reply = dispatch.handle(instance(), "", request, replier);
            s.counters.handled(startedNanos, false);
            if (!replier.replied()) {
                if (dispatch.answersItself()) {
                    error("handler of socket '" + s.alias + "' returned without replying; the requester gets an"
                            + " error", null);
                    replier.replyError("the handler of socket '" + s.alias + "' of agent '" + name
                            + "' returned without replying");
                } else {
                    replier.reply(reply);
                }
            }
        } catch (Exception e) {
            s.counters.handled(startedNanos, true);
            handlerFailed("handler of socket '" + s.alias + "'", e);
            replier.replyError(e.toString());
        }
    }

    /** A reply to one of this agent's asynchronous requests: to its request's handler, else the socket's. */
    private void takeReply(AgentSocket s, List<byte[]> frames) {
        EnvelopeView envelope;
        try {
            envelope = parseFrames(s, frames, 0);
        } catch (MessageDecodingException e) {
            logDropped(s, e);
            return;
        }
        PendingRequests.Pending request = pending.answered(envelope.correlationId());
        if (request == null) {
            dropped.incrementAndGet();
            warn("received a reply to an unknown request " + envelope.correlationId() + " on socket '" + s.alias
                    + "' (it came after its wait or was never asked); dropped");
            return;
        }
        if (envelope.error()) {
            error("request " + request.id() + " on socket '" + s.alias + "' failed at '" + envelope.sender()
                    + "': " + envelope.payloadText(), null);
            return;
        }
        SocketDispatch handler = request.handler() != null ? request.handler() : s.dispatch;
        if (handler == null) {
            dropped.incrementAndGet();
            warn("dropped the reply to request " + request.id() + " on socket '" + s.alias
                    + "': neither the request nor the socket has a handler");
            return;
        }
        handleMessage(s, handler, "", envelope);
    }

    /** Logs a message that was dropped (and already counted). */
    private void logDropped(AgentSocket s, MessageDecodingException e) {
        LOG.warn("Agent '{}' dropped a message on socket '{}' ({} dropped so far): {}", name, s.alias, dropped.get(),
                e.getMessage());
    }

    /** Answers one request on the socket it came from; a request gets exactly one answer. */
    private final class SocketReplier implements Replier {
        private final AgentSocket s;
        private final ZMQ.Socket zs;
        private final byte @Nullable [] identity;
        private final long correlationId;
        private boolean replied;

        SocketReplier(AgentSocket s, ZMQ.Socket zs, byte @Nullable [] identity, long correlationId) {
            this.s = s;
            this.zs = zs;
            this.identity = identity;
            this.correlationId = correlationId;
        }

        @Override
        public void reply(@Nullable Object reply) {
            if (Thread.currentThread() != thread) {
                throw new IllegalStateException("Agent '" + name + "' replies on socket '" + s.alias
                        + "' from its own loop thread only, while the handler runs");
            }
            if (replied) {
                throw new IllegalStateException("Agent '" + name + "' already replied to this request on socket '"
                        + s.alias + "': a request gets exactly one reply");
            }
            EnvelopeFrames frames = encode(s, reply, "", correlationId, false);
            replied = true;
            send(frames);
        }

        @Override
        public boolean replied() {
            return replied;
        }

        void replyError(String description) {
            if (replied) {
                return;
            }
            replied = true;
            send(encode(s, description, "", correlationId, true));
        }

        private void send(EnvelopeFrames frames) {
            if (!s.open) {
                return;
            }
            try {
                sendOn(s, zs, identity, null, frames);
            } catch (RuntimeException e) {
                LOG.error("Agent '{}' could not send its reply on socket '{}': {}", name, s.alias, e.toString());
            }
        }
    }

    private void handlerFailed(String where, Exception e) {
        metrics.failed();
        error(where + " failed: " + e, e);
        if (options.stopOnHandlerError()) {
            error("stops, as its options ask on a handler error", null);
            state = State.STOPPING;
        }
    }

    /** What the runtime reports about this agent reaches its logger agent too, as osBrain's own warnings do. */
    private void warn(String message) {
        agentLog.warn("[{}] {}", name, message);
        publishLogIfConnected("WARN", message);
    }

    private void error(String message, @Nullable Throwable failure) {
        agentLog.error("[{}] {}", name, message, failure);
        publishLogIfConnected("ERROR", message);
    }

    private void publishLogIfConnected(String level, String message) {
        if (loggerSocket != null && Thread.currentThread() == thread) {
            publishLog(level, message);
        }
    }

    // ---------------------------------------------------------------- timers

    @Override
    public String each(Duration period, TimerAction action) {
        return schedule("each", null, period, period, action);
    }

    @Override
    public String each(Duration period, TimerAction action, String alias) {
        return schedule("each", alias, period, period, action);
    }

    @Override
    public String after(Duration delay, TimerAction action) {
        return schedule("after", null, delay, Duration.ZERO, action);
    }

    @Override
    public String after(Duration delay, TimerAction action, String alias) {
        return schedule("after", alias, delay, Duration.ZERO, action);
    }

    @Override
    public String each(Duration period, String method, @Nullable Object... args) {
        return schedule("each", null, period, period, agent -> methods().call(method, args));
    }

    @Override
    public String after(Duration delay, String method, @Nullable Object... args) {
        return schedule("after", null, delay, Duration.ZERO, agent -> methods().call(method, args));
    }

    private String schedule(String operation, @Nullable String alias, Duration delay, Duration period, TimerAction action) {
        if (delay.isNegative() || period.isNegative() || (operation.equals("each") && period.isZero())) {
            throw new IllegalArgumentException("Timer of agent '" + name + "' needs a positive period and a"
                    + " non-negative delay, got delay " + delay + " and period " + period);
        }
        return onLoop(operation, () -> timers.schedule(alias, delay.toNanos(), period.toNanos(), action, System.nanoTime()));
    }

    @Override
    public void stopTimer(String alias) {
        onLoop("stopTimer", () -> {
            timers.stop(alias);
            return null;
        });
    }

    @Override
    public void stopAllTimers() {
        onLoop("stopAllTimers", () -> {
            timers.stopAll();
            return null;
        });
    }

    @Override
    public List<String> listTimers() {
        return onLoop("listTimers", timers::aliases);
    }

    // ---------------------------------------------------------------- attributes and methods

    @Override
    public void setAttr(String attribute, @Nullable Object value) {
        onLoop("setAttr", () -> {
            attributes().set(attribute, value);
            return null;
        });
    }

    @Override
    public void setAttrs(Map<String, ?> values) {
        onLoop("setAttrs", () -> {
            values.forEach(attributes()::set);
            return null;
        });
    }

    @Override
    public @Nullable Object getAttr(String attribute) {
        return onLoop("getAttr", () -> attributes().get(attribute));
    }

    @Override
    public <T> @Nullable T getAttr(String attribute, Class<T> type) {
        return onLoop("getAttr", () -> attributes().get(attribute, type));
    }

    @Override
    public void setMethod(String method, AgentMethod body) {
        onLoop("setMethod", () -> {
            methods().add(method, body);
            return null;
        });
    }

    @Override
    public void setMethod(AgentMethod... bodies) {
        setMethods(AgentMethods.byReferenceName(name, bodies));
    }

    @Override
    public void setMethods(Map<String, ? extends AgentMethod> bodies) {
        Map<String, AgentMethod> copy = new LinkedHashMap<>(bodies);
        onLoop("setMethods", () -> {
            copy.forEach(methods()::add);
            return null;
        });
    }

    @Override
    public @Nullable Object executeAsFunction(AgentFunction function, @Nullable Object... args) {
        return onLoop("executeAsFunction", () -> executed("function", () -> function.apply(args)));
    }

    @Override
    public @Nullable Object executeAsMethod(AgentMethod method, @Nullable Object... args) {
        return onLoop("executeAsMethod", () -> executed("method", () -> method.invoke(instance(), args)));
    }

    private @Nullable Object executed(String what, Callable<@Nullable Object> body) {
        try {
            return body.call();
        } catch (Exception e) {
            throw new RemoteAgentException("Agent '" + name + "': the " + what + " it executed failed: " + e, e);
        }
    }

    @Override
    public @Nullable Object call(String method, @Nullable Object... args) {
        return onLoop("call " + method, () -> methods().call(method, args));
    }

    @Override
    public <T> @Nullable T call(Class<T> resultType, String method, @Nullable Object... args) {
        return castResult(method, resultType, call(method, args));
    }

    <T> @Nullable T castResult(String method, Class<T> resultType, @Nullable Object result) {
        if (result == null || resultType == void.class || resultType == Void.class) {
            return null;
        }
        Class<?> boxed = Boxing.box(resultType);
        if (!boxed.isInstance(result)) {
            throw new ClassCastException("Method '" + method + "' of agent '" + name + "' returned a "
                    + result.getClass().getName() + ", not a " + resultType.getName());
        }
        @SuppressWarnings("unchecked")
        T cast = (T) boxed.cast(result);
        return cast;
    }

    // ---------------------------------------------------------------- logging

    @Override
    public void setLogger(AgentAddress loggerAddress) {
        onLoop("setLogger", () -> {
            if (loggerAddress.pattern() != Pattern.SUB) {
                throw new PatternMismatchException("Agent '" + name + "' logs to a logger's SUB address, not to "
                        + loggerAddress);
            }
            ZMQ.Socket previous = loggerSocket;
            if (previous != null) {
                previous.close();
            }
            ZMQ.Socket socket = newSocket(SocketType.PUB, Pattern.PUB);
            connectTo(socket, loggerAddress.endpoint(), "logger", Pattern.PUB);
            loggerSocket = socket;
            return null;
        });
    }

    @Override
    public void log(String level, String message) {
        String upper = level.toUpperCase(java.util.Locale.ROOT);
        switch (upper) {
            case "INFO" -> agentLog.info("[{}] {}", name, message);
            case "WARN", "WARNING" -> agentLog.warn("[{}] {}", name, message);
            case "ERROR" -> agentLog.error("[{}] {}", name, message);
            case "DEBUG" -> agentLog.debug("[{}] {}", name, message);
            default -> throw new IllegalArgumentException("Agent '" + name + "' logs at INFO, WARN, ERROR or DEBUG,"
                    + " not '" + level + "'");
        }
        if (loggerSocket == null) {
            return;
        }
        String topic = upper.equals("WARNING") ? "WARN" : upper;
        if (Thread.currentThread() == thread) {
            publishLog(topic, message);
        } else {
            post("log", () -> {
                publishLog(topic, message);
                return null;
            });
        }
    }

    /** Publishes one line to the logger agent, as the ZeroMqPublisher appender does: [level][string envelope]. */
    private void publishLog(String level, String message) {
        ZMQ.Socket socket = loggerSocket;
        if (socket == null) {
            return;
        }
        byte[] frame = envelopes.frame(envelopes.wrap("[" + name + "] " + message, Codec.STRING).setSender(name)
                .setTopic(level).build());
        // A logger that is slow or gone must not stall the agent: drop the line rather than wait.
        if (!socket.sendMore(level.getBytes(StandardCharsets.UTF_8)) || !socket.send(frame, ZMQ.DONTWAIT)) {
            dropped.incrementAndGet();
        }
    }

    @Override
    public void logInfo(String message) {
        log("INFO", message);
    }

    @Override
    public void logWarning(String message) {
        log("WARN", message);
    }

    @Override
    public void logError(String message) {
        log("ERROR", message);
    }

    @Override
    public void logDebug(String message) {
        log("DEBUG", message);
    }

    @Override
    public String toString() {
        return "Agent[" + name + ", " + state + "]";
    }
}
