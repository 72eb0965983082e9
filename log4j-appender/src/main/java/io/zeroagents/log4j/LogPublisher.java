package io.zeroagents.log4j;

import io.zeroagents.Codec;
import io.zeroagents.serialization.CodecRegistry;
import io.zeroagents.serialization.EnvelopeCodec;
import io.zeroagents.serialization.proto.Envelope;
import io.zeroagents.settings.ConfigSource;
import io.zeroagents.settings.ZeroAgentsSettings;
import io.zeroagents.transport.CurveKeys;
import io.zeroagents.transport.InputLimits;
import io.zeroagents.transport.InsecureBindException;
import io.zeroagents.transport.SocketFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.status.StatusLogger;
import org.jspecify.annotations.Nullable;
import org.zeromq.SocketType;
import org.zeromq.ZAuth;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * The thread behind a {@link ZeroMqPublisherAppender}: it owns a ZeroMQ context and one PUB socket,
 * and publishes the events the appender queues.
 *
 * <p>JeroMQ sockets belong to one thread and Log4j appends from any thread, so logging threads
 * only {@linkplain #offer(Event) offer} captured events to a bounded queue and never wait; when the
 * queue is full the event is dropped and counted. The publisher thread is stopped with a flag and a
 * wake-up event, never with {@link Thread#interrupt()}: an interrupt inside JeroMQ closes its NIO
 * channels under it.
 *
 * <p>With CURVE keys the socket encrypts: bound, it serves with the host's key and lets in only
 * subscribers whose keys are authorized; connected, it pins the key the key directory trusts for
 * the subscriber's endpoint (a certificate in its {@code servers/}, or the host's own key for an
 * endpoint on this machine). Without keys it refuses to bind an address other machines can reach, unless plain
 * text there was allowed: log lines tell an attacker much.
 */
final class LogPublisher {

    /**
     * A log event as the appender captured it on the logging thread: immutable, so it can cross to
     * the publisher thread while Log4j reuses its mutable event.
     */
    record Event(String level, String line, String logger, String thread, long timeMillis) {
    }

    /**
     * Passed by the publisher thread each time before it waits for the next event: a test pauses
     * the publisher here to fill the queue. Production code uses {@link #OPEN}.
     */
    interface Gate {
        /** A gate that never holds the publisher. */
        Gate OPEN = () -> { };

        /** Returns when the publisher may take its next event. */
        void pass();
    }

    private static final Logger STATUS = StatusLogger.getLogger();

    /** JeroMQ 0.6.0 leaves about one fresh tcp connection in twenty without its handshake
     * (zeromq/jeromq#1022); with a limit it reconnects instead of staying silent. */
    private static final int HANDSHAKE_MILLIS = 1000;
    /** How long the idle publisher sleeps on the queue before it looks at the stop flag again. */
    private static final long IDLE_POLL_MILLIS = 200;
    /** How long {@link #start()} waits for the socket to be bound or connected. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    /** How long {@link #stop(long)} waits for the thread beyond the drain limit and the linger. */
    private static final long JOIN_MARGIN_MILLIS = 1000;
    /** The longest drain a stop allows, however long its timeout. */
    private static final long MAX_DRAIN_MILLIS = TimeUnit.DAYS.toMillis(1);
    private static final long DROP_WARNING_INTERVAL = 1000;
    /** Wakes the publisher when it is stopped; compared by identity, never published. */
    private static final Event WAKE_UP = new Event("", "", "", "", 0);

    private final String appenderName;
    private final String endpoint;
    private final boolean bind;
    private final @Nullable String source;
    private final int queueSize;
    private final int lingerMillis;
    private final int sendHighWaterMark;
    private final Gate gate;
    private final @Nullable CurveKeys curve;
    private final boolean plainTextBeyondLoopback;
    private final BlockingQueue<Event> queue;
    private final EnvelopeCodec envelopes = new EnvelopeCodec(CodecRegistry.of());
    private final AtomicLong dropped = new AtomicLong();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Thread thread;

    private volatile boolean accepting;
    private volatile boolean stopRequested;
    private volatile long drainDeadlineNanos;
    private volatile @Nullable String lastEndpoint;

    LogPublisher(String appenderName, String endpoint, boolean bind, @Nullable String source, int queueSize,
                 int lingerMillis, int sendHighWaterMark, Gate gate, @Nullable CurveKeys curve,
                 boolean plainTextBeyondLoopback) {
        this.appenderName = appenderName;
        this.endpoint = endpoint;
        this.bind = bind;
        this.source = source;
        this.queueSize = queueSize;
        this.lingerMillis = lingerMillis;
        this.sendHighWaterMark = sendHighWaterMark;
        this.gate = gate;
        this.curve = curve;
        this.plainTextBeyondLoopback = plainTextBeyondLoopback;
        this.queue = new ArrayBlockingQueue<>(queueSize);
        this.thread = new Thread(this::run, "zeroagents-log-publisher-" + appenderName);
        // Log events must never keep a JVM alive; stop() is what publishes the last ones.
        this.thread.setDaemon(true);
    }

    /**
     * Starts the publisher thread and waits until its socket is bound or connected. A socket that
     * cannot bind or connect is reported on the status logger; the appender then drops its events.
     */
    void start() {
        if (thread.getState() != Thread.State.NEW) {
            return;
        }
        thread.start();
        boolean interrupted = false;
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try {
                if (!ready.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                    STATUS.warn("ZeroMqPublisher appender '{}' has not {} endpoint '{}' within {} s; it drops log"
                            + " events until it has", appenderName, bind ? "bound" : "connected", endpoint,
                            START_TIMEOUT.toSeconds());
                }
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Queues an event for publishing, or drops and counts it when the queue is full or the
     * publisher is not running. Never blocks.
     */
    void offer(Event event) {
        if (!accepting) {
            drop("the appender is not publishing (stopped, or its socket could not "
                    + (bind ? "bind" : "connect") + ")");
        } else if (!queue.offer(event)) {
            drop("its queue of " + queueSize + " events is full: the publisher cannot keep up");
        }
    }

    /** Events dropped so far: queue full, not publishing, failed to publish, or left at stop. */
    long dropped() {
        return dropped.get();
    }

    /** The endpoint the socket is bound or connected to (with the port a wildcard bind chose). */
    @Nullable String lastEndpoint() {
        return lastEndpoint;
    }

    /** The publisher thread, for tests that check it ends. */
    Thread thread() {
        return thread;
    }

    /**
     * Stops accepting events, lets the thread publish what is queued for at most {@code drainMillis},
     * then close the socket with its linger and the context, and waits for the thread to end.
     *
     * @param drainMillis how long queued events may still be published
     * @return whether the thread ended in time
     */
    boolean stop(long drainMillis) {
        // A caller may pass Long.MAX_VALUE ms as "as long as it takes"; keep the sums below finite.
        long drainLimit = Math.min(drainMillis, MAX_DRAIN_MILLIS);
        if (!thread.isAlive()) {
            accepting = false;
            discardQueued();
            return true;
        }
        accepting = false;
        drainDeadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainLimit);
        stopRequested = true;
        // The queue may be full, then the publisher is busy and sees the flag before it waits again.
        queue.offer(WAKE_UP);
        long joinMillis = drainLimit + lingerMillis + JOIN_MARGIN_MILLIS;
        boolean ended = joinUninterruptibly(joinMillis);
        if (!ended) {
            STATUS.warn("ZeroMqPublisher appender '{}': the publisher thread did not end within {} ms of stop; it is"
                    + " a daemon thread and will not keep the JVM alive", appenderName, joinMillis);
        }
        return ended;
    }

    private boolean joinUninterruptibly(long millis) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return !thread.isAlive();
                }
                try {
                    return thread.join(Duration.ofNanos(left));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ------------------------------------------------------------------ the publisher thread

    private void run() {
        ZContext context = new ZContext(1);
        // A bound CURVE socket checks its subscribers' keys through the authenticator of its context.
        ZAuth authenticator = curve != null && bind ? curve.authenticator(context) : null;
        ZMQ.Socket socket;
        try {
            socket = openSocket(context);
        } catch (RuntimeException e) {
            STATUS.error("ZeroMqPublisher appender '{}' cannot {} endpoint '{}': {}. Its log events are dropped;"
                    + " check the appender's endpoint attribute (transport://address:port, e.g."
                    + " tcp://127.0.0.1:5555) and bind attribute.", appenderName, bind ? "bind to" : "connect to",
                    endpoint, describe(e));
            close(authenticator, context);
            ready.countDown();
            return;
        }
        accepting = true;
        ready.countDown();
        try {
            publishUntilStopped(socket);
        } finally {
            // The linger is set again on purpose: ZContext applies its own linger when it closes a
            // socket, and both must say how long unsent events may hold up the close.
            socket.setLinger(lingerMillis);
            socket.close();
            close(authenticator, context);
            discardQueued();
        }
    }

    private static void close(@Nullable ZAuth authenticator, ZContext context) {
        if (authenticator != null) {
            authenticator.close();
        }
        context.close();
    }

    private ZMQ.Socket openSocket(ZContext context) {
        context.setLinger(lingerMillis);
        // Subscribers send subscriptions only: a longer one than the setting costs its connection.
        int maxTopicBytes = ConfigSource.system().read(ZeroAgentsSettings.MAX_SUBSCRIPTION_BYTES);
        SocketFactory sockets = SocketFactory.builder(context).owner("ZeroMqPublisher appender '" + appenderName + "'")
                .linger(Duration.ofMillis(lingerMillis)).highWaterMark(sendHighWaterMark)
                .handshake(Duration.ofMillis(HANDSHAKE_MILLIS)).curve(curve)
                .inputLimits(InputLimits.subscriptions(maxTopicBytes))
                .plainTextBeyondLoopback(plainTextBeyondLoopback).build();
        ZMQ.Socket socket = sockets.create(SocketType.PUB);
        try {
            if (bind) {
                sockets.bind(socket, endpoint);
            } else {
                sockets.connect(socket, endpoint);
            }
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
        lastEndpoint = socket.getLastEndpoint();
        return socket;
    }

    private static String describe(RuntimeException e) {
        if (e instanceof InsecureBindException) {
            return "other machines can reach that address and CURVE is off, so anyone who reaches the port could read"
                    + " the log; give the appender a curveDir attribute, or " + ZeroAgentsSettings.insecureBindAdvice();
        }
        if (e instanceof ZMQException z) {
            String reason;
            try {
                reason = ZMQ.Error.findByCode(z.getErrorCode()).getMessage();
            } catch (IllegalArgumentException unknownCode) {
                reason = "error " + z.getErrorCode();
            }
            return reason + " (errno " + z.getErrorCode() + ")";
        }
        if (e instanceof IllegalArgumentException) {
            // JeroMQ's address parser: "Invalid URI: tcp//host:1", or just the host of a tcp:// without port.
            return "not a valid endpoint (" + e.getMessage() + ")";
        }
        return e.toString();
    }

    private void publishUntilStopped(ZMQ.Socket socket) {
        while (!stopRequested) {
            gate.pass();
            Event event;
            try {
                event = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                // Nobody may interrupt this thread (its stop is a flag); clear the interrupt before
                // JeroMQ sees it, and go on until stop() says otherwise.
                STATUS.warn("ZeroMqPublisher appender '{}': its publisher thread was interrupted; ignored, stop the"
                        + " appender (or its LoggerContext) to end it", appenderName);
                continue;
            }
            if (event != null && event != WAKE_UP) {
                publish(socket, event);
            }
        }
        drain(socket);
    }

    private void drain(ZMQ.Socket socket) {
        Event event;
        while ((event = queue.poll()) != null) {
            if (event == WAKE_UP) {
                continue;
            }
            if (System.nanoTime() - drainDeadlineNanos > 0) {
                dropped.incrementAndGet();
                long left = 1 + discardQueued();
                STATUS.warn("ZeroMqPublisher appender '{}' stopped with {} log event(s) still queued; they were"
                        + " dropped (a LoggerContext stopped with a longer timeout drains more)", appenderName, left);
                return;
            }
            publish(socket, event);
        }
    }

    /** Empties the queue once nothing will publish it, counting its events as dropped. */
    private long discardQueued() {
        long count = 0;
        Event event;
        while ((event = queue.poll()) != null) {
            if (event != WAKE_UP) {
                count++;
            }
        }
        dropped.addAndGet(count);
        return count;
    }

    private void publish(ZMQ.Socket socket, Event event) {
        try {
            Envelope envelope = envelopes.wrap(event.line(), Codec.STRING)
                    .setSender(source != null ? source : event.logger())
                    .setTopic(event.level())
                    .putHeaders("logger", event.logger())
                    .putHeaders("thread", event.thread())
                    .putHeaders("level", event.level())
                    .putHeaders("timestamp", Long.toString(event.timeMillis()))
                    .build();
            byte[] frame = envelopes.frame(envelope);
            // A PUB socket never blocks: at its high-water mark it drops the message itself.
            boolean sent = socket.sendMore(event.level().getBytes(StandardCharsets.UTF_8))
                    && socket.send(frame, ZMQ.DONTWAIT);
            if (!sent) {
                drop("the socket refused it (errno " + socket.errno() + ")");
            }
        } catch (RuntimeException e) {
            drop("it could not be published: " + e);
        }
    }

    private void drop(String reason) {
        long count = dropped.incrementAndGet();
        if (count == 1 || count % DROP_WARNING_INTERVAL == 0) {
            STATUS.warn("ZeroMqPublisher appender '{}' dropped a log event because {} ({} dropped so far; this"
                    + " warning repeats every {} drops)", appenderName, reason, count, DROP_WARNING_INTERVAL);
        }
    }
}
