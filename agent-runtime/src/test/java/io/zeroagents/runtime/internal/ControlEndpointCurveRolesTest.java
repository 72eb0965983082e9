package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.zeroagents.AgentOptions;
import io.zeroagents.NameServer;
import io.zeroagents.NameServerOptions;
import io.zeroagents.Proxy;
import io.zeroagents.nameserver.NameServerClient;
import io.zeroagents.runtime.internal.control.Call;
import io.zeroagents.runtime.internal.control.ControlRequest;
import io.zeroagents.runtime.internal.control.ControlResponse;
import io.zeroagents.runtime.internal.control.ErrorCode;
import io.zeroagents.runtime.internal.control.GetAttr;
import io.zeroagents.runtime.internal.control.Payload;
import io.zeroagents.runtime.internal.control.SetAttr;
import io.zeroagents.transport.AdminKeys;
import io.zeroagents.transport.CurveKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.SocketType;
import org.zeromq.ZCert;
import org.zeromq.ZConfig;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * With CURVE, the key a client authenticated with decides its role on a control endpoint: a key in
 * {@code authorized/} only is a member's, refused the admin's operations with a message that names
 * the key and the admins file; a key the {@code admins} file lists is an admin's, without the token.
 * The clients are plain JeroMQ sockets with keys of their own, carrying no token.
 */
@Timeout(60)
class ControlEndpointCurveRolesTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicLong IDS = new AtomicLong(1);

    @TempDir
    Path dir;
    private JeroMqRuntime runtime;

    @AfterEach
    void close() {
        if (runtime != null) {
            runtime.close();
        }
    }

    /** A key directory of its own for {@code name}, with a key pair of its own, authorized by the host. */
    private Path client(Path host, String name) throws IOException {
        Path keys = dir.resolve(name);
        CurveKeys.init(keys, name);
        Files.copy(keys.resolve(CurveKeys.AUTHORIZED_DIR).resolve(name + ".public"),
                host.resolve(CurveKeys.AUTHORIZED_DIR).resolve(name + ".public"));
        return keys;
    }

    private static ZCert cert(Path file) {
        try {
            ZConfig config = ZConfig.load(file.toString());
            return new ZCert(config.getValue("curve/public-key"), config.getValue("curve/secret-key"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ControlResponse send(ZMQ.Socket socket, ControlRequest.Builder request) throws Exception {
        long id = IDS.incrementAndGet();
        assertTrue(socket.send(request.setVersion(ControlEndpoint.VERSION).setRequestId(id).setAgent("Keeper").build()
                .toByteArray()));
        while (true) {
            byte[] answer = socket.recv(0);
            assertNotNull(answer, "no answer to " + request.getOperationCase());
            ControlResponse response = ControlResponse.parseFrom(answer);
            if (response.getRequestId() == id) {
                return response;
            }
        }
    }

    private static ControlRequest.Builder setAttr(String value) {
        return ControlRequest.newBuilder().setSetAttr(SetAttr.newBuilder().setName("x").setValue(
                Payload.newBuilder().setCodec("string").setData(ByteString.copyFromUtf8(value))));
    }

    @Test
    void curveKeys_listedInAdmins_mayDoAdminOperations_othersAreMembers() throws Exception {
        Path host = dir.resolve("host");
        CurveKeys.init(host, "host");
        Path member = client(host, "member");
        Path admin = client(host, "admin");
        String adminKey = CurveKeys.load(admin).publicKey();
        String memberKey = CurveKeys.load(member).publicKey();
        Files.writeString(host.resolve(AdminKeys.FILE), "# admins of this system\n" + adminKey + " # ops laptop\n");
        runtime = new JeroMqRuntime(Settings.from(Map.of("zeroagents.curve.dir", host.toString(),
                "zeroagents.default.timeout", "5000")::get, Map.of()));
        NameServer ns = runtime.runNameServer(NameServerOptions.defaults());
        Proxy keeper = runtime.runAgent("Keeper", AgentOptions.builder().nameServer(ns.address()).build());
        keeper.setAttr("x", "original");
        String endpoint;
        try (NameServerClient names = new NameServerClient(ns.address(), WAIT, CurveKeys.load(host))) {
            endpoint = names.lookup("Keeper").getControlEndpoint();
        }
        ZCert server = cert(host.resolve(CurveKeys.HOST_FILE));

        try (ZContext context = new ZContext(1)) {
            ZMQ.Socket asMember = context.createSocket(SocketType.DEALER);
            ZMQ.Socket asAdmin = context.createSocket(SocketType.DEALER);
            Map.of(asMember, cert(member.resolve(CurveKeys.HOST_FILE)), asAdmin, cert(admin.resolve(CurveKeys.HOST_FILE)))
                    .forEach((socket, key) -> {
                        socket.setLinger(0);
                        socket.setReceiveTimeOut((int) WAIT.toMillis());
                        socket.setCurveServerKey(server.getPublicKey());
                        socket.setCurvePublicKey(key.getPublicKey());
                        socket.setCurveSecretKey(key.getSecretKey());
                        socket.connect(endpoint);
                    });

            ControlResponse refused = send(asMember, setAttr("member's"));
            assertFalse(refused.getOk(), refused.toString());
            assertEquals(ErrorCode.FORBIDDEN, refused.getError(), refused.toString());
            assertTrue(refused.getErrorMessage().contains(host.resolve(AdminKeys.FILE) + " (this client's key "
                    + memberKey + " is not)"), refused.getErrorMessage());
            assertEquals(ErrorCode.FORBIDDEN, send(asMember, ControlRequest.newBuilder()
                    .setGetAttr(GetAttr.newBuilder().setName("x"))).getError());
            ControlResponse failed = send(asMember, ControlRequest.newBuilder().setCall(Call.newBuilder()
                    .setMethod("nope")));
            assertEquals("", failed.getRemoteStack(), "a member got the stack");
            assertFalse(failed.getErrorMessage().contains("(methods:"), failed.getErrorMessage());
            assertEquals("original", keeper.getAttr("x"));

            ControlResponse allowed = send(asAdmin, setAttr("admin's"));
            assertTrue(allowed.getOk(), allowed.toString());
            assertEquals("admin's", keeper.getAttr("x"));
            ControlResponse read = send(asAdmin, ControlRequest.newBuilder().setGetAttr(GetAttr.newBuilder().setName("x")));
            assertEquals("admin's", read.getValue().getData().toString(StandardCharsets.UTF_8));
            ControlResponse adminFailed = send(asAdmin, ControlRequest.newBuilder().setCall(Call.newBuilder()
                    .setMethod("nope")));
            assertTrue(adminFailed.getErrorMessage().contains("(methods:"), adminFailed.getErrorMessage());
            assertFalse(adminFailed.getRemoteStack().isEmpty(), "an admin sees the stack");

            // Removed from the admins file, the key is a member's from its next request on.
            Files.writeString(host.resolve(AdminKeys.FILE), "# nobody\n");
            assertEquals(ErrorCode.FORBIDDEN, send(asAdmin, setAttr("again")).getError());
            asMember.close();
            asAdmin.close();
        }
    }
}
