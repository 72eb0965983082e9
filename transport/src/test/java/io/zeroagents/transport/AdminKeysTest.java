package io.zeroagents.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.SocketType;
import org.zeromq.ZAuth;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import zmq.Msg;
import zmq.io.Metadata;

/**
 * Who is an admin by CURVE key: a key the admins file lists, as the authenticator reports it on
 * each message, and never a {@code User-Id} a client sends itself.
 */
@Timeout(30)
class AdminKeysTest {
    @TempDir
    Path dir;

    private static Msg frameWithUserId(String userId) {
        Metadata metadata = new Metadata();
        metadata.put(Metadata.USER_ID, userId);
        return new Msg(new byte[] {1}).setMetadata(metadata);
    }

    @Test
    void contains_readsTheFileAtEachQuestion_firstWordOfALineOnly() throws Exception {
        CurveKeys keys = CurveKeys.init(dir.resolve("keys"), "host");
        AdminKeys admins = AdminKeys.of(keys);
        assertNotNull(admins);
        String key = keys.publicKey();

        assertFalse(admins.contains(key), "no admins file: nobody");
        Files.writeString(admins.file(), "# admins\n" + key + "  # alice\n");
        assertTrue(admins.contains(key));
        assertFalse(admins.contains(null));
        assertFalse(admins.contains("# admins"));
        Files.writeString(admins.file(), "# alice left\n");
        assertFalse(admins.contains(key), "a key removed counts at once");
        assertEquals(dir.resolve("keys").resolve(AdminKeys.FILE), admins.file());
        assertNull(AdminKeys.of(null), "no CURVE, no admin keys");
    }

    /**
     * JeroMQ lays the properties a client sends in its handshake over the ZAP handler's, so a
     * client can claim any User-Id: an admin's key, which is no secret. Only the authenticator's
     * tagged User-Id names a key.
     */
    @Test
    void clientKey_userIdTheClientSentItself_isNoKey() throws Exception {
        String adminKey = CurveKeys.init(dir.resolve("keys"), "admin").publicKey();

        assertNull(AdminKeys.clientKey(frameWithUserId(adminKey)), "a User-Id a client sent counted as its key");
        assertNull(AdminKeys.clientKey(frameWithUserId(adminKey + " guessed-tag-guessed-ta")));
        assertNull(AdminKeys.clientKey(new Msg(new byte[] {1})));
        assertEquals(adminKey, AdminKeys.clientKey(frameWithUserId(AdminKeys.userId(adminKey))));
    }

    @Test
    void clientKey_ofAMessageOverCurve_isTheKeyTheClientAuthenticatedWith() throws Exception {
        CurveKeys keys = CurveKeys.init(dir.resolve("keys"), "host");
        try (ZContext context = new ZContext(1)) {
            ZAuth authenticator = keys.authenticator(context);
            try {
                ZMQ.Socket server = context.createSocket(SocketType.ROUTER);
                keys.serve(server);
                int port = server.bindToRandomPort("tcp://127.0.0.1");
                ZMQ.Socket client = context.createSocket(SocketType.DEALER);
                keys.connectAsClient(client, keys.publicKey());
                client.connect("tcp://127.0.0.1:" + port);
                client.send("hello");

                server.setReceiveTimeOut(10_000);
                assertNotNull(server.recv(0), "routing id");
                Msg frame = server.recvMsg(0);
                assertNotNull(frame, "no message over CURVE");

                assertEquals(keys.publicKey(), AdminKeys.clientKey(frame));
                server.close();
                client.close();
            } finally {
                authenticator.close();
            }
        }
    }
}
