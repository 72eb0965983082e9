package io.zeroagents.runtime.internal;

import io.zeroagents.AgentException;
import io.zeroagents.AgentNotRunningException;
import io.zeroagents.AgentTimeoutException;
import io.zeroagents.RemoteAgentException;
import io.zeroagents.settings.ZeroAgentsSettings;
import io.zeroagents.transport.PollingWindow;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.jspecify.annotations.Nullable;

/**
 * An agent's loop thread, its states and its cross-thread task queue: what the agent does
 * ({@link Body}) runs on this thread only.
 *
 * <p>Every operation called from another thread is queued as a task and its caller waits for the
 * result ({@link #onLoop}), up to the agent's timeout or, for a caller in another process, up to
 * that caller's own deadline. The loop sleeps as {@link LoopWait} says: on the task queue, in the
 * receive of the one socket it watches, or on a selector over several; a queued task wakes it
 * wherever it sleeps. After calls from another process in a row it polls for a while before it
 * sleeps ({@link #ranRemoteCall}).
 */
final class AgentLoop {
    private static final Logger LOG = LogManager.getLogger(AgentLoop.class);
    /** The key of the agent's name in Log4j's ThreadContext on the agent's thread. */
    static final String LOG_CONTEXT_KEY = "agent";
    /** {@link #callerDeadline} when no caller waits for the task running (or none runs). */
    static final long NO_CALLER_DEADLINE = Long.MIN_VALUE;
    /** What a task's send or receive leaves of its caller's wait: they notice their end up to one slice late. */
    private static final long WAIT_SLACK_NANOS = 2 * TimeUnit.MILLISECONDS.toNanos(AgentSocketFactory.SEND_SLICE_MILLIS);
    /**
     * The deadline ({@link System#nanoTime()}) of the remote proxy's caller that the current thread
     * serves, set by the control endpoint's workers ({@link #forRemoteCaller}): what they ask of an
     * agent's loop gives up by then, as it does for a caller in this process.
     */
    private static final ThreadLocal<Long> REMOTE_CALLER_DEADLINE = new ThreadLocal<>();

    /** The stages of an agent's life; only forward. */
    enum State { STARTING, RUNNING, STOPPING, STOPPED }

    /** What the loop runs: the agent's start, each turn's work, its waits' ends and its end. */
    interface Body {
        /** Makes the agent's instance, before it counts as running. */
        void create() throws Exception;

        /** Runs {@code onInit}, once the agent counts as running; a failure ends the agent. */
        void init() throws Exception;

        /** Runs once before the first turn ({@code beforeLoop}). */
        void beforeLoop();

        /** Fires due timers, expires requests and receives, while not paused; whether it did anything. */
        boolean work();

        /** Ends a turn of the loop, worked or not: sends what the turn batched. */
        void endTurn();

        /** Nanoseconds until the next timer or request deadline, -1 for none. */
        long nanosUntilNext(long now);

        /** Whether a timer or a request deadline is pending. */
        boolean hasDeadlines();

        /** Handles a message that arrived while the loop slept in a socket's receive. */
        void arrived(LoopWait.Arrival arrival);

        /** Calls the agent's {@code idle()} hook. */
        void idle();

        /** Closes timers and sockets as the loop ends. */
        void close();

        /** Called last, once the loop is {@link State#STOPPED} and orphaned tasks are answered. */
        void ended();
    }

    private final String name;
    private final Duration timeout;
    /** The most tasks {@link #tasks} holds; one more is refused ({@code zeroagents.loop.max.tasks}). */
    private final int maxTasks;
    /** Set by {@link #start}, before the thread starts. */
    private @Nullable Body body;
    private final Thread thread;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    /** Whether {@link #tasks} may hold a task; written holding its monitor, read by the loop without. */
    private volatile boolean tasksQueued;
    private final LoopWait loopWait;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile State state = State.STARTING;
    /** Set by {@link #pause()}: handlers and timers wait until {@link #unpause()}. */
    private volatile boolean paused;

    // Loop thread only.
    /** When the caller of the task now running gives up waiting ({@link System#nanoTime()}). */
    private long callerDeadline = NO_CALLER_DEADLINE;
    /** The idle period, when the agent overrides {@code idle()}; else {@code null}. */
    private @Nullable Duration idlePeriod;
    private long lastActivityNanos = System.nanoTime();
    /** When the loop polls after calls from another process in a row ({@link #ranRemoteCall}); none yet. */
    private @Nullable PollingWindow afterRemoteCalls;
    /** Set while the stopping loop handles what its sockets already received ({@link #drainWhileStopping}). */
    private boolean draining;

    /**
     * @param name      the agent's name, for the thread and errors
     * @param timeout   how long a caller waits for the loop to run its operation
     * @param spinNanos how long the loop polls before it sleeps ({@code AgentOptions.spinWait})
     * @param maxTasks  the most tasks the loop queues ({@code zeroagents.loop.max.tasks})
     */
    AgentLoop(String name, Duration timeout, long spinNanos, int maxTasks) {
        this.name = name;
        this.timeout = timeout;
        this.maxTasks = maxTasks;
        this.loopWait = new LoopWait(name, tasks, spinNanos, () -> tasksQueued || state != State.RUNNING);
        this.thread = new Thread(this::run, "agent-" + name);
        this.thread.setDaemon(true);
    }

    /** How the loop sleeps; sockets register with it. */
    LoopWait loopWait() {
        return loopWait;
    }

    /** Starts the loop running {@code body} and waits until its {@code init} has run. */
    void start(Body body) {
        this.body = body;
        thread.start();
        try {
            started.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (TimeoutException e) {
            // The loop stops as soon as onInit returns, so no half-started agent keeps running.
            requestStop();
            throw new AgentTimeoutException("Agent '" + name + "' did not finish onInit within "
                    + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException("Interrupted while starting agent '" + name + "'", e);
        }
    }

    /** Has the loop call the agent's {@code idle()} hook after {@code period} without work. */
    void wakeForIdle(Duration period) {
        idlePeriod = period;
    }

    private void run() {
        // Every line logged on the agent's thread, by the framework or by a handler, timer or
        // method, can name its agent: %X{agent} in a Log4j layout.
        ThreadContext.put(LOG_CONTEXT_KEY, name);
        Body body = java.util.Objects.requireNonNull(this.body);
        try {
            body.create();
            synchronized (tasks) {
                if (state != State.STARTING) {
                    throw new AgentTimeoutException("Agent '" + name + "' was abandoned while it started");
                }
                state = State.RUNNING;
            }
            body.init();
        } catch (Throwable t) {
            state = State.STOPPING;
            end(body);
            started.completeExceptionally(t);
            return;
        }
        started.complete(null);
        try {
            body.beforeLoop();
            while (state == State.RUNNING) {
                boolean worked = runTasks();
                if (!paused) {
                    worked |= body.work();
                }
                body.endTurn();
                if (worked) {
                    if (idlePeriod != null) {
                        lastActivityNanos = System.nanoTime();
                    }
                } else if (state == State.RUNNING) {
                    waitForWork(body);
                }
            }
        } catch (Throwable t) {
            LOG.error("Agent '{}' stopped: its loop failed", name, t);
        } finally {
            state = State.STOPPING;
            end(body);
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

    private void waitForWork(Body body) throws InterruptedException, IOException {
        Duration idle = paused ? null : idlePeriod;
        boolean timed = !paused && (body.hasDeadlines() || idle != null);
        long now = timed ? System.nanoTime() : 0;
        long wait = timed ? body.nanosUntilNext(now) : -1;
        if (idle != null) {
            long untilIdle = Math.max(0, lastActivityNanos + idle.toNanos() - now);
            wait = wait < 0 ? untilIdle : Math.min(wait, untilIdle);
        }
        if (wait == 0) {
            callIdleIfDue(body);
            return;
        }
        PollingWindow window = afterRemoteCalls;
        long pollNanos = window == null ? 0 : window.pollNanos(System.nanoTime());
        // A stopped agent leaves its messages in their sockets, so it must not wake on them.
        LoopWait.Arrival arrival = loopWait.await(wait, paused, Math.max(0, pollNanos),
                () -> tasks.isEmpty() && state == State.RUNNING);
        if (arrival != null) {
            if (arrival.owner().open && state == State.RUNNING) {
                body.arrived(arrival);
            }
            if (idlePeriod != null) {
                lastActivityNanos = System.nanoTime();
            }
            return;
        }
        callIdleIfDue(body);
    }

    private void callIdleIfDue(Body body) {
        Duration idle = idlePeriod;
        if (idle != null && state == State.RUNNING && !paused
                && System.nanoTime() - lastActivityNanos >= idle.toNanos()) {
            body.idle();
            lastActivityNanos = System.nanoTime();
        }
    }

    private void end(Body body) {
        try {
            body.close();
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
                body.ended();
            } finally {
                stopped.complete(null);
            }
            LOG.debug("Agent '{}' stopped", name);
        }
    }

    /**
     * Called on the loop as a call from another process ends: when the one before ended less than
     * {@link PollingWindow#IN_A_ROW_NANOS} earlier, a proxy is making calls one after another, and
     * the loop polls until {@code pollNanos} after this one before it sleeps, so the next call finds
     * it awake; a loop called now and then never polls.
     */
    void ranRemoteCall(long pollNanos) {
        PollingWindow window = afterRemoteCalls;
        if (window == null || window.windowNanos() != pollNanos) {
            window = PollingWindow.afterWorkInARow(pollNanos);
            afterRemoteCalls = window;
        }
        long now = System.nanoTime();
        window.began(now);
        window.ended(now);
    }

    /** How many times the loop went to sleep; for tests. */
    long sleeps() {
        return loopWait.sleeps();
    }

    // ---------------------------------------------------------------- state

    /** Whether the agent runs and is not paused. */
    boolean isRunning() {
        return state == State.RUNNING && !paused;
    }

    /** Whether the loop runs its turns (paused or not). */
    boolean running() {
        return state == State.RUNNING;
    }

    /** Whether handlers may be given messages now: the loop runs (or drains as it stops) and is not paused. */
    boolean delivering() {
        return (state == State.RUNNING || draining) && !paused;
    }

    /**
     * Runs {@code drain} on the stopping loop with handlers allowed to take messages, as
     * {@code shutdown()} does with what the agent's sockets already received; loop thread only.
     */
    void drainWhileStopping(Runnable drain) {
        draining = true;
        try {
            drain.run();
        } finally {
            draining = false;
        }
    }

    /** Whether the agent has not ended, even if it is stopped (paused). */
    boolean alive() {
        return state == State.RUNNING || state == State.STARTING;
    }

    boolean paused() {
        return paused;
    }

    /** Pauses handlers and timers; loop thread only. */
    void pause() {
        paused = true;
    }

    /** Resumes handlers and timers; loop thread only. */
    void unpause() {
        paused = false;
        lastActivityNanos = System.nanoTime();
    }

    /** Whether the calling thread is the loop thread. */
    boolean onLoopThread() {
        return Thread.currentThread() == thread;
    }

    /** Ends the loop after the current turn; called on the loop thread (a handler failed, or asked). */
    void stopFromLoop() {
        state = State.STOPPING;
    }

    /** Whether the loop has ended. */
    boolean ended() {
        return state == State.STOPPED;
    }

    /** Completes when the loop has ended and the agent's sockets are closed. */
    CompletableFuture<Void> stopped() {
        return stopped;
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

    /** Waits up to the timeout for the loop to end. */
    void awaitStopped() {
        long millis = timeout.toMillis();
        try {
            stopped.get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AgentTimeoutException("Agent '" + name + "' did not stop within " + millis
                    + " ms: a handler is busy or blocked");
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException("Interrupted while stopping agent '" + name + "'", e);
        }
    }

    @Override
    public String toString() {
        return state.toString();
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
    <T> T onLoop(String operation, Callable<T> action, Duration ownWait) {
        if (Thread.currentThread() == thread) {
            return callHere(action);
        }
        long now = System.nanoTime();
        long timeoutNanos = timeout.plus(ownWait).toNanos();
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
            if (tasks.size() >= maxTasks) {
                result.completeExceptionally(new AgentException("Agent '" + name + "' refused '" + operation + "': "
                        + tasks.size() + " calls wait for its loop already, the limit (" + ZeroAgentsSettings
                        .LOOP_MAX_TASKS.property() + "); its loop is busy or blocked, or calls come faster than it"
                        + " serves them"));
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
    long callerWaitNanos(long wait) {
        if (callerDeadline == NO_CALLER_DEADLINE) {
            return wait;
        }
        long left = callerDeadline - System.nanoTime() - WAIT_SLACK_NANOS;
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
    static String waited(long waitNanos, Duration asked) {
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

    /** The error of an operation asked of an agent that is not running. */
    AgentNotRunningException notRunning(String operation) {
        return new AgentNotRunningException("Agent '" + name + "' is not running (operation '" + operation + "')");
    }

    /** The exception a caller sees for a failure on the loop: runtime ones as they are. */
    static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new RemoteAgentException("Agent code failed: " + cause, cause);
    }
}
