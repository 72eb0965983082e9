package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.Codec;
import io.zeroagents.sockets.Poll;
import io.zeroagents.sockets.SocketManager;
import io.zeroagents.sockets.SocketManagerOptions;
import io.zeroagents.sockets.SocketType;
import io.zeroagents.transport.CurveKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A socket manager of a runtime with CURVE keys serves CURVE, with a context of its own as with the
 * shared one: its peers with the keys get through, a plain-text stranger does not, and binds beyond
 * loopback are allowed because they are encrypted.
 */
@Timeout(60)
class SocketManagerCurveTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration REFUSED = Duration.ofMillis(800);

    @TempDir
    Path keysDir;
    private JeroMqRuntime runtime;

    @BeforeEach
    void start() throws Exception {
        CurveKeys.init(keysDir, "test-host");
        runtime = new JeroMqRuntime(Settings.from(Map.of("zeroagents.curve.dir", keysDir.toString())::get, Map.of()));
    }

    @AfterEach
    void close() {
        runtime.close();
    }

    private SocketManager manager(boolean shared) {
        return runtime.socketManager(new SocketManagerOptions(shared, Codec.JSON, Duration.ofMillis(50), WAIT));
    }

    @Test
    void ownContexts_bothWithTheKeys_deliverOverCurve() {
        try (SocketManager server = manager(false); SocketManager client = manager(false)) {
            String address = server.ensureAndBind("in", SocketType.PULL, "tcp://127.0.0.1:*", Poll.IN)
                    .boundEndpoints().get(0);
            client.ensureAndConnect("out", SocketType.PUSH, address, Poll.NONE);

            assertTrue(client.sendSafe("out", "secret"));

            assertEquals(Optional.of("secret"), server.recvSafe("in", String.class));
        }
    }

    @Test
    void plainTextStranger_connectingToAManagersSocket_getsNothingThrough() {
        try (SocketManager server = manager(true); ZContext strangerContext = new ZContext()) {
            String address = server.ensureAndBind("in", SocketType.PULL, "tcp://127.0.0.1:*", Poll.IN)
                    .boundEndpoints().get(0);
            ZMQ.Socket stranger = strangerContext.createSocket(org.zeromq.SocketType.PUSH);
            stranger.setLinger(0);
            stranger.setSendTimeOut(0);
            stranger.connect(address);

            stranger.send("\"let me in\"");

            assertEquals(Optional.empty(), server.recvSafe("in", String.class, REFUSED));
        }
    }

    @Test
    void wildcardBind_withCurve_isAllowedAndAdvertisedForPeers() {
        try (SocketManager server = manager(false)) {
            server.create("api", SocketType.REP);

            String address = server.bindToRandomPort("api", Poll.IN);

            assertEquals("tcp://0.0.0.0", runtime.networkAddresses().defaultBindAddress());
            assertTrue(address.startsWith(runtime.networkAddresses().publicTcpAddress() + ":"), address);
        }
    }
}
