package io.zeroagents.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The JeroMQ behaviours the transport's work-arounds rely on, pinned so that a JeroMQ upgrade that
 * changes one fails here, by name, rather than somewhere in an agent: whole messages read through
 * the socket base, a receive cancelled from another thread, the very message object handed over
 * inproc, the frame limit enforced before the frame is allocated, and REQ sockets that may send
 * again. The mailbox guard's own reliance on JeroMQ's mailbox is pinned by {@code MailboxRaceGuardTest}.
 */
@Timeout(30)
class JeroMqBehaviourTest {
    private final ZContext context = new ZContext(1);
    private final SocketFactory sockets = SocketFactory.builder(context).build();

    @AfterEach
    void closeContext() {
        context.close();
    }

    @Test
    void read_multipartMessage_comesWholeAndInOrderThroughTheSocketBase() {
        ZMQ.Socket pull = sockets.create(SocketType.PULL);
        ZMQ.Socket push = sockets.create(SocketType.PUSH);
        String endpoint = sockets.bind(pull, "inproc://jeromq-multipart");
        sockets.connect(push, endpoint);

        push.sendMore("a");
        push.sendMore("");
        push.send("c");
        List<byte[]> frames = read(pull);

        assertEquals(List.of("a", "", "c"), frames.stream().map(f -> new String(f, StandardCharsets.UTF_8)).toList());
        assertNull(Frames.read(pull, ZMQ.DONTWAIT), "nothing more: a DONTWAIT read finds nothing");
    }

    @Test
    void readCancellable_cancelledFromAnotherThread_returnsNullPromptly() throws Exception {
        ZMQ.Socket pull = sockets.create(SocketType.PULL);
        sockets.bind(pull, "inproc://jeromq-cancel");
        pull.setReceiveTimeOut(-1);
        AtomicBoolean cancelled = new AtomicBoolean();

        CompletableFuture<List<byte[]>> waiting = CompletableFuture.supplyAsync(() -> Frames.readCancellable(pull,
                cancelled));
        // The reader must be inside its receive for the cancel to matter; a cancel sent before it
        // arrives is taken as the receive starts, and ends it just the same.
        Thread.sleep(50);
        Frames.cancel(pull, cancelled);

        assertNull(waiting.get(5, TimeUnit.SECONDS), "a cancelled receive returns nothing, without an interrupt");
    }

    @Test
    void sendCarried_overInproc_receiverGetsTheVeryPayloadArray() {
        ZMQ.Socket pull = sockets.create(SocketType.PULL);
        ZMQ.Socket push = sockets.create(SocketType.PUSH);
        String endpoint = sockets.bind(pull, "inproc://jeromq-carried");
        sockets.connect(push, endpoint);
        byte[] envelope = "envelope".getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[1024];

        assertTrue(Frames.sendCarried(push, envelope, payload));
        List<byte[]> frames = read(pull);

        assertEquals(2, frames.size(), "the carried payload counts as the frame after its envelope");
        assertArrayEquals(envelope, frames.get(0));
        assertSame(payload, frames.get(1), "an inproc pipe hands over the sender's message object");
    }

    @Test
    void maxMessageBytes_peerSendsABiggerFrame_frameNeverArrivesAndSmallerOnesStillDo() {
        SocketFactory limited = SocketFactory.builder(context).maxMessageBytes(64).build();
        ZMQ.Socket pull = limited.create(SocketType.PULL);
        pull.setReceiveTimeOut(300);
        String endpoint = limited.bind(pull, "tcp://127.0.0.1:*");
        ZMQ.Socket hostile = sockets.create(SocketType.PUSH);
        sockets.connect(hostile, endpoint);

        hostile.send(new byte[65]);

        assertNull(Frames.read(pull, 0), "a frame over the limit is dropped with its connection");
        ZMQ.Socket polite = sockets.create(SocketType.PUSH);
        sockets.connect(polite, endpoint);
        polite.send(new byte[64]);
        pull.setReceiveTimeOut((int) Duration.ofSeconds(10).toMillis());
        List<byte[]> frames = Frames.read(pull, 0);
        assertNotNull(frames, "a frame at the limit arrives");
        assertEquals(64, frames.get(0).length);
    }

    @Test
    void reqRelaxedAndCorrelated_noReplyCame_sendsAgainAndMatchesTheLaterReply() {
        ZMQ.Socket rep = sockets.create(SocketType.REP);
        ZMQ.Socket req = sockets.create(SocketType.REQ);
        req.setReqRelaxed(true);
        req.setReqCorrelate(true);
        String endpoint = sockets.bind(rep, "inproc://jeromq-req");
        sockets.connect(req, endpoint);

        assertTrue(req.send("first"));
        assertTrue(req.send("second"), "a relaxed REQ sends again though no reply came");
        rep.setReceiveTimeOut(5000);
        assertEquals("first", rep.recvStr());
        rep.send("to first");
        assertEquals("second", rep.recvStr());
        rep.send("to second");
        req.setReceiveTimeOut(5000);

        assertEquals("to second", req.recvStr(), "a correlated REQ drops the reply to the request it gave up on");
    }

    private static List<byte[]> read(ZMQ.Socket socket) {
        socket.setReceiveTimeOut(5000);
        List<byte[]> frames = Frames.read(socket, 0);
        assertNotNull(frames, "nothing arrived within 5 s");
        return frames;
    }
}
