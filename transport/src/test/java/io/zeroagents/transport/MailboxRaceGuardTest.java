package io.zeroagents.transport;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import zmq.Command;
import zmq.Mailbox;
import zmq.TestCommands;
import zmq.ZError;

/**
 * JeroMQ 0.6.0 wakes a socket's mailbox after queueing the command, so a socket that closes on
 * the reaper thread can be destroyed between the two, and the sender failed; {@link
 * MailboxRaceGuard} drops that lost wake-up only.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MailboxRaceGuardTest {
    private static final Duration CONTEXT_CLOSE_LIMIT = Duration.ofSeconds(30);

    @Test
    void send_mailboxClosedMeanwhile_dropsTheWakeUpAndCountsIt() throws Exception {
        withMailbox((mailbox, command) -> {
            mailbox.close();
            long before = MailboxRaceGuard.lateSignals();

            // What JeroMQ does unguarded: the sender's thread fails although its command was queued.
            assertThrows(ZError.IOException.class, () -> mailbox.send(command));
            assertDoesNotThrow(() -> MailboxRaceGuard.guarding(mailbox).send(command));
            assertEquals(before + 1, MailboxRaceGuard.lateSignals());
        });
    }

    @Test
    void send_writingEndClosedButSocketAlive_throwsAsJeroMqDoes() throws Exception {
        withMailbox((mailbox, command) -> {
            TestCommands.closeWritingEnd(mailbox);
            long before = MailboxRaceGuard.lateSignals();

            // An interrupted sender closes the writing end only: the socket is alive and would never wake.
            assertThrows(ZError.IOException.class, () -> MailboxRaceGuard.guarding(mailbox).send(command));
            assertEquals(before, MailboxRaceGuard.lateSignals());
        });
    }

    @Test
    void send_openMailbox_deliversTheCommand() throws Exception {
        withMailbox((mailbox, command) -> {
            MailboxRaceGuard.guarding(mailbox).send(command);

            assertSame(command, mailbox.recv(1000));
        });
    }

    @Test
    void createSocket_freshSocket_sendersReachItsOwnMailboxThroughAGuard() {
        try (ZContext context = new ZContext(1)) {
            ZMQ.Socket guarded = MailboxRaceGuard.createSocket(context, SocketType.PUB);
            ZMQ.Socket plain = context.createSocket(SocketType.PUB);

            assertTrue(MailboxRaceGuard.isGuarded(guarded));
            assertFalse(MailboxRaceGuard.isGuarded(plain));
            assertTrue(MailboxRaceGuard.install(plain));
            assertTrue(MailboxRaceGuard.install(plain), "installing again keeps the one guard");
            assertTrue(MailboxRaceGuard.isGuarded(plain));
            guarded.close();
            plain.close();
        }
    }

    @Test
    void createSocket_freshContext_itsIoThreadsAreWokenThroughAGuardThatCountsFirst() throws Exception {
        try (ZContext context = new ZContext(2)) {
            ZMQ.Socket plain = context.createSocket(SocketType.PUB);
            assertFalse(MailboxRaceGuard.ioThreadsGuarded(plain), "a plain context's I/O threads are not guarded");

            ZMQ.Socket guarded = MailboxRaceGuard.createSocket(context, SocketType.PUB);

            assertTrue(MailboxRaceGuard.ioThreadsGuarded(guarded), "both I/O threads are guarded");
            assertTrue(MailboxRaceGuard.guarding(new Mailbox(guarded.base().getCtx(), "test", 0)) instanceof
                    MailboxRaceGuard guard && guard.countsFirst(), "a guard counts each wake-up before writing it");
            // Traffic through the guarded I/O threads still flows.
            guarded.bind("tcp://127.0.0.1:*");
            ZMQ.Socket sub = MailboxRaceGuard.createSocket(context, SocketType.SUB);
            sub.subscribe(new byte[0]);
            sub.connect(guarded.getLastEndpoint());
            sub.setReceiveTimeOut(100);
            byte[] received = null;
            for (int i = 0; i < 100 && received == null; i++) {
                guarded.send("hello");
                received = sub.recv(0);
            }
            assertTrue(received != null && new String(received, java.nio.charset.StandardCharsets.UTF_8)
                    .equals("hello"), "a message crossed the guarded I/O threads");
            sub.close();
            guarded.close();
            plain.close();
        }
    }

    /**
     * The race as it happened: a publisher closes while its inproc subscribers, each on a thread
     * of its own, acknowledge the ends of their pipes at once. Unguarded, a subscriber's thread
     * failed within 200 rounds in each of eight runs of a standalone program on a 2-core machine,
     * and this test failed in both runs tried.
     */
    @Test
    void close_publisherWithBusyInprocSubscribers_noSubscriberFails() throws Exception {
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
        int rounds = 0;
        while (rounds < 400 && System.nanoTime() - until < 0 && failures.isEmpty()) {
            publishAndClose(8, failures);
            rounds++;
        }
        assertTrue(failures.isEmpty(), "failed in round " + rounds + " of at most 400: " + failures);
    }

    /** What a test does with a mailbox of its own and a harmless command for a live socket. */
    private interface MailboxTest {
        void run(Mailbox mailbox, Command command) throws Exception;
    }

    /** Runs {@code test} with a mailbox of a live context (closed after it) and a cancel command. */
    private static void withMailbox(MailboxTest test) throws Exception {
        try (ZContext context = new ZContext(1)) {
            ZMQ.Socket socket = context.createSocket(SocketType.PULL);
            Mailbox mailbox = new Mailbox(socket.base().getCtx(), "test", 0);
            try {
                test.run(mailbox, TestCommands.cancel(socket.base()));
            } finally {
                mailbox.close();
                socket.close();
            }
        }
    }

    private static void publishAndClose(int subscribers, Queue<Throwable> failures) throws InterruptedException {
        ZContext context = new ZContext(1);
        ZMQ.Socket pub = MailboxRaceGuard.createSocket(context, SocketType.PUB);
        pub.setLinger(0);
        pub.bind("inproc://race");
        CountDownLatch connected = new CountDownLatch(subscribers);
        AtomicBoolean publisherClosed = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            Thread thread = new Thread(() -> {
                ZMQ.Socket sub = MailboxRaceGuard.createSocket(context, SocketType.SUB);
                sub.setLinger(0);
                sub.setReceiveTimeOut(1);
                sub.connect("inproc://race");
                sub.subscribe(new byte[0]);
                connected.countDown();
                try {
                    // A few receives after the close: each takes the pipe's end and acknowledges it.
                    int after = 0;
                    while (after < 3) {
                        sub.recv(0);
                        if (publisherClosed.get()) {
                            after++;
                        }
                    }
                } catch (Throwable e) {
                    // JeroMQ's own assertions (surefire runs with -ea) count as failures too.
                    failures.add(e);
                } finally {
                    sub.close();
                }
            }, "race-subscriber-" + i);
            threads.add(thread);
            thread.start();
        }
        assertTrue(connected.await(30, TimeUnit.SECONDS), "subscribers did not connect");
        pub.close();
        publisherClosed.set(true);
        for (Thread thread : threads) {
            thread.join();
        }
        closeWithin(context, failures);
    }

    /** A failed subscriber can leave the context unable to terminate: fail rather than hang. */
    private static void closeWithin(ZContext context, Queue<Throwable> failures) throws InterruptedException {
        Thread closer = new Thread(context::close, "race-context-close");
        closer.setDaemon(true);
        closer.start();
        closer.join(CONTEXT_CLOSE_LIMIT.toMillis());
        assertFalse(closer.isAlive(), "the context did not terminate within " + CONTEXT_CLOSE_LIMIT
                + "; subscribers failed with: " + failures);
    }
}
