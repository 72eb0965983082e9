package io.zeroagents.nameserver.console;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The console's HTTP threads, so that slow or stuck clients cannot hold them: a bounded pool, and
 * a time limit on the parts of an exchange a client controls.
 *
 * <p>The JDK's HTTP server reads a request's headers, and writes its answer, on the executor's
 * thread, blocking: a client that sends its headers a byte at a time, or reads the answer as
 * slowly, holds the thread for as long as it likes (the server's own time limits are system
 * properties, off by default and read once per JVM). Here each exchange has {@code limit} to be
 * read and, separately, to be written; past it, its thread is interrupted, which closes the
 * connection (its channel is interruptible) and frees the thread. The console's own work between
 * the two (asking the name server) is never interrupted, since a ZeroMQ socket does not survive
 * an interrupt; it is bounded by its own timeouts.
 *
 * <p>Connections that send nothing take no thread: the server reads nothing until bytes arrive.
 * When every thread is busy and the queue is full, a new exchange is refused, which closes its
 * connection, rather than waiting behind the slow ones.
 */
final class ExchangeGuard implements Executor, AutoCloseable {
    // One per thread that runs an exchange; the console's work asks it whether it may start.
    private static final ThreadLocal<@Nullable Watch> CURRENT = new ThreadLocal<>();

    private final ThreadPoolExecutor pool;
    private final ScheduledExecutorService watchdog;
    private final long limitNanos;
    private final Set<Watch> running = ConcurrentHashMap.newKeySet();

    /**
     * Starts the threads.
     *
     * @param threads the most exchanges served at once
     * @param queued  the most exchanges waiting for a thread
     * @param limit   the time to read a request, and the time to write an answer
     */
    ExchangeGuard(int threads, int queued, Duration limit) {
        this.limitNanos = limit.toNanos();
        AtomicInteger count = new AtomicInteger();
        pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queued),
                runnable -> daemon(runnable, "zeroagents-console-" + count.incrementAndGet()));
        pool.allowCoreThreadTimeOut(true);
        watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, "zeroagents-console-watchdog"));
        long tick = Math.clamp(limit.toMillis() / 4, 10, 500);
        watchdog.scheduleWithFixedDelay(this::cutLateExchanges, tick, tick, TimeUnit.MILLISECONDS);
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /**
     * Runs an exchange of the HTTP server on a pool thread, under the time limit.
     *
     * @throws java.util.concurrent.RejectedExecutionException when the pool and its queue are full;
     *                                                         the server then closes the connection
     */
    @Override
    public void execute(Runnable exchange) {
        pool.execute(() -> {
            Watch watch = new Watch(Thread.currentThread(), System.nanoTime() + limitNanos);
            running.add(watch);
            CURRENT.set(watch);
            try {
                exchange.run();
            } finally {
                CURRENT.remove();
                running.remove(watch);
                watch.finish();
            }
        });
    }

    /**
     * Does the console's own work for the exchange on this thread, never interrupted; the time to
     * write the answer starts when it returns.
     *
     * @param work what to do, such as taking a snapshot
     * @param <T>  its result
     * @return the result
     * @throws InterruptedIOException when the client's time ran out before the work could start
     */
    static <T> T work(Supplier<T> work) throws InterruptedIOException {
        Watch watch = CURRENT.get();
        if (watch == null) {
            return work.get();
        }
        watch.startWork();
        try {
            return work.get();
        } finally {
            watch.endWork(watch.limitFromNow());
        }
    }

    private void cutLateExchanges() {
        long now = System.nanoTime();
        for (Watch watch : running) {
            watch.cutIfLate(now);
        }
    }

    /** Stops the threads; exchanges in progress are interrupted. */
    @Override
    public void close() {
        watchdog.shutdownNow();
        pool.shutdownNow();
    }

    /** One exchange's thread and deadline. */
    private final class Watch {
        private final Thread thread;
        private long deadline; // guarded by this
        private boolean working; // guarded by this
        private boolean over; // guarded by this: cut, or finished; never interrupt again

        Watch(Thread thread, long deadline) {
            this.thread = thread;
            this.deadline = deadline;
        }

        long limitFromNow() {
            return System.nanoTime() + limitNanos;
        }

        synchronized void cutIfLate(long now) {
            if (!working && !over && now - deadline > 0) {
                over = true;
                thread.interrupt();
            }
        }

        synchronized void startWork() throws InterruptedIOException {
            if (over) {
                throw new InterruptedIOException("The client took longer than " + Duration.ofNanos(limitNanos)
                        + " to send its request");
            }
            working = true;
        }

        synchronized void endWork(long newDeadline) {
            working = false;
            deadline = newDeadline;
        }

        synchronized void finish() {
            over = true;
            // The pool's next exchange must not start interrupted.
            Thread.interrupted();
        }
    }
}
