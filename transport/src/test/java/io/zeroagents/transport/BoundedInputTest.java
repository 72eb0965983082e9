package io.zeroagents.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.testsupport.Await;
import io.zeroagents.testsupport.HeapUse;
import io.zeroagents.testsupport.RawZmtpPeer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Sockets whose factory bounds their input, attacked over raw tcp: a message that never ends, a
 * message over the byte limit, a subscription far longer than JeroMQ's trie survives, connections
 * over the limits, a ZMTP 2.0 greeting and a PING too short to hold its TTL. Each costs the
 * attacker its message or its connection, never the socket's memory or its I/O thread.
 */
@Timeout(120)
class BoundedInputTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long MIB = 1 << 20;

    private final List<Throwable> ioThreadFailures = new CopyOnWriteArrayList<>();
    private final ZContext context = contextReportingFailures();

    @AfterEach
    void closeContext() {
        context.close();
    }

    private ZContext contextReportingFailures() {
        ZContext made = new ZContext(1);
        // What JeroMQ's I/O thread throws goes here instead of being printed; set before any socket.
        made.setNotificationExceptionHandler((thread, failure) -> ioThreadFailures.add(failure));
        return made;
    }

    private SocketFactory factory(InputLimits limits, @Nullable ConnectionLimits connections) {
        return SocketFactory.builder(context).owner("Test server").inputLimits(limits).connectionLimits(connections)
                .build();
    }

    private static ZMQ.Socket receiving(ZMQ.Socket socket) {
        socket.setReceiveTimeOut((int) WAIT.toMillis());
        return socket;
    }

    @Test
    void router_unendingMessage_holdsItsFirstFrameOnlyAndTheSocketServesOthers() {
        SocketFactory sockets = factory(new InputLimits(1, MIB), null);
        ZMQ.Socket router = receiving(sockets.create(SocketType.ROUTER));
        String endpoint = sockets.bind(router, "tcp://127.0.0.1:*");
        long before = HeapUse.afterGc();

        try (RawZmtpPeer attacker = RawZmtpPeer.connect(endpoint, "DEALER")) {
            // 100 MB in 50,000 frames flagged "more": kept, they filled the heap.
            assertTrue(attacker.sendUnendingFrames(50_000, 2_000), "the router closed the connection");
            assertTrue(attacker.pingPong(new byte[] {7}, WAIT), "the router's I/O thread read the whole message");
            long held = HeapUse.afterGc() - before;
            assertTrue(held < 32 * MIB, "the socket holds " + held / MIB + " MiB of an unending message");
            assertEquals(1, sockets.inputCounters().truncatedMessages());

            try (RawZmtpPeer other = RawZmtpPeer.connect(endpoint, "DEALER")) {
                other.sendMessage(bytes("from another peer"));
                List<byte[]> message = Frames.read(router, 0);
                assertNotNull(message, "another peer's message did not arrive");
                assertEquals("from another peer", text(message.get(1)));
            }

            attacker.sendMessage(bytes("the end"));
            List<byte[]> truncated = Frames.read(router, 0);
            assertNotNull(truncated, "the unending message did not end");
            assertEquals(3, truncated.size(), "its routing id, its first frame, its last: one frame too many");
            assertEquals(2_000, truncated.get(1).length);
            attacker.sendMessage(bytes("after"));
            List<byte[]> after = Frames.read(router, 0);
            assertNotNull(after, "the connection was not served after its message ended");
            assertEquals("after", text(after.get(1)));
        }
    }

    @Test
    void router_messageOverTheByteLimit_costsItsConnectionOnly() {
        SocketFactory sockets = factory(new InputLimits(4, 1_000), null);
        ZMQ.Socket router = receiving(sockets.create(SocketType.ROUTER));
        String endpoint = sockets.bind(router, "tcp://127.0.0.1:*");

        try (RawZmtpPeer attacker = RawZmtpPeer.connect(endpoint, "DEALER")) {
            attacker.sendMessage(new byte[400], new byte[400], new byte[400]);
            assertTrue(attacker.closedByPeer(WAIT), "the router kept a connection that sent 1,200 bytes in one message");
        }
        assertEquals(1, sockets.inputCounters().cutConnections());
        try (RawZmtpPeer other = RawZmtpPeer.connect(endpoint, "DEALER")) {
            other.sendMessage(new byte[400], new byte[400]);
            List<byte[]> message = Frames.read(router, 0);
            assertNotNull(message, "a message within the limits did not arrive");
            assertEquals(3, message.size());
        }
    }

    @Test
    void pub_subscriptionOf100000Bytes_costsItsConnectionAndThePublisherGoesOn() {
        SocketFactory sockets = factory(InputLimits.subscriptions(1024), null);
        ZMQ.Socket publisher = sockets.create(SocketType.PUB);
        String endpoint = sockets.bind(publisher, "tcp://127.0.0.1:*");
        ZMQ.Socket subscriber = receiving(context.createSocket(SocketType.SUB));
        subscriber.subscribe(bytes("news"));
        subscriber.connect(endpoint);

        try (RawZmtpPeer attacker = RawZmtpPeer.connect(endpoint, "SUB")) {
            byte[] subscription = new byte[100_000];
            subscription[0] = 1;
            // JeroMQ's subscription trie recurses once per byte: this overflowed the publisher's stack.
            attacker.send(subscription, false);
            assertTrue(attacker.closedByPeer(WAIT), "the publisher kept a subscriber with a 100,000-byte subscription");
        }
        assertEquals(1, sockets.inputCounters().cutConnections());

        Await.until(WAIT, () -> {
            publisher.send(bytes("news: still publishing"), ZMQ.DONTWAIT);
            return "news: still publishing".equals(subscriber.recvStr(ZMQ.DONTWAIT));
        }, "a subscriber within the limit to get a publication");
    }

    @Test
    void router_connectionsOverTheLimits_areClosedAtOnceUntilOneEnds() throws IOException {
        SocketFactory sockets = factory(new InputLimits(1, MIB), new ConnectionLimits(10, 2));
        ZMQ.Socket router = sockets.create(SocketType.ROUTER);
        String endpoint = sockets.bind(router, "tcp://127.0.0.1:*");

        RawZmtpPeer first = RawZmtpPeer.connect(endpoint, "DEALER");
        try (RawZmtpPeer second = RawZmtpPeer.connect(endpoint, "DEALER")) {
            try (Socket third = plainConnection(endpoint)) {
                assertTrue(closedWithin(third, WAIT), "a third connection from the same address was kept");
            }
            assertEquals(1, sockets.inputCounters().refusedConnections());
            assertTrue(second.trySendMessage(bytes("the connections within the limits are kept")));

            first.close();
            Await.until(WAIT, () -> {
                try {
                    RawZmtpPeer.connect(endpoint, "DEALER").close();
                    return true;
                } catch (UncheckedIOException e) {
                    return false;
                }
            }, "a connection to be accepted once one of the two ended");
        }
    }

    @Test
    void router_zmtp2Greeting_isClosedAndGetsNothingThrough() throws IOException {
        SocketFactory sockets = factory(new InputLimits(1, MIB), null);
        ZMQ.Socket router = sockets.create(SocketType.ROUTER);
        router.setReceiveTimeOut(1_000);
        String endpoint = sockets.bind(router, "tcp://127.0.0.1:*");

        try (Socket old = plainConnection(endpoint)) {
            sendZmtp2Hello(old);

            assertTrue(closedWithin(old, WAIT), "a ZMTP 2.0 connection was kept");
            assertNull(router.recv(0), "a message came through a ZMTP 2.0 connection");
        }
    }

    /** ZMTP 2.0: signature, revision 1, socket type DEALER (5), an empty identity, one message "hello". */
    private static void sendZmtp2Hello(Socket connection) throws IOException {
        OutputStream out = connection.getOutputStream();
        out.write(new byte[] {(byte) 0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f, 1, 5, 0, 0});
        out.write(new byte[] {0, 5});
        out.write(bytes("hello"));
        out.flush();
    }

    @Test
    void router_zmtp2GreetingWhereJeroMqLetsItIn_isCutAndGetsNothingThrough() throws IOException {
        SocketFactory sockets = factory(new InputLimits(1, MIB), null);
        ZMQ.Socket router = sockets.create(SocketType.ROUTER);
        // Without a ZAP domain JeroMQ takes ZMTP 2.0: the guard's own check is what is left.
        router.setZAPDomain("");
        router.setReceiveTimeOut(1_000);
        String endpoint = sockets.bind(router, "tcp://127.0.0.1:*");

        try (Socket old = plainConnection(endpoint)) {
            sendZmtp2Hello(old);

            Await.until(WAIT, () -> sockets.inputCounters().cutConnections() == 1, "the ZMTP 2.0 connection to be cut");
            assertNull(router.recv(0), "a message came through a ZMTP 2.0 connection");
        }
    }

    @Test
    void router_pingTooShortForItsTtl_throwsNothingAndTheConnectionIsServed() {
        SocketFactory sockets = factory(new InputLimits(1, MIB), null);
        ZMQ.Socket router = receiving(sockets.create(SocketType.ROUTER));
        String endpoint = sockets.bind(router, "tcp://127.0.0.1:*");

        try (RawZmtpPeer attacker = RawZmtpPeer.connect(endpoint, "DEALER")) {
            // A command frame: flags 4, 5 bytes, "\4PING" without the TTL JeroMQ reads.
            assertTrue(attacker.writeRaw(new byte[] {4, 5, 4, 'P', 'I', 'N', 'G'}));
            attacker.sendMessage(bytes("after"));

            List<byte[]> message = Frames.read(router, 0);
            assertNotNull(message, "the message after the short PING did not arrive");
            assertEquals("after", text(message.get(1)));
        }
        assertEquals(List.of(), ioThreadFailures, "JeroMQ's I/O thread threw");
    }

    @Test
    void router_frameHeaderDeclaring2To64MinusOneBytes_costsItsConnectionAndThrowsNothing() {
        SocketFactory sockets = factory(new InputLimits(1, MIB), null);
        ZMQ.Socket router = receiving(sockets.create(SocketType.ROUTER));
        String endpoint = sockets.bind(router, "tcp://127.0.0.1:*");

        try (RawZmtpPeer attacker = RawZmtpPeer.connect(endpoint, "DEALER")) {
            // JeroMQ reads the size as a signed long: -1, which passes its checks.
            attacker.declare(-1L, new byte[] {1, 2, 3});
            assertTrue(attacker.closedByPeer(WAIT), "the router kept the connection");
        }
        assertEquals(List.of(), ioThreadFailures, "JeroMQ's I/O thread threw");
        try (RawZmtpPeer other = RawZmtpPeer.connect(endpoint, "DEALER")) {
            other.sendMessage(bytes("next"));
            assertNotNull(Frames.read(router, 0), "the next connection was not served");
        }
    }

    @Test
    void pub_frameHeaderWhoseLow32BitsSay2GiB_costsItsConnectionAndAllocatesNothing() {
        // No frame limit: a PUB socket's own bound is its subscriptions'.
        SocketFactory sockets = factory(InputLimits.subscriptions(1024), null);
        ZMQ.Socket publisher = sockets.create(SocketType.PUB);
        String endpoint = sockets.bind(publisher, "tcp://127.0.0.1:*");

        try (RawZmtpPeer attacker = RawZmtpPeer.connect(endpoint, "SUB")) {
            // Negative as a long, so JeroMQ's size checks pass it; its low 32 bits are 2^31 - 1.
            attacker.declare(0x8000_0000_7fff_ffffL, new byte[] {1, 2, 3});
            assertTrue(attacker.closedByPeer(WAIT), "the publisher kept the connection");
        }
        assertEquals(List.of(), ioThreadFailures, "JeroMQ's I/O thread threw (an OutOfMemoryError, say)");
        assertEquals(1, sockets.inputCounters().cutConnections());
    }

    @Test
    void create_withoutInputLimits_installsNoGuard() {
        ZMQ.Socket socket = SocketFactory.builder(context).build().create(SocketType.PULL);

        assertTrue(socket.base().setEventHook(event -> { }, zmq.ZMQ.ZMQ_EVENT_ALL),
                "a socket without limits leaves its event hook free");
    }

    private static Socket plainConnection(String endpoint) throws IOException {
        int colon = endpoint.lastIndexOf(':');
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(endpoint.substring("tcp://".length(), colon),
                Integer.parseInt(endpoint.substring(colon + 1))), (int) WAIT.toMillis());
        return socket;
    }

    /** Whether the other side closes {@code socket} within {@code limit}; what it sends meanwhile is skipped. */
    private static boolean closedWithin(Socket socket, Duration limit) throws IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        socket.setSoTimeout(100);
        InputStream in = socket.getInputStream();
        while (System.nanoTime() < deadline) {
            try {
                if (in.read() < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                // Nothing yet.
            } catch (IOException e) {
                return true;
            }
        }
        return false;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] frame) {
        return new String(frame, StandardCharsets.UTF_8);
    }
}
