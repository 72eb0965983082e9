package io.zeroagents.it.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentAddress;
import io.zeroagents.Agents;
import io.zeroagents.Codec;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.SocketHandler;
import io.zeroagents.Transport;
import io.zeroagents.testkit.NameServerExtension;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ports osBrain's {@code osbrain/tests/test_address.py} and {@code osbrain/tests/test_agentaddress.py}:
 * transports, socket kinds and their twins, roles, serializers (codecs here), and agent addresses
 * and channels, as values and as agents return them.
 *
 * <p>osBrain's {@code AgentAddressKind} is {@link Pattern}; its {@code AgentAddressRole} (server or
 * client) is the pattern's side, {@link Pattern#serverOnly()}/{@link Pattern#clientOnly()} for
 * channels and bind-versus-connect for the rest; its {@code AgentChannel} is an {@link AgentAddress}
 * with a {@linkplain AgentAddress#requestEndpoint() request endpoint}.
 *
 * <p>Scenarios skipped, and why:
 * <ul>
 *   <li>{@code test_invalid_address_to_host_port}, {@code test_valid_address_to_host_port},
 *       {@code test_agent_address_to_host_port}: osBrain's {@code address_to_host_port} helper; an
 *       address here is one endpoint string, read back as it was bound.</li>
 *   <li>{@code test_kind}, comparison with {@code zmq.REQ} and the other integers: patterns are an enum,
 *       never compared with ZeroMQ's socket-type numbers.</li>
 *   <li>{@code test_socket_address}: osBrain's host-and-port pair has no Java counterpart; equality of
 *       addresses is tested on {@link AgentAddress}.</li>
 * </ul>
 * Plain ZeroMQ peers and raw addresses are exercised over real sockets in {@link AgentTransportTest}.
 */
@Timeout(30)
class AddressTest {
    @RegisterExtension
    final NameServerExtension ns = new NameServerExtension();

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ipc", "inproc", "TCP", " Inproc "})
    void transportParse_knownName_isAccepted(String name) {
        assertEquals(name.trim().toLowerCase(java.util.Locale.ROOT), Transport.parse(name).scheme());
    }

    @Test
    void transportParse_unknownName_isRefusedListingTheKnownOnes() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Transport.parse("foo"));

        assertTrue(error.getMessage().contains("inproc, ipc, tcp"), error.getMessage());
    }

    @Test
    void transportOfEndpoint_withoutScheme_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> Transport.ofEndpoint("127.0.0.1:123"));
        assertEquals(Transport.TCP, Transport.ofEndpoint("tcp://127.0.0.1:123"));
    }

    @Test
    void patternTwin_everyPattern_isItsPeersPattern() {
        Map<Pattern, Pattern> twins = Map.of(
                Pattern.REQ, Pattern.REP, Pattern.PUSH, Pattern.PULL, Pattern.PUB, Pattern.SUB,
                Pattern.SYNC_PUB, Pattern.SYNC_SUB, Pattern.ASYNC_REP, Pattern.ASYNC_REQ);

        twins.forEach((pattern, twin) -> {
            assertEquals(twin, pattern.twin(), pattern.name());
            assertEquals(pattern, twin.twin(), twin.name());
        });
        assertEquals(EnumSet.allOf(Pattern.class).size(), twins.size() * 2);
    }

    @ParameterizedTest
    @EnumSource(Pattern.class)
    void patternReceives_isTrueExactlyForPatternsThatNeedAHandler(Pattern pattern) {
        Set<Pattern> handled = EnumSet.of(Pattern.REP, Pattern.PULL, Pattern.SUB, Pattern.SYNC_PUB, Pattern.SYNC_SUB,
                Pattern.ASYNC_REP, Pattern.ASYNC_REQ);

        assertEquals(handled.contains(pattern), pattern.receives());
    }

    @ParameterizedTest
    @EnumSource(Pattern.class)
    void patternRole_serverOnlyAndClientOnlyAreTwinsOfEachOther(Pattern pattern) {
        assertEquals(pattern.serverOnly(), pattern.twin().clientOnly());
        assertFalse(pattern.serverOnly() && pattern.clientOnly());
        assertEquals(pattern == Pattern.SYNC_PUB || pattern == Pattern.ASYNC_REP, pattern.serverOnly());
    }

    @Test
    void codec_idIsCaseInsensitiveThroughOfButLowerCaseInItself() {
        assertEquals(Codec.JSON, Codec.of(" JSON "));
        assertEquals(Codec.RAW, Codec.of("raw"));
        assertThrows(IllegalArgumentException.class, () -> new Codec("Json"));
        assertThrows(IllegalArgumentException.class, () -> new Codec(" "));
    }

    @Test
    void agentAddress_sameComponents_areEqual() {
        AgentAddress address = new AgentAddress("ipc://addr", Pattern.PUSH, Codec.AUTO);

        assertEquals(new AgentAddress("ipc://addr", Pattern.PUSH, Codec.AUTO), address);
        assertEquals(new AgentAddress("ipc://addr", Pattern.PUSH, Codec.AUTO).hashCode(), address.hashCode());
        assertNotEquals(new AgentAddress("ipc://other", Pattern.PUSH, Codec.AUTO), address);
        assertNotEquals(new AgentAddress("ipc://addr", Pattern.PULL, Codec.AUTO), address);
        assertNotEquals(new AgentAddress("ipc://addr", Pattern.PUSH, Codec.JSON), address);
        assertNotEquals(AgentAddress.raw("ipc://addr", Pattern.PUSH, Codec.AUTO), address);
        assertFalse(address.equals("foo"));
    }

    @Test
    void agentAddressTwin_swapsThePatternOnly() {
        AgentAddress address = new AgentAddress("ipc://addr", Pattern.PUSH, Codec.JSON);

        assertEquals(new AgentAddress("ipc://addr", Pattern.PULL, Codec.JSON), address.twin());
        assertEquals(address, address.twin().twin());
        assertEquals(Pattern.PULL, address.clientPattern());
    }

    @Test
    void agentAddress_endpointWithUnknownTransport_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new AgentAddress("foo://addr", Pattern.PUSH, Codec.AUTO));
    }

    @Test
    void agentAddressTransport_isReadFromTheEndpoint() {
        assertEquals(Transport.TCP, new AgentAddress("tcp://127.0.0.1:1234", Pattern.PUSH, Codec.AUTO).transport());
        assertEquals(Transport.IPC, new AgentAddress("ipc://name", Pattern.PUSH, Codec.AUTO).transport());
        assertEquals(Transport.INPROC, new AgentAddress("inproc://name", Pattern.PUSH, Codec.AUTO).transport());
    }

    @Test
    void agentChannel_syncPubWithoutRequestEndpoint_isRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new AgentAddress("tcp://127.0.0.1:1234", Pattern.SYNC_PUB, Codec.AUTO));
        assertThrows(IllegalArgumentException.class,
                () -> new AgentAddress("tcp://127.0.0.1:1234", Pattern.PUB, Codec.AUTO, false, "tcp://127.0.0.1:1235"));
    }

    @Test
    void agentChannelTwin_keepsBothEndpoints() {
        AgentAddress channel = new AgentAddress("tcp://127.0.0.1:1234", Pattern.SYNC_PUB, Codec.AUTO, false,
                "tcp://127.0.0.1:1235");

        AgentAddress twin = channel.twin();

        assertEquals(Pattern.SYNC_SUB, twin.pattern());
        assertEquals("tcp://127.0.0.1:1234", twin.endpoint());
        assertEquals("tcp://127.0.0.1:1235", twin.requestEndpoint());
        assertEquals(channel, twin.twin());
    }

    @Test
    void rawAddress_keepsRawThroughTwinAndRefusesEnvelopeOnlyPatterns() {
        AgentAddress raw = AgentAddress.raw("tcp://127.0.0.1:1234", Pattern.PULL, Codec.STRING);

        assertTrue(raw.raw());
        assertTrue(raw.twin().raw());
        assertThrows(IllegalArgumentException.class,
                () -> AgentAddress.raw("tcp://127.0.0.1:1234", Pattern.ASYNC_REP, Codec.STRING));
    }

    @Test
    void bindAndConnect_serverAddressAndItsTwin_areWhatEachSideSees() {
        Proxy server = Agents.runAgent("server");
        Proxy client = Agents.runAgent("client");

        AgentAddress bound = server.bind(Pattern.PUSH, "push");
        AgentAddress connected = client.connect(bound, "pull");

        assertEquals(Pattern.PUSH, bound.pattern());
        assertEquals(bound.twin(), connected);
        assertEquals(bound, server.addr("push"));
        assertEquals(bound, ns.nameServer().addr("server", "push"));
    }

    @Test
    void bind_syncPub_returnsAChannelWithARequestEndpoint() {
        Proxy server = Agents.runAgent("server");
        Proxy client = Agents.runAgent("client");

        AgentAddress channel = server.bind(Pattern.SYNC_PUB, "sync",
                SocketHandler.onRequest(String.class, (agent, request) -> request));
        AgentAddress connected = client.connect(channel, "sub", String.class, (agent, message) -> { });

        assertEquals(Pattern.SYNC_PUB, channel.pattern());
        assertTrue(channel.requestEndpoint() != null && !channel.requestEndpoint().equals(channel.endpoint()),
                String.valueOf(channel));
        assertEquals(channel.twin(), connected);
    }

    @Test
    void bind_asyncRep_returnsAnAddressWithoutRequestEndpoint() {
        AgentAddress address = Agents.runAgent("server").bind(Pattern.ASYNC_REP, "async",
                SocketHandler.onRequest(String.class, (agent, request) -> request));

        assertEquals(Pattern.ASYNC_REP, address.pattern());
        assertNull(address.requestEndpoint());
    }
}
