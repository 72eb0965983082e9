package io.zeroagents.transport;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;
import zmq.Command;
import zmq.Mailbox;
import zmq.ZError;

/**
 * Sends commands to one JeroMQ mailbox as {@code Mailbox.send} does, but counts each wake-up
 * before it writes the wake-up's byte, not after.
 *
 * <p>Why: JeroMQ 0.6.0 queues the command, writes a byte to the mailbox's signalling pipe, then
 * counts the byte. The receiving thread takes the command off its queue without reading the
 * byte, and reads a byte later only while the count says one is there. Writing the byte wakes
 * the receiver, and on a busy machine the woken receiver often preempts the sender right after
 * its write, before the count. The receiver (an I/O thread) then finds its pipe readable and its
 * count saying there is nothing to read, over and over: it spins in {@code epoll_wait} until the
 * sender runs again, up to a scheduler slice later, and holds the processor the sender needs. With
 * an agent's loop or a control endpoint polling on a 2-core machine, a remote proxy call made an
 * I/O thread return from {@code epoll_wait} over 60 times, and ran it at 100% of a core; raw REQ/REP
 * with a polling server stalled for milliseconds the same way. Counted first, the count never
 * lags a written byte; a receiver that sees the count before the byte waits for a write that has
 * no system call left between it and the count.
 *
 * <p>The queue, the count and the pipe are private fields of JeroMQ's {@code Mailbox} and
 * {@code Signaler}, reached by reflection. Should a later JeroMQ change them, {@link #of} returns
 * null, commands are sent the plain way, and one warning says so.
 */
final class MailboxSender {
    private static final Logger LOG = LogManager.getLogger(MailboxSender.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    private static final @Nullable Field QUEUE = field(Mailbox.class, "cpipe", Deque.class);
    private static final @Nullable Field SIGNALER = field(Mailbox.class, "signaler", null);
    private static final @Nullable Field COUNT = SIGNALER == null ? null
            : field(SIGNALER.getType(), "wcursor", AtomicLong.class);
    private static final @Nullable Field PIPE = SIGNALER == null ? null
            : field(SIGNALER.getType(), "w", Pipe.SinkChannel.class);
    /** One byte per thread, as JeroMQ keeps one: its content is never read. */
    private static final ThreadLocal<ByteBuffer> BYTE = ThreadLocal.withInitial(() -> ByteBuffer.allocate(1));

    private final Deque<Command> queue;
    private final AtomicLong count;
    private final Pipe.SinkChannel pipe;

    private MailboxSender(Deque<Command> queue, AtomicLong count, Pipe.SinkChannel pipe) {
        this.queue = queue;
        this.count = count;
        this.pipe = pipe;
    }

    /** A sender to {@code mailbox}, or null when this JeroMQ's mailbox is not the one this class knows. */
    @SuppressWarnings("unchecked")
    static @Nullable MailboxSender of(Mailbox mailbox) {
        if (QUEUE == null || SIGNALER == null || COUNT == null || PIPE == null) {
            return null;
        }
        try {
            Object signaler = SIGNALER.get(mailbox);
            return new MailboxSender((Deque<Command>) QUEUE.get(mailbox), (AtomicLong) COUNT.get(signaler),
                    (Pipe.SinkChannel) PIPE.get(signaler));
        } catch (IllegalAccessException | RuntimeException e) {
            warn(e);
            return null;
        }
    }

    /**
     * Queues {@code command} and wakes the mailbox's thread.
     *
     * @throws ZError.IOException when the wake-up cannot be written, as JeroMQ throws it
     */
    void send(Command command) {
        queue.addLast(command);
        count.incrementAndGet();
        ByteBuffer signal = BYTE.get();
        // An interrupt during a write would close the pipe for good: it is kept for after, as JeroMQ does.
        boolean interrupted = Thread.interrupted();
        try {
            int written = 0;
            while (written == 0) {
                signal.clear();
                written = pipe.write(signal);
            }
        } catch (IOException e) {
            throw new ZError.IOException(e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static @Nullable Field field(Class<?> owner, String name, @Nullable Class<?> type) {
        try {
            Field field = owner.getDeclaredField(name);
            if (type != null && !type.isAssignableFrom(field.getType())) {
                warn(new NoSuchFieldException(owner.getName() + "." + name + " is a " + field.getType()));
                return null;
            }
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException | RuntimeException e) {
            warn(e);
            return null;
        }
    }

    private static void warn(Exception e) {
        if (WARNED.compareAndSet(false, true)) {
            LOG.warn("Cannot count ZeroMQ wake-ups before writing them (this JeroMQ is not 0.6.0?): an I/O thread"
                    + " may spin while the thread that woke it waits for a processor: {}", e.toString());
        }
    }
}
