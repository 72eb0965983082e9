package io.zeroagents.nameserver;

import static io.zeroagents.nameserver.TestEntries.address;
import static io.zeroagents.nameserver.TestEntries.agent;
import static io.zeroagents.nameserver.TestEntries.secret;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.zeroagents.DuplicateAgentNameException;
import io.zeroagents.NameServerException;
import io.zeroagents.UnknownAgentException;
import io.zeroagents.nameserver.protocol.AddressEntry;
import io.zeroagents.nameserver.protocol.AgentEntry;
import io.zeroagents.nameserver.protocol.HeartbeatResult;
import io.zeroagents.nameserver.protocol.Ping;
import io.zeroagents.nameserver.protocol.Request;
import io.zeroagents.nameserver.protocol.Response;
import io.zeroagents.nameserver.protocol.Status;
import io.zeroagents.nameserver.registry.LocalRegistry;
import io.zeroagents.nameserver.registry.NotOwnerException;
import io.zeroagents.nameserver.registry.OwnerKey;
import io.zeroagents.nameserver.registry.Registry;
import io.zeroagents.testsupport.Await;
import io.zeroagents.testsupport.SystemProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NameServerServiceTest {

    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(5);

    private NameServerService service;
    private NameServerClient client;

    @BeforeEach
    void start() {
        service = NameServerService.builder().registry(new LocalRegistry(Duration.ofSeconds(30))).start();
        client = new NameServerClient(service.address(), CLIENT_TIMEOUT);
    }

    @AfterEach
    void stop() {
        client.close();
        service.close();
    }

    @Test
    void lookup_afterRegister_returnsTheEntryWithItsLease() {
        AgentEntry alice = agent("Alice", "h1").toBuilder().addAddresses(address("main", "tcp://127.0.0.1:1")).build();

        client.register(alice, secret("h1"));
        AgentEntry found = client.lookup("Alice");

        assertEquals(alice, found.toBuilder().clearLeaseRemainingMs().build());
        assertTrue(found.getLeaseRemainingMs() > 0 && found.getLeaseRemainingMs() <= 30_000);
    }

    @Test
    void register_duplicateNameFromOtherHost_isRefused() {
        client.register(agent("Alice", "h1"), secret("h1"));

        DuplicateAgentNameException e = assertThrows(DuplicateAgentNameException.class,
                () -> client.register(agent("Alice", "h2"), secret("h2")));

        assertEquals("Agent name 'Alice' is already registered by host h1 (with another host secret) on name server "
                + service.address(), e.getMessage());
    }

    @Test
    void register_blankName_throwsIllegalArgumentException() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> client.register(agent("", "h1"), secret("h1")));

        assertTrue(e.getMessage().contains("blank name"), e.getMessage());
    }

    @Test
    void lookup_unknownName_throwsUnknownAgentException() {
        UnknownAgentException e = assertThrows(UnknownAgentException.class, () -> client.lookup("Bob"));

        assertEquals("No agent named 'Bob' on name server " + service.address(), e.getMessage());
    }

    @Test
    void list_returnsEveryAgentSortedByName() {
        client.register(agent("Carol", "h1"), secret("h1"));
        client.register(agent("Alice", "h2"), secret("h2"));
        client.register(agent("Bob", "h1"), secret("h1"));

        assertEquals(List.of("Alice", "Bob", "Carol"), client.list().stream().map(AgentEntry::getName).toList());
    }

    @Test
    void putAddressAndRemoveAddress_changeTheAgentsAddresses() {
        client.register(agent("Alice", "h1"), secret("h1"));

        client.putAddress("Alice", secret("h1"), address("main", "tcp://127.0.0.1:1"));
        client.putAddress("Alice", secret("h1"), address("pub", "tcp://127.0.0.1:2"));
        client.removeAddress("Alice", secret("h1"), "main");

        assertEquals(List.of(address("pub", "tcp://127.0.0.1:2")), client.lookup("Alice").getAddressesList());
    }

    @Test
    void heartbeat_blankHostIdOrNoSecret_isRefusedAsBadRequest() {
        client.register(agent("Alice", "h1"), secret("h1"));

        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
                () -> client.heartbeat(" ", secret("h1"), List.of("Alice")));
        IllegalArgumentException noSecret = assertThrows(IllegalArgumentException.class,
                () -> client.heartbeat("h1", ByteString.EMPTY, List.of("Alice")));

        assertTrue(blank.getMessage().contains("blank host_id"), blank.getMessage());
        assertTrue(noSecret.getMessage().contains("heartbeat of host h1 carries no host_secret"), noSecret.getMessage());
    }

    @Test
    void putAddress_byOtherHost_throwsNotOwnerException() {
        client.register(agent("Alice", "h1"), secret("h1"));
        AddressEntry main = address("main", "tcp://127.0.0.1:1");

        NotOwnerException e = assertThrows(NotOwnerException.class,
                () -> client.putAddress("Alice", secret("h2"), main));

        assertTrue(e.getMessage().contains("registered by host h1 and the request did not carry that host's secret"),
                e.getMessage());
        assertEquals(List.of(), client.lookup("Alice").getAddressesList());
    }

    @Test
    void removeAddress_unknownAgent_throwsUnknownAgentException() {
        assertThrows(UnknownAgentException.class, () -> client.removeAddress("Bob", secret("h1"), "main"));
    }

    @Test
    void heartbeat_returnsTheNamesTheServerDoesNotHoldForTheHost() {
        client.register(agent("Alice", "h1"), secret("h1"));
        client.register(agent("Bob", "h2"), secret("h2"));

        assertEquals(List.of("Bob", "Carol"),
                client.heartbeat("h1", secret("h1"), List.of("Alice", "Bob", "Carol")).getUnknownNamesList());
    }

    @Test
    void unregister_removesTheAgent() {
        client.register(agent("Alice", "h1"), secret("h1"));

        client.unregister("Alice", secret("h1"));

        assertThrows(UnknownAgentException.class, () -> client.lookup("Alice"));
    }

    @Test
    void unregister_nameNotHeld_isNotAnError() {
        client.unregister("Nobody", secret("h1"));

        assertEquals(List.of(), client.list());
    }

    @Test
    void unregister_byOtherHost_throwsNotOwnerExceptionAndKeepsTheAgent() {
        client.register(agent("Alice", "h1"), secret("h1"));

        assertThrows(NotOwnerException.class, () -> client.unregister("Alice", secret("h2")));

        assertEquals("h1", client.lookup("Alice").getHostId());
    }

    @Test
    void ping_returnsTheServerId() {
        assertEquals(service.serverId(), client.ping());
    }

    @Test
    void call_setsVersionAndAFreshRequestIdPerCall() {
        Request.Builder ping = Request.newBuilder().setPing(Ping.getDefaultInstance());

        Response first = client.call(ping);
        long firstId = ping.getRequestId();
        Response second = client.call(ping);

        assertEquals(NameServerClient.PROTOCOL_VERSION, ping.getVersion());
        assertEquals(firstId, first.getRequestId());
        assertEquals(ping.getRequestId(), second.getRequestId());
        assertNotEquals(firstId, second.getRequestId());
        assertEquals(Status.OK, second.getStatus());
    }

    @Test
    void call_requestWithoutBody_isRejectedBeforeSending() {
        assertThrows(IllegalArgumentException.class, () -> client.call(Request.newBuilder()));
    }

    @Test
    void malformedInput_isDroppedAndCountedWhileAWellBehavedClientIsServed() throws Exception {
        byte[] garbage = unparseableBytes();
        try (ZContext context = new ZContext(1)) {
            ZMQ.Socket raw = rawDealer(context);

            raw.send(garbage, 0);
            client.register(agent("Alice", "h1"), secret("h1"));
            raw.send(new byte[0], 0);
            assertEquals(service.serverId(), client.ping());
            raw.sendMore("one");
            raw.sendMore("two");
            raw.send("three");
            client.register(agent("Bob", "h1"), secret("h1"));
            raw.send(Request.newBuilder().setVersion(2).setRequestId(77).setPing(Ping.getDefaultInstance())
                    .build().toByteArray(), 0);
            assertEquals("h1", client.lookup("Alice").getHostId());
            raw.send(Request.newBuilder().setVersion(1).setRequestId(78).build().toByteArray(), 0);

            Await.until(Duration.ofSeconds(10), () -> service.droppedRequests() == 5, "5 requests to be dropped");
            assertEquals(List.of("Alice", "Bob"), client.list().stream().map(AgentEntry::getName).toList());
            assertEquals(5, service.droppedRequests());
        }
    }

    @Test
    void malformedRequestsWithReadableIds_areAnsweredWithBadRequest() throws Exception {
        try (ZContext context = new ZContext(1)) {
            ZMQ.Socket raw = rawDealer(context);

            raw.send(unparseableBytes(), 0);
            raw.send(new byte[0], 0);
            raw.sendMore("one");
            raw.sendMore("two");
            raw.send("three");
            raw.send(Request.newBuilder().setVersion(2).setRequestId(77).setPing(Ping.getDefaultInstance())
                    .build().toByteArray(), 0);
            raw.send(Request.newBuilder().setVersion(1).setRequestId(78).build().toByteArray(), 0);
            raw.send(Request.newBuilder().setVersion(1).setRequestId(79).setPing(Ping.getDefaultInstance())
                    .build().toByteArray(), 0);

            // Answers to one peer keep its order, so the ping's answer comes last: nothing else was answered.
            List<Response> answers = new ArrayList<>();
            while (answers.isEmpty() || answers.getLast().getRequestId() != 79) {
                byte[] frame = raw.recv(0);
                assertTrue(frame != null, "the name server stopped answering; got " + answers);
                answers.add(Response.parseFrom(frame));
            }

            assertEquals(List.of(0L, 77L, 78L, 79L), answers.stream().map(Response::getRequestId).toList());
            assertEquals(List.of(Status.BAD_REQUEST, Status.BAD_REQUEST, Status.BAD_REQUEST, Status.OK),
                    answers.stream().map(Response::getStatus).toList());
            assertTrue(answers.get(1).getError().contains("version 2"), answers.get(1).getError());
            assertTrue(answers.get(2).getError().contains("no body"), answers.get(2).getError());
        }
    }

    @Test
    void lease_notRenewed_expiresAndTheServiceReportsIt() {
        RecordingRegistry registry = new RecordingRegistry(new LocalRegistry(Duration.ofMillis(300)));
        try (NameServerService shortLease = NameServerService.builder().registry(registry).start();
                NameServerClient shortClient = new NameServerClient(shortLease.address(), CLIENT_TIMEOUT)) {
            shortClient.register(agent("Alice", "h1"), secret("h1"));

            Await.until(Duration.ofSeconds(10),
                    () -> registry.expired.stream().anyMatch(e -> e.getName().equals("Alice")),
                    "the service to expire Alice");

            assertThrows(UnknownAgentException.class, () -> shortClient.lookup("Alice"));
            assertEquals(List.of("Alice"),
                    shortClient.heartbeat("h1", secret("h1"), List.of("Alice")).getUnknownNamesList());
        }
    }

    @Test
    void heartbeat_ofANameAnotherHostTookAfterTheLeaseRanOut_reportsItLostWithTheHolder() {
        long[] now = {0};
        LocalRegistry registry = new LocalRegistry(Duration.ofSeconds(5), () -> now[0]);
        try (NameServerService manual = NameServerService.builder().registry(registry).start();
                NameServerClient manualClient = new NameServerClient(manual.address(), CLIENT_TIMEOUT)) {
            manualClient.register(agent("Alice", "h1"), secret("h1"));
            now[0] += Duration.ofSeconds(6).toNanos();
            manualClient.register(agent("Alice", "h2").toBuilder().setControlEndpoint("tcp://127.0.0.1:4242").build(),
                    secret("h2"));

            HeartbeatResult result = manualClient.heartbeat("h1", secret("h1"), List.of("Alice", "Bob"));

            assertEquals(List.of("Alice", "Bob"), result.getUnknownNamesList(), "lost names stay unknown for old hosts");
            assertEquals(1, result.getLostCount(), result.toString());
            assertEquals("Alice", result.getLost(0).getName());
            assertEquals("h2", result.getLost(0).getHostId());
            assertEquals("tcp://127.0.0.1:4242", result.getLost(0).getControlEndpoint());
            assertEquals(0, result.getLost(0).getAddressesCount());
        }
    }

    @Test
    void stopAgents_marksOnlyAgentsWhoseHostsTalkToThisServer_asInAFederation() {
        // Two name servers over one registry: what a federation looks like to each of them.
        LocalRegistry shared = new LocalRegistry(Duration.ofSeconds(30));
        try (NameServerService first = NameServerService.builder().registry(shared).start();
                NameServerService second = NameServerService.builder().registry(shared).start();
                NameServerClient viaFirst = new NameServerClient(first.address(), CLIENT_TIMEOUT);
                NameServerClient viaSecond = new NameServerClient(second.address(), CLIENT_TIMEOUT)) {
            viaFirst.register(agent("Alice", "h1"), secret("h1"));
            viaSecond.register(agent("Bob", "h2"), secret("h2"));

            assertEquals(List.of("Bob"), viaSecond.stopAgents(List.of(), second.adminToken()));
            assertEquals(List.of(), viaSecond.stopAgents(List.of("Alice"), second.adminToken()));

            assertEquals(List.of(), viaFirst.heartbeat("h1", secret("h1"), List.of("Alice")).getStopNamesList());
            assertEquals(List.of("Bob"), viaSecond.heartbeat("h2", secret("h2"), List.of("Bob")).getStopNamesList());
        }
    }

    @Test
    void close_closesAnAutoCloseableRegistry_evenWhenTheServiceFailsToStart() {
        ClosingRegistry first = new ClosingRegistry();
        NameServerService.builder().registry(first).start().close();
        assertTrue(first.closed, "the service owns its registry");

        ClosingRegistry second = new ClosingRegistry();
        assertThrows(NameServerException.class, () -> NameServerService.builder()
                .bind(service.address()).registry(second).start());
        assertTrue(second.closed, "a registry whose service could not start is closed too");
    }

    @Test
    @ResourceLock(Resources.SYSTEM_PROPERTIES)
    void start_badSpinProperty_failsNamingThePropertyAndClosesTheRegistry() {
        ClosingRegistry registry = new ClosingRegistry();
        IllegalArgumentException e = SystemProperties.with(NameServerService.SPIN_PROPERTY, "-5",
                () -> assertThrows(IllegalArgumentException.class,
                        () -> NameServerService.builder().registry(registry).start()));
        assertTrue(e.getMessage().contains("'-5'") && e.getMessage().contains(NameServerService.SPIN_PROPERTY),
                e.getMessage());
        assertTrue(registry.closed, "a registry whose service could not start is closed");
    }

    /** A local registry that records being closed, as a federated one leaves its federation. */
    private static final class ClosingRegistry extends RecordingRegistry implements AutoCloseable {
        volatile boolean closed;

        ClosingRegistry() {
            super(new LocalRegistry(Duration.ofSeconds(5)));
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void start_portInUse_failsWithNameServerExceptionNamingTheEndpoint() {
        NameServerException e = assertThrows(NameServerException.class,
                () -> NameServerService.builder()
                        .bind(service.address()).registry(new LocalRegistry(Duration.ofSeconds(1))).start());

        assertTrue(e.getMessage().contains(service.address()), e.getMessage());
        assertEquals(service.serverId(), client.ping());
    }

    @Test
    void start_endpointOtherThanTcp_isRejectedAndClosesTheRegistry() {
        ClosingRegistry registry = new ClosingRegistry();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NameServerService.builder().bind("inproc://names").registry(registry).start());

        assertTrue(e.getMessage().contains("'inproc://names'") && e.getMessage().contains("tcp://"), e.getMessage());
        assertTrue(registry.closed, "a registry whose service could not start is closed");
    }

    @Test
    void start_withoutRegistry_failsSayingWhatIsMissing() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> NameServerService.builder().bind("tcp://127.0.0.1:*").start());

        assertTrue(e.getMessage().contains("registry("), e.getMessage());
    }

    @Test
    void start_negativeSpin_isRejectedAndClosesTheRegistry() {
        ClosingRegistry registry = new ClosingRegistry();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NameServerService.builder().registry(registry).spin(Duration.ofMillis(-1)).start());

        assertTrue(e.getMessage().contains("spin"), e.getMessage());
        assertTrue(registry.closed, "a registry whose service could not start is closed");
    }

    @Test
    void builder_nullArguments_areRefusedAtOnce() {
        NameServerServiceBuilder builder = NameServerService.builder();

        assertThrows(NullPointerException.class, () -> builder.bind(null));
        assertThrows(NullPointerException.class, () -> builder.registry(null));
        assertThrows(NullPointerException.class, () -> builder.spin(null));
    }

    @Test
    void address_ofWildcardBind_isLoopbackWithTheRealPort() {
        try (NameServerService wildcard = NameServerService.builder().bind("tcp://*:0").plainTextBeyondLoopback(true)
                .registry(new LocalRegistry(Duration.ofSeconds(1))).start();
                NameServerClient wildcardClient = new NameServerClient(wildcard.address(), CLIENT_TIMEOUT)) {

            assertTrue(wildcard.address().matches("tcp://127\\.0\\.0\\.1:[1-9][0-9]*"), wildcard.address());
            assertEquals(wildcard.serverId(), wildcardClient.ping());
        }
    }

    @Test
    void start_wildcardWithoutCurveOrConsent_isRefusedNamingTheSettings() {
        NameServerServiceBuilder builder = NameServerService.builder().bind("tcp://0.0.0.0:0")
                .plainTextBeyondLoopback(false).registry(new LocalRegistry(Duration.ofSeconds(1)));

        NameServerException refused = assertThrows(NameServerException.class, builder::start);

        assertTrue(refused.getMessage().contains("tcp://0.0.0.0:0")
                && refused.getMessage().contains("zeroagents.curve.dir")
                && refused.getMessage().contains("zeroagents.insecure.no.curve"), refused.getMessage());
    }

    @Test
    void close_endsTheServingThreadAndIsIdempotent() {
        String port = service.address().substring(service.address().lastIndexOf(':') + 1);
        assertTrue(servingThreads().stream().anyMatch(t -> t.getName().equals("zeroagents-nameserver-" + port)));

        service.close();
        service.close();

        assertEquals(List.of(), servingThreads());
    }

    @Test
    void twoServicesOnRandomPorts_keepSeparateRegistries() {
        try (NameServerService other = NameServerService.builder()
                .registry(new LocalRegistry(Duration.ofSeconds(30))).start();
                NameServerClient otherClient = new NameServerClient(other.address(), CLIENT_TIMEOUT)) {
            client.register(agent("Alice", "h1"), secret("h1"));
            otherClient.register(agent("Alice", "h2"), secret("h2"));

            assertNotEquals(service.address(), other.address());
            assertNotEquals(client.ping(), otherClient.ping());
            assertEquals("h1", client.lookup("Alice").getHostId());
            assertEquals("h2", otherClient.lookup("Alice").getHostId());
        }
    }

    private ZMQ.Socket rawDealer(ZContext context) {
        ZMQ.Socket raw = context.createSocket(SocketType.DEALER);
        raw.setLinger(0);
        // Retries a connection JeroMQ left without its handshake (zeromq/jeromq#1022).
        raw.setHandshakeIvl(500);
        raw.setReceiveTimeOut((int) CLIENT_TIMEOUT.toMillis());
        raw.connect(service.address());
        return raw;
    }

    private static byte[] unparseableBytes() {
        byte[] garbage = new byte[64];
        new Random(7).nextBytes(garbage);
        assertThrows(InvalidProtocolBufferException.class, () -> Request.parseFrom(garbage),
                "the fixture must not be a valid Request");
        return garbage;
    }

    private static List<Thread> servingThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("zeroagents-nameserver-") && t.isAlive())
                .toList();
    }

    /** Remembers every entry the service expires. */
    private static class RecordingRegistry implements Registry {
        private final Registry delegate;
        final List<AgentEntry> expired = new CopyOnWriteArrayList<>();

        RecordingRegistry(Registry delegate) {
            this.delegate = delegate;
        }

        @Override
        public void register(AgentEntry entry, OwnerKey owner) {
            delegate.register(entry, owner);
        }

        @Override
        public boolean unregister(String name, OwnerKey owner) {
            return delegate.unregister(name, owner);
        }

        @Override
        public Optional<AgentEntry> evict(String name) {
            return delegate.evict(name);
        }

        @Override
        public List<String> renew(OwnerKey owner, Collection<String> names) {
            return delegate.renew(owner, names);
        }

        @Override
        public Optional<AgentEntry> lookup(String name) {
            return delegate.lookup(name);
        }

        @Override
        public List<AgentEntry> list() {
            return delegate.list();
        }

        @Override
        public void putAddress(String name, OwnerKey owner, AddressEntry address) {
            delegate.putAddress(name, owner, address);
        }

        @Override
        public void removeAddress(String name, OwnerKey owner, String alias) {
            delegate.removeAddress(name, owner, alias);
        }

        @Override
        public List<AgentEntry> expire() {
            List<AgentEntry> removed = delegate.expire();
            expired.addAll(removed);
            return removed;
        }

        @Override
        public Duration lease() {
            return delegate.lease();
        }
    }
}
