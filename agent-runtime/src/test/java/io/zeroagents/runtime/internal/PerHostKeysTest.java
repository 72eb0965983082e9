package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentAddress;
import io.zeroagents.AgentException;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hosts, each with a key pair of its own, that let each other in: host A runs the name server
 * and a receiving agent, host B trusts A's name server by address and reaches A's agents through
 * the keys the name server hands out with their addresses. Without the right key, a connection
 * gets nothing through; an address with no known key is refused, naming what to add. Runtimes of
 * their own in one JVM, each with its own key directory.
 */
@Timeout(60)
class PerHostKeysTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration REFUSED = Duration.ofMillis(800);

    @TempDir
    Path dir;
    private final List<JeroMqRuntime> runtimes = new CopyOnWriteArrayList<>();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private CurveKeys keysA;
    private CurveKeys keysB;
    private JeroMqRuntime hostA;
    private JeroMqRuntime hostB;
    private NameServer ns;
    private AgentAddress receiverAddress;

    @BeforeEach
    void twoHosts() throws IOException {
        keysA = CurveKeys.init(dir.resolve("a"), "host-a");
        keysB = CurveKeys.init(dir.resolve("b"), "host-b");
        letIn(keysB, keysA);
        letIn(keysA, keysB);
        hostA = runtime(keysA);
        ns = hostA.runNameServer(NameServerOptions.defaults());
        trust(keysB, keysA, ns.address());
        hostB = runtime(keysB);
        receiverAddress = hostA.runAgent("Receiver", AgentOptions.builder().nameServer(ns.address()).build())
                .bind(Pattern.PULL, "in", SocketHandler.onMessage(String.class, (agent, msg) -> received.add(msg)));
    }

    @AfterEach
    void closeRuntimes() {
        runtimes.forEach(JeroMqRuntime::close);
    }

    @Test
    void bindAndNameServer_withCurve_handOutTheBindingHostsOwnKey() {
        assertNotEquals(keysA.publicKey(), keysB.publicKey());
        assertEquals(keysA.publicKey(), receiverAddress.serverKey());
        try (NameServer attached = hostB.nameServer(ns.address())) {
            assertEquals(receiverAddress, attached.addr("Receiver", "in"));
        }
    }

    @Test
    void connect_addressFromTheNameServer_isDeliveredToAnotherHost() {
        Proxy sender = hostB.runAgent("Sender", AgentOptions.builder().nameServer(ns.address()).build());
        try (NameServer attached = hostB.nameServer(ns.address())) {
            sender.connect(attached.addr("Receiver", "in"), "out");
        }
        sender.send("out", "across hosts");

        assertTrue(AgentAwait.until(() -> received.contains("across hosts"), WAIT));
    }

    @Test
    void remoteProxy_ofAnotherHost_pinsTheKeyTheNameServerRecordedForIt() {
        try (NameServer attached = hostB.nameServer(ns.address());
             NameServerClient names = new NameServerClient(ns.address(), WAIT, keysB)) {
            assertEquals(keysA.publicKey(), names.lookup("Receiver").getControlServerKey());
            Proxy receiver = attached.proxy("Receiver");
            assertTrue(receiver instanceof RemoteProxy, "another host reaches it through its control endpoint");
            assertEquals("pong", receiver.ping());
        }
    }

    @Test
    void connect_addressWithoutKeyOnThisMachine_pinsThisHostsKeyAndGetsNothingThrough() {
        Proxy sender = hostB.runAgent("Sender", AgentOptions.builder().nameServer(ns.address()).build());
        // Built by hand, without a key: host B pins its own key, which host A does not serve with.
        sender.connect(new AgentAddress(receiverAddress.endpoint(), Pattern.PULL, receiverAddress.codec()), "out");
        sender.oneway().send("out", "to whoever answers");

        assertFalse(AgentAwait.until(() -> !received.isEmpty(), REFUSED));
    }

    @Test
    void connect_addressPinnedByHand_isDelivered() {
        Proxy sender = hostB.runAgent("Sender", AgentOptions.builder().nameServer(ns.address()).build());
        sender.connect(new AgentAddress(receiverAddress.endpoint(), Pattern.PULL, receiverAddress.codec())
                .withServerKey(keysA.publicKey()), "out");
        sender.send("out", "pinned");

        assertTrue(AgentAwait.until(() -> received.contains("pinned"), WAIT));
    }

    @Test
    void connect_addressElsewhereWithNoKnownKey_isRefusedNamingTheAddressAndWhatToAdd() {
        Proxy sender = hostB.runAgent("Sender", AgentOptions.builder().nameServer(ns.address()).build());

        AgentException refused = assertThrows(AgentException.class, () -> sender.connect(
                AgentAddress.raw("tcp://192.0.2.7:5555", Pattern.PULL, io.zeroagents.Codec.STRING), "out"));

        for (String named : new String[] {"Sender", "out", "tcp://192.0.2.7:5555",
                keysB.directory().resolve(CurveKeys.SERVERS_DIR).toString(), "keys trust"}) {
            assertTrue(refused.getMessage().contains(named), () -> "missing '" + named + "' in: " + refused.getMessage());
        }
    }

    @Test
    void nameServer_ofAnotherHostNotTrusted_doesNotAnswerAndTheErrorNamesThePinnedKey() throws IOException {
        // Host C is let in, but does not trust A's name server: on this machine it pins its own key.
        CurveKeys keysC = CurveKeys.init(dir.resolve("c"), "host-c");
        letIn(keysC, keysA);
        JeroMqRuntime hostC = runtime(keysC);

        NameServerException refused = assertThrows(NameServerException.class, () -> hostC.nameServer(ns.address()));

        assertTrue(refused.getMessage().contains(keysC.publicKey()), refused.getMessage());
    }

    private JeroMqRuntime runtime(CurveKeys keys) {
        Map<String, String> properties = Map.of("zeroagents.default.timeout", "3000",
                "zeroagents.curve.dir", keys.directory().toString());
        JeroMqRuntime runtime = new JeroMqRuntime(Settings.from(properties::get, Map.of()));
        runtimes.add(runtime);
        return runtime;
    }

    /** Lets {@code client}'s host into {@code server}'s: its public certificate in the allow-list. */
    private static void letIn(CurveKeys client, CurveKeys server) throws IOException {
        Files.writeString(server.directory().resolve(CurveKeys.AUTHORIZED_DIR).resolve(
                client.directory().getFileName() + ".public"), client.publicCertificate());
    }

    /** Trusts {@code server}'s host at {@code endpoint}, in {@code client}'s key directory. */
    private void trust(CurveKeys client, CurveKeys server, String endpoint) throws IOException {
        Path certificate = dir.resolve(server.directory().getFileName() + "-export.public");
        Files.writeString(certificate, server.publicCertificate());
        CurveKeys.trust(client.directory(), certificate, List.of(endpoint));
    }
}
