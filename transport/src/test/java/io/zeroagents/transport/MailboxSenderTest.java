package io.zeroagents.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.testsupport.Await;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import zmq.Command;
import zmq.Mailbox;
import zmq.TestCommands;

/**
 * A wake-up is counted before its byte is written, so the thread woken by the byte never finds the
 * pipe readable and the count saying there is nothing to read (see {@link MailboxSender}).
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MailboxSenderTest {

    /**
     * With the signalling pipe full, a send waits to write its byte; what the receiver can see
     * meanwhile is the command and its count. JeroMQ's own send counts only after the write, and
     * fails this test.
     */
    @Test
    void send_pipeFullSoTheByteWaits_countsTheWakeUpFirst() throws Exception {
        try (ZContext context = new ZContext(1)) {
            ZMQ.Socket socket = context.createSocket(SocketType.PULL);
            Mailbox mailbox = new Mailbox(socket.base().getCtx(), "test", 0);
            try {
                MailboxSender sender = MailboxSender.of(mailbox);
                assertNotNull(sender, "this JeroMQ's mailbox is the one MailboxSender knows");
                int filled = TestCommands.fillSignallingPipe(mailbox);
                Command command = TestCommands.cancel(socket.base());

                CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> sender.send(command));
                Await.until(Duration.ofSeconds(10), () -> countOf(mailbox) == 1,
                        "the wake-up counted while its byte waits for room in the pipe");
                assertTrue(!sent.isDone(), "the send waits for room for its byte");

                TestCommands.drainSignallingPipe(mailbox, filled);
                sent.get(10, TimeUnit.SECONDS);
                assertSame(command, mailbox.recv(0));
                assertEquals(1, countOf(mailbox));
            } finally {
                mailbox.close();
                socket.close();
            }
        }
    }

    @Test
    void send_emptyPipe_receiverGetsTheCommandAndItsWakeUp() throws Exception {
        try (ZContext context = new ZContext(1)) {
            ZMQ.Socket socket = context.createSocket(SocketType.PULL);
            Mailbox mailbox = new Mailbox(socket.base().getCtx(), "test", 0);
            try {
                Command command = TestCommands.cancel(socket.base());
                MailboxSender sender = MailboxSender.of(mailbox);
                assertNotNull(sender);

                sender.send(command);

                assertSame(command, mailbox.recv(0));
                assertEquals(1, TestCommands.drainSignallingPipe(mailbox, 16), "one wake-up byte written");
            } finally {
                mailbox.close();
                socket.close();
            }
        }
    }

    private static long countOf(Mailbox mailbox) {
        try {
            return TestCommands.wakeUpsCounted(mailbox);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
