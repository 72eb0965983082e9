package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentAddress;
import io.zeroagents.AgentOptions;
import io.zeroagents.NameServer;
import io.zeroagents.NameServerException;
import io.zeroagents.NameServerOptions;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.SocketHandler;
import io.zeroagents.nameserver.NameServerClient;
import io.zeroagents.testing.AgentAwait;
import io.zeroagents.transport.CurveKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.SocketType;
import org.zeromq.ZCert;
import org.zeromq.ZConfig;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * CURVE switched on by one setting: agents' sockets, the name server and control endpoints
 * encrypt, and only clients with an authorized key get in. Runtimes of their own, so one JVM holds
 * a secured system and the strangers that knock.
 */
@Timeout(60)
class CurveTest {
    private static final String SECRET = "TOP-SECRET-PAYLOAD-4711";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration REFUSED = Duration.ofMillis(800);

    @TempDir
    Path keysDir;
    private final List<JeroMqRuntime> runtimes = new CopyOnWriteArrayList<>();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private JeroMqRuntime secure;
    private NameServer ns;
    private AgentAddress receiverAddress;

    @BeforeEach
    void startSecureSystem() throws Exception {
        CurveKeys.init(keysDir, "test-host");
        secure = runtime(keysDir);
        ns = secure.runNameServer(NameServerOptions.defaults());
        Proxy receiver = secure.runAgent("Receiver", AgentOptions.builder().nameServer(ns.address()).build());
        receiverAddress = receiver.bind(Pattern.PULL, "in",
                SocketHandler.onMessage(String.class, (agent, msg) -> received.add(msg)));
    }

    @AfterEach
    void closeRuntimes() {
        runtimes.forEach(JeroMqRuntime::close);
    }

    private JeroMqRuntime runtime(@Nullable Path curve) {
        Map<String, String> properties = new HashMap<>();
        properties.put("zeroagents.default.timeout", "3000");
        if (curve != null) {
            properties.put("zeroagents.curve.dir", curve.toString());
        }
        JeroMqRuntime runtime = new JeroMqRuntime(Settings.from(properties::get, Map.of()));
        runtimes.add(runtime);
        return runtime;
    }

    @Test
    void send_withSystemKeys_isDeliveredAndTheWireCarriesNoPlaintext() throws Exception {
        try (CapturingRelay tap = new CapturingRelay(receiverAddress.endpoint())) {
            Proxy sender = secure.runAgent("Sender", AgentOptions.builder().nameServer(ns.address()).build());
            sender.connect(new AgentAddress(tap.endpoint(), Pattern.PULL, receiverAddress.codec()), "out");
            sender.send("out", SECRET);

            assertTrue(AgentAwait.until(() -> received.contains(SECRET), WAIT), "delivered through the tap");
            assertTrue(tap.capturedBytes() > 64, "the tap saw the traffic");
            assertFalse(tap.captured().contains("SECRET"), "no plaintext on the wire");
        }
    }

    @Test
    void nameServerRequests_withSystemKeys_workAndAreEncrypted() throws Exception {
        try (CapturingRelay tap = new CapturingRelay(ns.address());
             NameServerClient client = new NameServerClient(tap.endpoint(), Duration.ofSeconds(3), keys())) {
            assertEquals("Receiver", client.lookup("Receiver").getName());
            assertFalse(tap.captured().contains("Receiver"), "no agent name on the wire");
        }
    }

    @Test
    void send_withoutCurve_wiretapSeesPlaintext() throws Exception {
        // The control experiment: the same tap on a plain system does see the message.
        JeroMqRuntime plain = runtime(null);
        NameServer plainNs = plain.runNameServer(NameServerOptions.defaults());
        List<String> plainReceived = new CopyOnWriteArrayList<>();
        AgentAddress addr = plain.runAgent("PlainReceiver", AgentOptions.builder().nameServer(plainNs.address()).build())
                .bind(Pattern.PULL, "in", SocketHandler.onMessage(String.class, (agent, msg) -> plainReceived.add(msg)));
        try (CapturingRelay tap = new CapturingRelay(addr.endpoint())) {
            Proxy sender = plain.runAgent("PlainSender", AgentOptions.builder().nameServer(plainNs.address()).build());
            sender.connect(new AgentAddress(tap.endpoint(), Pattern.PULL, addr.codec()), "out");
            sender.send("out", SECRET);
            assertTrue(AgentAwait.until(() -> plainReceived.contains(SECRET), WAIT));
            assertTrue(tap.captured().contains(SECRET));
        }
    }

    @Test
    void remoteProxy_ofAnotherRuntimeWithTheKeys_worksThroughControlEndpoint() {
        JeroMqRuntime other = runtime(keysDir);
        try (NameServer attached = other.nameServer(ns.address())) {
            Proxy receiver = attached.proxy("Receiver");
            assertTrue(receiver instanceof RemoteProxy, "another runtime reaches it through its control endpoint");
            assertEquals("pong", receiver.ping());
        }
    }

    @Test
    void agentOfAPlainRuntime_isRefused() {
        JeroMqRuntime plain = runtime(null);
        NameServer plainNs = plain.runNameServer(NameServerOptions.defaults());
        Proxy stranger = plain.runAgent("Stranger", AgentOptions.builder().nameServer(plainNs.address()).build());
        stranger.connect(receiverAddress, "out");
        // One-way: a plain PUSH whose handshakes keep failing may wait for a peer that never comes.
        stranger.oneway().send("out", "let me in");
        assertFalse(AgentAwait.until(() -> !received.isEmpty(), REFUSED));
        assertThrows(NameServerException.class, () -> plain.nameServer(ns.address()),
                "a plain client gets no answer from the name server");
    }

    @Test
    void clientWithUnauthorizedKey_isRefusedAndTheRefusalCounted() {
        ZCert server = serverCert();
        ZCert unknown = new ZCert();
        long before = secure.curve().refusedClients();
        try (ZContext context = new ZContext(1)) {
            ZMQ.Socket push = context.createSocket(SocketType.PUSH);
            push.setLinger(0);
            // A stalled JeroMQ handshake (zeromq/jeromq#1022) would never reach the authenticator.
            push.setHandshakeIvl(1000);
            push.setCurveServerKey(server.getPublicKey());
            push.setCurvePublicKey(unknown.getPublicKey());
            push.setCurveSecretKey(unknown.getSecretKey());
            push.connect(receiverAddress.endpoint());
            push.send("unauthorized", ZMQ.DONTWAIT);
            assertTrue(AgentAwait.until(() -> secure.curve().refusedClients() > before, WAIT.multipliedBy(2)),
                    "refusal counted");
            assertFalse(AgentAwait.until(() -> !received.isEmpty(), REFUSED));
        }
    }

    @Test
    void clientTrustingAnotherServerKey_cannotConnect() {
        CurveKeys keys = keys();
        ZCert impostor = new ZCert();
        try (ZContext context = new ZContext(1)) {
            ZMQ.Socket push = context.createSocket(SocketType.PUSH);
            push.setLinger(0);
            push.setCurveServerKey(impostor.getPublicKey());
            push.setCurvePublicKey(ZMQ.Curve.z85Decode(keys.publicKey()));
            push.setCurveSecretKey(clientSecret());
            push.connect(receiverAddress.endpoint());
            push.send("wrong server", ZMQ.DONTWAIT);
            assertFalse(AgentAwait.until(() -> !received.isEmpty(), REFUSED));
        }
    }

    private CurveKeys keys() {
        return CurveKeys.load(keysDir);
    }

    /** The host's certificate: its servers serve with it. */
    private ZCert serverCert() {
        return cert(CurveKeys.HOST_FILE);
    }

    /** The host's secret key: its clients connect with it. */
    private byte[] clientSecret() {
        return cert(CurveKeys.HOST_FILE).getSecretKey();
    }

    private ZCert cert(String file) {
        try {
            ZConfig config = ZConfig.load(keysDir.resolve(file).toString());
            return new ZCert(config.getValue("curve/public-key"), config.getValue("curve/secret-key"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
