package io.zeroagents.it.sockets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentException;
import io.zeroagents.Codec;
import io.zeroagents.sockets.NamedSocket;
import io.zeroagents.sockets.Poll;
import io.zeroagents.sockets.SocketAlreadyExists;
import io.zeroagents.sockets.SocketBindError;
import io.zeroagents.sockets.SocketConnectError;
import io.zeroagents.sockets.SocketManager;
import io.zeroagents.sockets.SocketManagerException;
import io.zeroagents.sockets.SocketNotFound;
import io.zeroagents.sockets.SocketType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@link SocketManager}'s sockets by name, binding and connecting, polling and its exceptions,
 * through agent-api against real sockets. Messages and events are in {@link SocketManagerMessagesTest}.
 */
@Timeout(30)
class SocketManagerTest {
    static final Duration SHORT = Duration.ofMillis(200);
    static final Duration WAIT = Duration.ofSeconds(10);

    SocketManager sockets;

    @BeforeEach
    void build() {
        sockets = SocketManager.builder().pollingTimeout(Duration.ofMillis(100)).timeout(WAIT).build();
    }

    @AfterEach
    void close() {
        sockets.close();
    }

    @Test
    void create_newName_socketHasItsTypeAndIsNotPolled() {
        NamedSocket socket = sockets.create("pipe-in", SocketType.PULL);

        assertEquals("pipe-in", socket.name());
        assertEquals(SocketType.PULL, socket.type());
        assertEquals(Poll.NONE, socket.polling());
        assertEquals(List.of("pipe-in"), sockets.socketNames());
    }

    @Test
    void create_nameInUse_throwsSocketAlreadyExistsNamingTheManagersSockets() {
        sockets.create("foo", SocketType.REP);

        SocketAlreadyExists e = assertThrows(SocketAlreadyExists.class, () -> sockets.create("foo", SocketType.REP));

        assertEquals("SocketManager(sockets=[foo]) already has a socket named 'foo'", e.getMessage());
    }

    @Test
    void exceptions_allOfThem_areAgentExceptions() {
        for (Class<?> type : List.of(SocketAlreadyExists.class, SocketNotFound.class, SocketBindError.class,
                SocketConnectError.class)) {
            assertTrue(SocketManagerException.class.isAssignableFrom(type), type.getName());
            assertTrue(AgentException.class.isAssignableFrom(type), type.getName());
        }
    }

    @Test
    void getByName_unknownName_throwsSocketNotFoundNamingIt() {
        sockets.create("a", SocketType.PUB);

        SocketNotFound e = assertThrows(SocketNotFound.class, () -> sockets.getByName("some-name"));

        assertEquals("SocketManager(sockets=[a]) has no socket named 'some-name'", e.getMessage());
    }

    @Test
    void getByName_createdSocket_returnsIt() {
        NamedSocket created = sockets.create("a", SocketType.PAIR);

        assertSame(created, sockets.getByName("a"));
    }

    @Test
    void getOrCreate_existingSocket_returnsItPolledForBoth() {
        NamedSocket created = sockets.getOrCreate("requester", SocketType.REQ, Poll.IN);

        NamedSocket again = sockets.getOrCreate("requester", SocketType.REQ, Poll.OUT);

        assertSame(created, again);
        assertEquals(Poll.BOTH, again.polling());
    }

    @Test
    void getOrCreate_existingSocketOfAnotherType_throwsNamingBothTypes() {
        sockets.create("a", SocketType.PUB);

        SocketManagerException e = assertThrows(SocketManagerException.class,
                () -> sockets.getOrCreate("a", SocketType.SUB, Poll.IN));

        assertTrue(e.getMessage().contains("'a' as a PUB, not a SUB"), e.getMessage());
    }

    @Test
    void registerSocket_notASocket_throwsIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> sockets.registerSocket("x", "not a socket", Poll.IN));
    }

    @Test
    void bind_loopbackWithPortStar_boundEndpointHasTheChosenPort() {
        sockets.create("pipe-in", SocketType.PULL);

        NamedSocket socket = sockets.bind("pipe-in", "tcp://127.0.0.1:*", Poll.IN);

        String endpoint = socket.boundEndpoints().get(0);
        assertTrue(endpoint.matches("tcp://127\\.0\\.0\\.1:\\d+"), endpoint);
        assertEquals(Poll.IN, socket.polling());
    }

    @Test
    void bind_hostName_bindsTheAddressItResolvesTo() {
        sockets.create("pipe-in", SocketType.PULL);

        String endpoint = sockets.bind("pipe-in", "tcp://localhost:*", Poll.IN).boundEndpoints().get(0);

        assertTrue(endpoint.matches("tcp://(127\\.0\\.0\\.1|\\[::1\\]):\\d+"), endpoint);
    }

    @Test
    void bind_addressInUse_throwsSocketBindErrorNamingSocketAndAddress() {
        String taken = sockets.ensureAndBind("first", SocketType.PULL, "tcp://127.0.0.1:*", Poll.IN)
                .boundEndpoints().get(0);
        sockets.create("second", SocketType.PULL);

        SocketBindError e = assertThrows(SocketBindError.class, () -> sockets.bind("second", taken, Poll.IN));

        assertTrue(e.getMessage().contains("socket 'second' (PULL) to " + taken), e.getMessage());
    }

    @Test
    void bind_wildcardWithoutCurve_throwsSocketBindErrorWithAdvice() {
        sockets.create("pipe-in", SocketType.PULL);

        SocketBindError e = assertThrows(SocketBindError.class,
                () -> sockets.bind("pipe-in", "tcp://*:0", Poll.IN));

        assertTrue(e.getMessage().contains("CURVE is off"), e.getMessage());
        assertTrue(e.getMessage().contains("zeroagents.insecure.no.curve"), e.getMessage());
    }

    @Test
    void bind_unknownSocket_throwsSocketNotFound() {
        assertThrows(SocketNotFound.class, () -> sockets.bind("nope", "tcp://127.0.0.1:*", Poll.IN));
    }

    @Test
    void ensureAndBind_sameAddressTwice_bindsOnce() {
        String address = "inproc://ensure-and-bind-" + System.nanoTime();
        sockets.ensureAndBind("pipe-in", SocketType.PULL, address, Poll.IN);

        NamedSocket socket = sockets.ensureAndBind("pipe-in", SocketType.PULL, address, Poll.IN);

        assertEquals(List.of(address), socket.boundEndpoints());
    }

    @Test
    void bindToRandomPort_hostName_returnsTheResolvedAddressAndChosenPort() {
        sockets.create("api-server", SocketType.REP);

        String address = sockets.bindToRandomPort("api-server", Poll.BOTH, "tcp://localhost");

        assertTrue(address.matches("tcp://(127\\.0\\.0\\.1|\\[::1\\]):\\d+"), address);
        assertEquals(List.of(address), sockets.getByName("api-server").boundEndpoints());
    }

    @Test
    void bindToRandomPort_noAddress_bindsTheDefaultBindAddress() {
        sockets.create("api-server", SocketType.REP);

        String address = sockets.bindToRandomPort("api-server", Poll.BOTH);

        assertTrue(address.startsWith(SocketManager.addresses().defaultBindAddress() + ":"), address);
    }

    @Test
    void bindToRandomPort_addressWithPort_throwsSocketBindError() {
        sockets.create("api-server", SocketType.REP);

        assertThrows(SocketBindError.class,
                () -> sockets.bindToRandomPort("api-server", Poll.BOTH, "tcp://127.0.0.1:5000"));
    }

    @Test
    void connect_unknownTransport_throwsSocketConnectErrorNamingSocketAndAddress() {
        sockets.create("requester", SocketType.REQ);

        SocketConnectError e = assertThrows(SocketConnectError.class,
                () -> sockets.connect("requester", "bogus://nowhere", Poll.BOTH));

        assertTrue(e.getMessage().contains("socket 'requester' (REQ) to bogus://nowhere"), e.getMessage());
    }

    @Test
    void ensureAndConnect_sameAddressTwice_connectsOnce() {
        NamedSocket socket = sockets.ensureAndConnect("requester", SocketType.REQ, "tcp://127.0.0.1:5051", Poll.BOTH);

        sockets.ensureAndConnect("requester", SocketType.REQ, "tcp://127.0.0.1:5051", Poll.BOTH);

        assertEquals(List.of("tcp://127.0.0.1:5051"), socket.connectedEndpoints());
    }

    @Test
    void engage_messageWaiting_reportsTheSocketReadyToReceive() {
        String address = sockets.ensureAndBind("in", SocketType.PULL, "tcp://127.0.0.1:*", Poll.IN)
                .boundEndpoints().get(0);
        sockets.ensureAndConnect("out", SocketType.PUSH, address, Poll.OUT);
        assertTrue(sockets.sendSafe("out", "hello"));

        Map<String, Poll> ready = waitForEngage("in");

        assertEquals(Poll.IN, ready.get("in"));
    }

    @Test
    void engage_nothingReady_returnsEmptyAfterTheTimeout() {
        sockets.ensureAndBind("in", SocketType.PULL, "tcp://127.0.0.1:*", Poll.IN);

        assertEquals(Map.of(), sockets.engage(SHORT));
    }

    @Test
    void ready_connectedPush_isReadyToSend() {
        String address = sockets.ensureAndBind("in", SocketType.PULL, "tcp://127.0.0.1:*", Poll.IN)
                .boundEndpoints().get(0);
        sockets.ensureAndConnect("out", SocketType.PUSH, address, Poll.OUT);

        assertTrue(sockets.waitUntilReady("out", Poll.OUT, WAIT).isPresent());
        assertTrue(sockets.ready("out", Poll.OUT).isPresent());
        assertFalse(sockets.ready("in", Poll.IN, SHORT).isPresent());
    }

    @Test
    void waitUntilReady_noMessageComes_isEmptyOnceTheTimeoutPassed() {
        sockets.ensureAndBind("in", SocketType.PULL, "tcp://127.0.0.1:*", Poll.IN);
        // A socket always ready to send must not cut the wait for another socket short.
        sockets.ensureAndBind("events", SocketType.PUB, "tcp://127.0.0.1:*", Poll.OUT);

        long start = System.nanoTime();
        Optional<NamedSocket> ready = sockets.waitUntilReady("in", Poll.IN, SHORT, Duration.ofMillis(50));

        assertEquals(Optional.empty(), ready);
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(SHORT) >= 0);
    }

    @Test
    void close_existingName_forgetsItAndTheNameCanBeUsedAgain() {
        sockets.ensureAndBind("logs", SocketType.SUB, "tcp://127.0.0.1:*", Poll.IN);

        assertTrue(sockets.close("logs"));

        assertFalse(sockets.close("logs"));
        assertThrows(SocketNotFound.class, () -> sockets.getByName("logs"));
        assertEquals(SocketType.PUB, sockets.create("logs", SocketType.PUB).type());
    }

    @Test
    void close_manager_laterCallsThrowIllegalStateAndClosingAgainDoesNothing() {
        sockets.create("a", SocketType.PUSH);

        sockets.close();
        sockets.close();

        assertThrows(IllegalStateException.class, () -> sockets.getByName("a"));
    }

    @Test
    void anyCall_fromAnotherThread_throwsIllegalStateNamingBothThreads() throws Exception {
        sockets.create("a", SocketType.PUSH);
        Throwable[] thrown = new Throwable[1];
        Thread other = new Thread(() -> {
            try {
                sockets.getByName("a");
            } catch (Throwable t) {
                thrown[0] = t;
            }
        }, "intruder");
        other.start();
        other.join();

        assertTrue(thrown[0] instanceof IllegalStateException, String.valueOf(thrown[0]));
        assertTrue(thrown[0].getMessage().contains("'" + Thread.currentThread().getName() + "'"));
        assertTrue(thrown[0].getMessage().contains("'intruder'"));
    }

    @Test
    void builder_autoCodec_isRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> SocketManager.builder().codec(Codec.AUTO).build());
    }

    @Test
    void builder_defaults_areAgentZerosJsonAndTenSeconds() {
        try (SocketManager defaults = SocketManager.builder().build()) {
            assertEquals(Codec.JSON, defaults.options().codec());
            assertEquals(Duration.ofSeconds(10), defaults.options().timeout());
            assertEquals(Duration.ofSeconds(10), defaults.options().pollingTimeout());
            assertFalse(defaults.options().sharedContext());
        }
    }

    @Test
    void sharedContext_twoManagers_reachEachOtherOverInproc() {
        String address = "inproc://shared-" + System.nanoTime();
        try (SocketManager a = SocketManager.builder().sharedContext().timeout(WAIT).build();
             SocketManager b = SocketManager.builder().sharedContext().timeout(WAIT).build()) {
            a.ensureAndBind("in", SocketType.PULL, address, Poll.IN);
            b.ensureAndConnect("out", SocketType.PUSH, address, Poll.OUT);

            assertTrue(b.sendSafe("out", 42));
            assertEquals(Optional.of(42), a.recvSafe("in", Integer.class));
        }
    }

    @Test
    void ownContexts_twoManagers_doNotShareInprocEndpoints() {
        String address = "inproc://own-" + System.nanoTime();
        try (SocketManager other = SocketManager.builder().build()) {
            sockets.ensureAndBind("in", SocketType.PULL, address, Poll.IN);
            other.ensureAndConnect("out", SocketType.PUSH, address, Poll.OUT);

            other.sendSafe("out", 42, SHORT);

            assertEquals(Optional.empty(), sockets.recvSafe("in", Integer.class, SHORT));
        }
    }

    private Map<String, Poll> waitForEngage(String name) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Map<String, Poll> ready = Map.of();
        while (!ready.containsKey(name) && System.nanoTime() < deadline) {
            ready = sockets.engage(SHORT);
        }
        assertNotEquals(Map.of(), ready);
        return ready;
    }
}
