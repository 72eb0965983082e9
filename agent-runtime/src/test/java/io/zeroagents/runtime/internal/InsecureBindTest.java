package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.zeroagents.AgentAddress;
import io.zeroagents.AgentException;
import io.zeroagents.AgentOptions;
import io.zeroagents.BindOptions;
import io.zeroagents.NameServer;
import io.zeroagents.NameServerException;
import io.zeroagents.NameServerOptions;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.SocketHandler;
import io.zeroagents.nameserver.NameServerClient;
import io.zeroagents.runtime.internal.control.ControlRequest;
import io.zeroagents.runtime.internal.control.ControlResponse;
import io.zeroagents.runtime.internal.control.ErrorCode;
import io.zeroagents.runtime.internal.control.Payload;
import io.zeroagents.runtime.internal.control.SetAttr;
import io.zeroagents.runtime.internal.control.Sockets;
import io.zeroagents.testing.AgentAwait;
import io.zeroagents.testsupport.RawZmtpPeer;
import io.zeroagents.transport.CurveKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.core.LogEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secure by default: without CURVE, an agent's socket, the host's control endpoint and an embedded
 * name server refuse to bind an address other machines can reach, because a stranger who reaches
 * such a port operates the agents. Loopback stays open; CURVE, or the explicit
 * {@code zeroagents.insecure.no.curve} (warned at start), lets the binds through. Through the
 * public API of runtimes of the test's own, whose settings it chooses.
 */
@Timeout(60)
class InsecureBindTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String INSECURE = "zeroagents.insecure.no.curve";

    @TempDir
    Path keysDir;
    private final List<JeroMqRuntime> runtimes = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeRuntimes() {
        runtimes.forEach(JeroMqRuntime::close);
    }

    private JeroMqRuntime runtime(Map<String, String> settings) {
        Map<String, String> properties = new HashMap<>(settings);
        properties.put("zeroagents.default.timeout", "5000");
        JeroMqRuntime runtime = new JeroMqRuntime(Settings.from(properties::get, Map.of()));
        runtimes.add(runtime);
        return runtime;
    }

    private static AgentOptions registeredWith(NameServer ns) {
        return AgentOptions.builder().nameServer(ns.address()).build();
    }

    private static void assertNamesTheWayOut(String message) {
        assertTrue(message.contains("zeroagents.curve.dir") && message.contains(INSECURE), message);
    }

    @Test
    void bind_wildcardWithoutCurve_isRefusedNamingAgentAliasAddressAndSettings() {
        JeroMqRuntime runtime = runtime(Map.of());
        NameServer ns = runtime.runNameServer(NameServerOptions.defaults());
        Proxy victim = runtime.runAgent("Victim", registeredWith(ns));

        AgentException refused = assertThrows(AgentException.class, () -> victim.bind(Pattern.PULL, "in",
                BindOptions.builder().address("0.0.0.0").build()));

        String message = refused.getMessage();
        assertTrue(message.contains("'Victim'") && message.contains("'in'") && message.contains("tcp://0.0.0.0:*"),
                message);
        assertNamesTheWayOut(message);
        assertFalse(victim.hasSocket("in"), "the refused socket stays closed");
        AgentAddress loopback = victim.bind(Pattern.PULL, "local");
        assertTrue(loopback.endpoint().startsWith("tcp://127.0.0.1:"), "loopback needs no CURVE: " + loopback);
    }

    @Test
    void runAgent_controlEndpointOnWildcardWithoutCurve_isRefusedNamingAgentAddressAndSettings() {
        JeroMqRuntime runtime = runtime(Map.of("zeroagents.default.host", "0.0.0.0"));
        NameServer ns = runtime.runNameServer(NameServerOptions.defaults());

        AgentException refused = assertThrows(AgentException.class, () -> runtime.runAgent("Victim",
                registeredWith(ns)));

        String message = refused.getMessage();
        assertTrue(message.contains("'Victim'") && message.contains("control endpoint")
                && message.contains("tcp://0.0.0.0:*"), message);
        assertNamesTheWayOut(message);
        assertTrue(ns.agents().isEmpty(), "nothing was registered: " + ns.agents());
    }

    @Test
    void runNameServer_wildcardWithoutCurve_isRefusedNamingTheSettings() {
        JeroMqRuntime runtime = runtime(Map.of());

        NameServerException refused = assertThrows(NameServerException.class, () -> runtime.runNameServer(
                NameServerOptions.builder().address("tcp://0.0.0.0:*").build()));

        assertTrue(refused.getMessage().contains("tcp://0.0.0.0:*"), refused.getMessage());
        assertNamesTheWayOut(refused.getMessage());
    }

    @Test
    void runAgent_wildcardWithInsecureSetting_startsWarnedAndAStrangerReachesTheAgentThoughNotItsState() throws Exception {
        List<LogEvent> warnings;
        JeroMqRuntime runtime;
        try (WarningCapture capture = WarningCapture.open()) {
            runtime = runtime(Map.of("zeroagents.default.host", "0.0.0.0", INSECURE, "true"));
            warnings = capture.events();
        }
        NameServer ns = runtime.runNameServer(NameServerOptions.defaults());
        Proxy victim = runtime.runAgent("Victim", registeredWith(ns));
        AgentAddress wildcard = victim.bind(Pattern.PULL, "in", BindOptions.builder().address("*").build());
        assertFalse(wildcard.endpoint().contains("*"), wildcard.endpoint());
        victim.setAttr("owner", "alice");
        String control;
        try (NameServerClient names = new NameServerClient(ns.address(), WAIT)) {
            control = names.lookup("Victim").getControlEndpoint();
        }

        // What the consent costs: a stranger with a plain socket, no key, is a member of the agent's
        // host (it lists the agent's sockets, sends through them, calls its own methods), though
        // changing the agent's state still takes the host's admin token.
        try (RawZmtpPeer stranger = RawZmtpPeer.connect(control, "DEALER")) {
            stranger.sendMessage(ControlRequest.newBuilder().setVersion(ControlEndpoint.VERSION).setRequestId(1)
                    .setAgent("Victim").setSockets(Sockets.getDefaultInstance()).build().toByteArray());
            ControlResponse sockets = ControlResponse.parseFrom(stranger.receive());
            assertTrue(sockets.getOk(), "the stranger's request was refused: " + sockets);
            assertEquals(wildcard.endpoint(), sockets.getSockets().getAddresses(0).getEndpoint());
            stranger.sendMessage(ControlRequest.newBuilder().setVersion(ControlEndpoint.VERSION).setRequestId(2)
                    .setAgent("Victim").setSetAttr(SetAttr.newBuilder().setName("owner").setValue(Payload.newBuilder()
                            .setCodec("json").setData(ByteString.copyFromUtf8("\"mallory\"")))).build().toByteArray());
            assertEquals(ErrorCode.FORBIDDEN, ControlResponse.parseFrom(stranger.receive()).getError());
        }
        assertEquals("alice", victim.getAttr("owner"));
        assertTrue(warnings.stream().anyMatch(event -> event.getMessage().getFormattedMessage().contains(INSECURE)),
                "no warning at start naming " + INSECURE + ": " + warnings);
    }

    @Test
    void runAgent_wildcardWithCurve_bindsAndDeliversBetweenKeyHolders() throws Exception {
        CurveKeys.init(keysDir, "test-host");
        JeroMqRuntime runtime = runtime(Map.of("zeroagents.default.host", "0.0.0.0",
                "zeroagents.curve.dir", keysDir.toString()));
        NameServer ns = runtime.runNameServer(NameServerOptions.builder().address("tcp://0.0.0.0:*").build());
        List<String> received = new CopyOnWriteArrayList<>();
        Proxy receiver = runtime.runAgent("Receiver", registeredWith(ns));
        AgentAddress in = receiver.bind(Pattern.PULL, "in",
                SocketHandler.onMessage(String.class, (agent, message) -> received.add(message)));
        Proxy sender = runtime.runAgent("Sender", registeredWith(ns));

        sender.connect(ns.addr("Receiver", "in"), "out");
        sender.send("out", "sealed");

        assertFalse(in.endpoint().contains("0.0.0.0"), in.endpoint());
        assertTrue(AgentAwait.until(() -> received.contains("sealed"), WAIT), "delivered over CURVE: " + received);
    }
}
