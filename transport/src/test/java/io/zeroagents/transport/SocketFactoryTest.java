package io.zeroagents.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;
import org.zeromq.ZMonitor;

/** Sockets made the one way ({@link SocketFactory}): their options, binds and connects. */
@Timeout(30)
class SocketFactoryTest {
    private final ZContext context = new ZContext(1);

    @AfterEach
    void closeContext() {
        context.close();
    }

    @Test
    void create_withSettings_appliesEachToTheSocket() {
        SocketFactory factory = SocketFactory.builder(context).linger(Duration.ofMillis(250)).maxMessageBytes(4096)
                .handshake(Duration.ofSeconds(2)).sendTimeout(Duration.ofMillis(50)).highWaterMark(77).build();

        ZMQ.Socket socket = factory.create(SocketType.PUSH);

        assertEquals(250, socket.getLinger());
        assertEquals(4096, socket.getMaxMsgSize());
        assertEquals(2000, socket.getHandshakeIvl());
        assertEquals(50, socket.getSendTimeOut());
        assertEquals(77, socket.getSndHWM());
        assertEquals(77, socket.getRcvHWM());
        assertTrue(MailboxRaceGuard.isGuarded(socket), "every socket gets the mailbox guard");
    }

    @Test
    void create_withHeartbeat_setsIntervalTimeoutAndTtl() {
        ZMQ.Socket socket = SocketFactory.builder(context).heartbeat(Duration.ofSeconds(5), Duration.ofSeconds(20))
                .build().create(SocketType.ROUTER);

        assertEquals(5000, socket.getHeartbeatIvl());
        assertEquals(20000, socket.getHeartbeatTimeout());
        assertEquals(20000, socket.getHeartbeatTtl());
    }

    @ParameterizedTest(name = "input bounded: {0}")
    @ValueSource(booleans = {true, false})
    void create_withListener_reportsConnectionEventsAndKeepsTheInputBound(boolean bounded) throws Exception {
        SocketFactory.Builder builder = SocketFactory.builder(context);
        SocketFactory factory = (bounded ? builder.inputLimits(new InputLimits(1, 1024)) : builder).build();
        ZMQ.Socket server = factory.create(SocketType.ROUTER);
        String address = factory.bind(server, "tcp://127.0.0.1:*");
        BlockingQueue<ZMonitor.Event> events = new LinkedBlockingQueue<>();

        ZMQ.Socket client = factory.create(SocketType.DEALER, event -> events.add(event.getEvent()),
                ZMQ.EVENT_HANDSHAKE_PROTOCOL);
        factory.connect(client, address);

        assertEquals(ZMonitor.Event.HANDSHAKE_PROTOCOL, events.poll(10, TimeUnit.SECONDS));
        server.sendMore(receiveIdentity(server, client));
        server.sendMore("first");
        server.sendMore("second");
        server.send("third");
        client.setReceiveTimeOut(5000);
        List<String> received = new ArrayList<>(List.of(client.recvStr()));
        while (client.hasReceiveMore()) {
            received.add(client.recvStr());
        }

        // Past its one frame, a bounded socket keeps only the last frame of a message (which the
        // receiver drops, as it drops any wrong frame count).
        assertEquals(bounded ? List.of("first", "third") : List.of("first", "second", "third"), received);
        assertTrue(events.isEmpty(), "only the events asked for: " + events);
    }

    private static byte[] receiveIdentity(ZMQ.Socket server, ZMQ.Socket client) {
        client.send("hello");
        byte[] identity = server.recv();
        assertEquals("hello", server.recvStr());
        return identity;
    }

    @Test
    void create_defaults_lingerZeroAndNoFrameLimit() {
        ZMQ.Socket socket = SocketFactory.builder(context).build().create(SocketType.DEALER);

        assertEquals(0, socket.getLinger(), "linger is set explicitly, to 0 unless asked");
        assertEquals(-1, socket.getMaxMsgSize());
    }

    @Test
    void bind_wildcardPort_returnsTheEndpointBound() {
        SocketFactory factory = SocketFactory.builder(context).build();

        String bound = factory.bind(factory.create(SocketType.PULL), "tcp://127.0.0.1:*");

        assertTrue(bound.matches("tcp://127\\.0\\.0\\.1:\\d+"), bound);
    }

    @Test
    void bind_malformedEndpoint_throwsIllegalArgumentException() {
        SocketFactory factory = SocketFactory.builder(context).build();
        ZMQ.Socket socket = factory.create(SocketType.PULL);

        assertThrows(IllegalArgumentException.class, () -> factory.bind(socket, "tcp://no-port"));
    }

    @Test
    void bind_portTaken_throwsZmqException() {
        SocketFactory factory = SocketFactory.builder(context).build();
        String taken = factory.bind(factory.create(SocketType.PULL), "tcp://127.0.0.1:*");

        assertThrows(ZMQException.class, () -> factory.bind(factory.create(SocketType.PULL), taken));
    }

    @Test
    void bind_wildcardWithoutCurve_isRefused() {
        SocketFactory factory = SocketFactory.builder(context).build();
        ZMQ.Socket socket = factory.create(SocketType.ROUTER);

        InsecureBindException refused = assertThrows(InsecureBindException.class,
                () -> factory.bind(socket, "tcp://0.0.0.0:*"));

        assertEquals("tcp://0.0.0.0:*", refused.endpoint());
        assertTrue(refused.getMessage().contains("CURVE is off"), refused.getMessage());
    }

    @Test
    void bind_wildcardWithPlainTextAllowed_binds() {
        SocketFactory factory = SocketFactory.builder(context).plainTextBeyondLoopback(true).build();

        String bound = factory.bind(factory.create(SocketType.PULL), "tcp://0.0.0.0:*");

        assertTrue(bound.startsWith("tcp://") && bound.matches(".*:\\d+"), bound);
    }

    @Test
    void bind_wildcardWithCurve_binds(@TempDir Path keys) throws Exception {
        SocketFactory factory = SocketFactory.builder(context).curve(CurveKeys.init(keys, "test-host")).build();

        String bound = factory.bind(factory.create(SocketType.PULL), "tcp://*:*");

        assertTrue(bound.startsWith("tcp://") && bound.matches(".*:\\d+"), bound);
    }

    @Test
    void builder_negativeOrZeroValues_refused() {
        SocketFactory.Builder builder = SocketFactory.builder(context);

        assertThrows(IllegalArgumentException.class, () -> builder.linger(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> builder.maxMessageBytes(0));
        assertThrows(IllegalArgumentException.class, () -> builder.highWaterMark(0));
        assertThrows(IllegalArgumentException.class, () -> builder.heartbeat(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new InputLimits(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new ConnectionLimits(10, 0));
    }
}
