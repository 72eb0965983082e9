package io.zeroagents.transport;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import zmq.Command;
import zmq.Ctx;
import zmq.IMailbox;
import zmq.Mailbox;
import zmq.ZError;
import zmq.io.IOThread;

/**
 * The mailbox that other threads send a socket's commands to, made to tolerate the socket
 * finishing its close during such a send.
 *
 * <p>Why: JeroMQ 0.6.0's {@code Mailbox.send} queues a command, then writes a wake-up byte to the
 * socket's signalling pipe. A socket being closed is served by JeroMQ's reaper thread, which takes
 * every queued command without waiting for its wake-up byte. When the command it takes is the last
 * one the socket waited for (a peer's acknowledgement that a pipe has ended), the reaper destroys
 * the socket and closes that pipe before the sender writes its byte, and the sender's thread gets
 * a {@code ZError.IOException} caused by {@link ClosedChannelException} in the middle of JeroMQ's
 * own bookkeeping. An agent's loop then died, its half-updated pipe later broke the reaper (an
 * {@code AssertionError}), and closing the context waited forever. Eight inproc subscribers of a
 * publisher that closes hit this within 200 rounds in every run; I/O threads acknowledging a
 * closing socket's tcp listener or session hit it too, which left that JeroMQ object undestroyed.
 *
 * <p>What: the guard stands in for the socket's own mailbox in the context's table of mailboxes,
 * which senders look up, and swallows exactly that failure: the signalling pipe was closed because
 * the socket is gone, and the command was queued before that or concerns a socket that no longer
 * exists, so the lost wake-up byte is what nobody waits for. Any other failure (a pipe closed by
 * an interrupt leaves the socket's reading end open) is thrown as before. The socket itself keeps
 * reading its own mailbox.
 *
 * <p>The guard sends through a {@link MailboxSender}, which counts each wake-up before writing it,
 * and the I/O threads of the socket's context get a guard too: otherwise an I/O thread woken by a
 * command spins while the thread that sent it waits for a processor (see {@link MailboxSender}).
 *
 * <p>The table is a private field of JeroMQ's {@code Ctx}, reached by reflection, and so is the
 * context's list of I/O threads. Should a later JeroMQ change them, sockets are created unguarded
 * and one warning says so.
 *
 * <p>Internal to ZeroAgents (the name server and the agent runtime create their sockets with it),
 * not an API: it may change or go with any release, for instance once JeroMQ fixes the race.
 */
public final class MailboxRaceGuard implements IMailbox {
    private static final Logger LOG = LogManager.getLogger(MailboxRaceGuard.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    private static final AtomicLong LATE_SIGNALS = new AtomicLong();
    // After WARNED: finding the field may warn.
    private static final @Nullable Field SLOTS = slotsField();
    private static final @Nullable Field IO_THREADS = ioThreadsField();

    private final Mailbox mailbox;
    /** Sends with the wake-up counted first; null when this JeroMQ's mailbox is not the one it knows. */
    private final @Nullable MailboxSender sender;

    private MailboxRaceGuard(Mailbox mailbox) {
        this.mailbox = mailbox;
        this.sender = MailboxSender.of(mailbox);
    }

    /**
     * A guard in front of {@code mailbox}, not installed anywhere: for tests of the guard itself.
     *
     * @param mailbox the mailbox to send through
     * @return the guard
     */
    public static IMailbox guarding(Mailbox mailbox) {
        return new MailboxRaceGuard(mailbox);
    }

    /**
     * Creates a socket whose mailbox is guarded. Only the creating thread knows the socket yet, so
     * no command can reach it before the guard is in place.
     *
     * @param context the context to create the socket in
     * @param type    the socket's type
     * @return the socket, guarded unless this JeroMQ cannot be
     */
    public static ZMQ.Socket createSocket(ZContext context, SocketType type) {
        ZMQ.Socket socket = context.createSocket(type);
        install(socket);
        return socket;
    }

    /**
     * Puts a guard in front of a fresh socket's mailbox, and of its context's I/O threads' mailboxes
     * if they have none yet.
     *
     * @param socket a socket no other thread knows yet
     * @return whether the socket's mailbox is guarded now
     */
    public static boolean install(ZMQ.Socket socket) {
        IMailbox[] slots = slots(socket);
        if (slots == null) {
            return false;
        }
        guardIoThreads(socket.base().getCtx(), slots);
        int tid = socket.base().getTid();
        IMailbox current = slots[tid];
        // The socket's own mailbox is the one whose descriptor the socket reports.
        if (current instanceof Mailbox plain && plain.getFd() == socket.base().getFD()) {
            slots[tid] = new MailboxRaceGuard(plain);
            return true;
        }
        return isGuarded(socket);
    }

    /** Whether senders reach {@code socket} through a guard in front of its own mailbox. */
    static boolean isGuarded(ZMQ.Socket socket) {
        IMailbox[] slots = slots(socket);
        return slots != null && slots[socket.base().getTid()] instanceof MailboxRaceGuard guard
                && guard.mailbox.getFd() == socket.base().getFD();
    }

    /**
     * Puts a guard in front of each I/O thread's mailbox of {@code ctx} that has none. The context
     * starts its I/O threads with its first socket, so this runs with every socket created; other
     * threads may still send through the plain mailbox for a while, which is what they did before.
     */
    private static void guardIoThreads(Ctx ctx, IMailbox[] slots) {
        Field field = IO_THREADS;
        if (field == null) {
            return;
        }
        try {
            for (Object thread : (List<?>) field.get(ctx)) {
                IOThread io = (IOThread) thread;
                int tid = io.getTid();
                if (tid < slots.length && slots[tid] instanceof Mailbox plain && plain == io.getMailbox()) {
                    slots[tid] = new MailboxRaceGuard(plain);
                }
            }
        } catch (IllegalAccessException | RuntimeException e) {
            warnUnguarded(e);
        }
    }

    /** Whether senders reach the I/O threads of {@code socket}'s context through a guard. */
    static boolean ioThreadsGuarded(ZMQ.Socket socket) throws IllegalAccessException {
        IMailbox[] slots = slots(socket);
        Field field = IO_THREADS;
        if (slots == null || field == null) {
            return false;
        }
        List<?> threads = (List<?>) field.get(socket.base().getCtx());
        return !threads.isEmpty() && threads.stream().map(IOThread.class::cast)
                .allMatch(io -> slots[io.getTid()] instanceof MailboxRaceGuard guard && guard.mailbox == io.getMailbox());
    }

    /** Whether this guard counts wake-ups before writing them ({@link MailboxSender}). */
    boolean countsFirst() {
        return sender != null;
    }

    private static IMailbox @Nullable [] slots(ZMQ.Socket socket) {
        Field field = SLOTS;
        if (field == null) {
            return null;
        }
        try {
            return (IMailbox[]) field.get(socket.base().getCtx());
        } catch (IllegalAccessException | RuntimeException e) {
            warnUnguarded(e);
            return null;
        }
    }

    /**
     * How many wake-ups of sockets that had finished closing were dropped in this JVM.
     *
     * @return the count since the JVM started
     */
    public static long lateSignals() {
        return LATE_SIGNALS.get();
    }

    @Override
    public void send(Command cmd) {
        try {
            MailboxSender first = sender;
            if (first != null) {
                first.send(cmd);
            } else {
                mailbox.send(cmd);
            }
        } catch (ZError.IOException e) {
            if (!(e.getCause() instanceof ClosedChannelException) || mailbox.getFd().isOpen()) {
                throw e;
            }
            if (LATE_SIGNALS.incrementAndGet() == 1) {
                LOG.debug("Dropped the wake-up for a command to a socket that finished closing meanwhile (JeroMQ's "
                        + "close race; counted from now on, not logged): {}", cmd);
            }
        }
    }

    @Override
    public @Nullable Command recv(long timeout) {
        return mailbox.recv(timeout);
    }

    @Override
    public void close() throws IOException {
        mailbox.close();
    }

    private static @Nullable Field slotsField() {
        try {
            Field field = Ctx.class.getDeclaredField("slots");
            if (field.getType() != IMailbox[].class) {
                warnUnguarded(new NoSuchFieldException("zmq.Ctx.slots is a " + field.getType()));
                return null;
            }
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException | RuntimeException e) {
            warnUnguarded(e);
            return null;
        }
    }

    private static @Nullable Field ioThreadsField() {
        try {
            Field field = Ctx.class.getDeclaredField("ioThreads");
            if (!List.class.isAssignableFrom(field.getType())) {
                warnUnguarded(new NoSuchFieldException("zmq.Ctx.ioThreads is a " + field.getType()));
                return null;
            }
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException | RuntimeException e) {
            warnUnguarded(e);
            return null;
        }
    }

    private static void warnUnguarded(Exception e) {
        if (WARNED.compareAndSet(false, true)) {
            LOG.warn("Cannot guard ZeroMQ sockets against JeroMQ's close race (this JeroMQ is not 0.6.0?): "
                    + "an agent may stop with a ClosedChannelException when a peer over inproc closes: {}", e.toString());
        }
    }
}
