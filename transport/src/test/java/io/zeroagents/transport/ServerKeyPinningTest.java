package io.zeroagents.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.SocketType;
import org.zeromq.ZAuth;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Each host serves with a key pair of its own, and a client completes a handshake only with the
 * server whose key it pinned: two hosts that let each other in talk, while a client pinning
 * another key, and a server posing with a key pair that is not the one expected, get nothing
 * through. Real sockets, each host with its own context and authenticator.
 */
@Timeout(30)
class ServerKeyPinningTest {
    private static final int NOTHING_MILLIS = 800;
    private static final int DELIVERY_MILLIS = 10_000;

    @TempDir
    Path parent;
    private final ZContext serverContext = new ZContext(1);
    private final ZContext clientContext = new ZContext(1);
    private CurveKeys server;
    private CurveKeys client;
    private ZAuth serverAuth;

    @BeforeEach
    void twoHostsThatLetEachOtherIn() throws IOException {
        server = CurveKeys.init(parent.resolve("server"), "server-host");
        client = CurveKeys.init(parent.resolve("client"), "client-host");
        authorize(client, server);
        serverAuth = server.authenticator(serverContext);
    }

    @AfterEach
    void close() {
        serverAuth.close();
        serverContext.close();
        clientContext.close();
    }

    @Test
    void connect_pinnedToTheServersKey_isDelivered() {
        ZMQ.Socket pull = bound(server, serverContext);

        push(pull.getLastEndpoint(), server.publicKey()).send("hello");

        pull.setReceiveTimeOut(DELIVERY_MILLIS);
        assertEquals("hello", pull.recvStr());
    }

    @Test
    void connect_pinnedToAnotherServerKey_getsNothingThrough() {
        ZMQ.Socket pull = bound(server, serverContext);

        // A loopback endpoint with no trusted certificate: the client pins its own host's key,
        // which the server (another host) does not hold.
        push(pull.getLastEndpoint(), null).send("wrong server", ZMQ.DONTWAIT);

        pull.setReceiveTimeOut(NOTHING_MILLIS);
        assertNull(pull.recvStr());
    }

    @Test
    void connect_toAServerWithAnotherKeyPairThanTheTrustedOne_getsNothingThrough() throws IOException {
        // The impostor lets the client in, but serves with a key pair of its own, not the trusted server's.
        CurveKeys impostor = CurveKeys.init(parent.resolve("impostor"), "impostor");
        authorize(client, impostor);
        try (ZContext impostorContext = new ZContext(1)) {
            ZAuth impostorAuth = impostor.authenticator(impostorContext);
            try {
                ZMQ.Socket pull = bound(impostor, impostorContext);
                Path certificate = parent.resolve("server.public");
                Files.writeString(certificate, server.publicCertificate());
                CurveKeys.trust(client.directory(), certificate, List.of(pull.getLastEndpoint()));

                push(pull.getLastEndpoint(), null).send("for the trusted server", ZMQ.DONTWAIT);

                pull.setReceiveTimeOut(NOTHING_MILLIS);
                assertNull(pull.recvStr());
            } finally {
                impostorAuth.close();
            }
        }
    }

    private static void authorize(CurveKeys clientHost, CurveKeys serverHost) throws IOException {
        Files.writeString(serverHost.directory().resolve(CurveKeys.AUTHORIZED_DIR).resolve("peer.public"),
                clientHost.publicCertificate());
    }

    private static ZMQ.Socket bound(CurveKeys keys, ZContext context) {
        SocketFactory factory = SocketFactory.builder(context).curve(keys).handshake(java.time.Duration.ofSeconds(1))
                .build();
        ZMQ.Socket pull = factory.create(SocketType.PULL);
        factory.bind(pull, "tcp://127.0.0.1:*");
        return pull;
    }

    private ZMQ.Socket push(String endpoint, @Nullable String serverKey) {
        SocketFactory factory = SocketFactory.builder(clientContext).curve(client)
                .handshake(java.time.Duration.ofSeconds(1)).build();
        ZMQ.Socket push = factory.create(SocketType.PUSH);
        factory.connect(push, endpoint, serverKey);
        return push;
    }
}
