package io.zeroagents.runtime.internal;

import io.zeroagents.transport.Frames;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * How an agent's loop sleeps until there is work: a queued task, a message on a socket it watches,
 * or the end of a wait (the next timer).
 *
 * <ul>
 *   <li>Watching no socket, the loop waits on its task queue's monitor.</li>
 *   <li>Watching one socket, the usual agent (a PULL, REP, SUB or ASYNC_REP with a handler), it
 *       blocks in that socket's own receive, as a plain ZeroMQ program does, and a queued task
 *       cancels the receive (JeroMQ's cancellation, a command to the socket's mailbox). This costs
 *       no file descriptor beyond the socket's own and one system call less per wake-up than a
 *       selector. JeroMQ times that receive with the wall clock, so a wait that the clock is set
 *       back during lasts that much longer (a timer ticks late once).</li>
 *   <li>Watching two or more, it opens a {@link Selector} over their mailboxes (two descriptors),
 *       kept until the agent ends.</li>
 * </ul>
 *
 * <p>With a spin ({@code AgentOptions.spinWait}, off by default), or for a while after calls from
 * another process in a row ({@code zeroagents.control.spin.micros}), the loop first polls its task
 * flag and its sockets without blocking for up to that long, so work that comes meanwhile is taken
 * without a thread wake-up. It yields the processor between polls: on a small machine the I/O
 * threads that bring that work must still run (a spin that did not yield gave remote calls to a
 * spinning agent a p99 of 4 ms, against 0.3 to 0.45 ms with yielding, on 2 cores).
 *
 * <p>The loop thread calls everything but {@link #wake()}, which any thread calls while holding the
 * task queue's monitor (the same monitor this class waits on), so a task queued just before the
 * loop goes to sleep is never missed.
 */
final class LoopWait {
    private final String agent;
    private final Object monitor;
    private final long spinNanos;
    /** Read without the monitor while spinning: whether a task is queued or the agent is stopping. */
    private final BooleanSupplier workQueued;
    private final List<Watched> watched = new ArrayList<>();
    private final Map<ZMQ.Socket, SelectionKey> keys = new IdentityHashMap<>();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private volatile @Nullable Selector selector;
    /** The socket whose receive timeout this class set last, and to what; loop thread only. */
    private ZMQ.@Nullable Socket timeoutSetOn;
    private int timeoutSet;
    // Guarded by the monitor.
    private ZMQ.@Nullable Socket receivingOn;
    private boolean cancelSent;
    /** How many times the loop went on to a blocking wait; written by the loop thread only. */
    private volatile long sleeps;

    /**
     * A message that arrived while the loop polled or slept in a socket's receive.
     *
     * @param owner  the agent's socket that {@code socket} belongs to
     * @param socket the ZeroMQ socket it came on (a SYNC channel has two under one alias)
     * @param frames the message's frames
     */
    record Arrival(AgentSocket owner, ZMQ.Socket socket, List<byte[]> frames) {
    }

    /** A ZeroMQ socket the loop wakes for, and the agent's socket it belongs to. */
    private record Watched(AgentSocket owner, ZMQ.Socket socket) {
    }

    /**
     * @param agent      the agent's name, for errors
     * @param monitor    the agent's task-queue monitor
     * @param spinNanos  how long to poll before sleeping; 0 sleeps at once
     * @param workQueued whether a task is queued or the agent is stopping, read without the monitor
     */
    LoopWait(String agent, Object monitor, long spinNanos, BooleanSupplier workQueued) {
        this.agent = agent;
        this.monitor = monitor;
        this.spinNanos = spinNanos;
        this.workQueued = workQueued;
    }

    /**
     * Watches a socket for messages (again watching one already watched does nothing). On failure
     * nothing changed: the selector is opened and every socket registered before it is used.
     */
    void watch(AgentSocket owner, ZMQ.Socket zs) throws IOException {
        for (Watched w : watched) {
            if (w.socket() == zs) {
                return;
            }
        }
        Selector current = selector;
        if (current != null) {
            keys.put(zs, zs.getFD().register(current, SelectionKey.OP_READ));
        } else if (!watched.isEmpty()) {
            Selector opened = Selector.open();
            try {
                for (Watched w : watched) {
                    keys.put(w.socket(), w.socket().getFD().register(opened, SelectionKey.OP_READ));
                }
                keys.put(zs, zs.getFD().register(opened, SelectionKey.OP_READ));
            } catch (IOException | RuntimeException e) {
                keys.clear();
                opened.close();
                throw e;
            }
            selector = opened;
        }
        watched.add(new Watched(owner, zs));
    }

    /** Stops watching a socket, before it is closed. */
    void unwatch(ZMQ.Socket zs) {
        watched.removeIf(w -> w.socket() == zs);
        if (timeoutSetOn == zs) {
            timeoutSetOn = null;
        }
        SelectionKey key = keys.remove(zs);
        if (key != null) {
            key.cancel();
        }
    }

    /**
     * Sleeps until {@link #wake()}, a message on a watched socket (unless {@code ignoreSockets}), or
     * {@code nanos} (forever when negative) have passed; returns at once when {@code idle} is false.
     *
     * @param pollNanos what is left of the window after calls from another process in a row: the
     *                  loop polls for the longer of this and its own spin, never past {@code nanos}
     * @param idle evaluated holding the monitor: whether the loop has nothing to do (no task, still
     *             running)
     * @return the message received when the loop slept in its only socket's receive, else {@code null}
     */
    @Nullable Arrival await(long nanos, boolean ignoreSockets, long pollNanos, BooleanSupplier idle)
            throws InterruptedException, IOException {
        long spinFor = Math.max(spinNanos, pollNanos);
        if (spinFor > 0 && nanos != 0) {
            long spin = nanos < 0 ? spinFor : Math.min(spinFor, nanos);
            long from = System.nanoTime();
            Arrival arrival = spin(spin, ignoreSockets);
            if (arrival != null || workQueued.getAsBoolean()) {
                return arrival;
            }
            if (nanos > 0) {
                nanos -= System.nanoTime() - from;
                if (nanos <= 0) {
                    // The wait's end (a timer) came during the spin.
                    return null;
                }
            }
        }
        sleeps = sleeps + 1;
        Selector current = selector;
        if (ignoreSockets || watched.isEmpty()) {
            awaitTask(nanos, idle);
            return null;
        }
        if (current != null) {
            synchronized (monitor) {
                if (!idle.getAsBoolean()) {
                    return null;
                }
            }
            // select(0) waits forever; wake() calls wakeup().
            current.select(nanos < 0 ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)));
            current.selectedKeys().clear();
            return null;
        }
        return receiveOrWake(watched.get(0), nanos, idle);
    }

    /**
     * Polls the task flag and, unless {@code ignoreSockets}, each watched socket without blocking,
     * for up to {@code nanos}: a message found is returned, a queued task ends the spin with
     * {@code null}.
     */
    private @Nullable Arrival spin(long nanos, boolean ignoreSockets) {
        long until = System.nanoTime() + nanos;
        do {
            if (workQueued.getAsBoolean()) {
                return null;
            }
            if (!ignoreSockets) {
                for (int i = 0; i < watched.size(); i++) {
                    Watched w = watched.get(i);
                    ZMQ.Socket zs = w.socket();
                    List<byte[]> frames;
                    try {
                        frames = Frames.read(zs, ZMQ.DONTWAIT);
                    } catch (ZMQException e) {
                        throw new ZMQException("Agent '" + agent + "' could not poll its socket", e.getErrorCode());
                    }
                    if (frames != null) {
                        return new Arrival(w.owner(), zs, frames);
                    }
                }
            }
            Thread.yield();
        } while (System.nanoTime() - until < 0);
        return null;
    }

    private void awaitTask(long nanos, BooleanSupplier idle) throws InterruptedException {
        long left = nanos;
        synchronized (monitor) {
            while (idle.getAsBoolean()) {
                if (left < 0) {
                    monitor.wait();
                } else {
                    long from = System.nanoTime();
                    TimeUnit.NANOSECONDS.timedWait(monitor, left);
                    left -= System.nanoTime() - from;
                    if (left <= 0) {
                        return;
                    }
                }
            }
        }
    }

    private @Nullable Arrival receiveOrWake(Watched only, long nanos, BooleanSupplier idle) {
        ZMQ.Socket zs = only.socket();
        synchronized (monitor) {
            if (!idle.getAsBoolean()) {
                return null;
            }
            receivingOn = zs;
            cancelSent = false;
        }
        List<byte[]> frames;
        try {
            // Rounded up: a timer due in 0.3 ms must not wake the loop early, over and over.
            int timeout = nanos < 0 ? -1 : (int) Math.min(Integer.MAX_VALUE,
                    Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(nanos, Long.MAX_VALUE - 999_999) + 999_999)));
            if (zs != timeoutSetOn || timeout != timeoutSet) {
                zs.setReceiveTimeOut(timeout);
                timeoutSetOn = zs;
                timeoutSet = timeout;
            }
            frames = Frames.readCancellable(zs, cancelled);
        } catch (ZMQException e) {
            throw new ZMQException("Agent '" + agent + "' could not wait on its socket", e.getErrorCode());
        } finally {
            synchronized (monitor) {
                receivingOn = null;
                // No cancel can come any more; one still in the mailbox is a no-op command.
                cancelled.set(false);
            }
        }
        return frames == null ? null : new Arrival(only.owner(), zs, frames);
    }

    /** How many times the loop went on to a blocking wait (some find work at once and return). */
    long sleeps() {
        return sleeps;
    }

    /** Wakes the loop wherever it sleeps; the caller holds the monitor. */
    void wake() {
        monitor.notifyAll();
        ZMQ.Socket receiving = receivingOn;
        if (receiving != null && !cancelSent) {
            cancelSent = true;
            Frames.cancel(receiving, cancelled);
        }
        Selector current = selector;
        if (current != null) {
            current.wakeup();
        }
    }

    /** Closes the selector, if one was opened; the loop has ended. */
    void close() throws IOException {
        Selector current = selector;
        selector = null;
        keys.clear();
        watched.clear();
        if (current != null) {
            current.close();
        }
    }
}
