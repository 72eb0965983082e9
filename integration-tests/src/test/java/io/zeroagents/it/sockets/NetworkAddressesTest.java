package io.zeroagents.it.sockets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.sockets.NetworkAddresses;
import io.zeroagents.sockets.SocketManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** AgentZero's address utilities ({@code agentzero.util}) as {@link NetworkAddresses}. */
@Timeout(30)
class NetworkAddressesTest {
    private final NetworkAddresses addresses = SocketManager.addresses();

    @Test
    void freeTcpPort_returnedPort_canBeListenedOn() throws IOException {
        int port = addresses.freeTcpPort();

        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(port, socket.getLocalPort());
        }
    }

    @Test
    void hostOf_tcpAddresses_returnsTheirHost() {
        assertEquals("example.org", addresses.hostOf("tcp://example.org:5051"));
        assertEquals("192.168.2.42", addresses.hostOf("tcp://192.168.2.42:*"));
        assertEquals("::1", addresses.hostOf("tcp://[::1]:5051"));
        assertEquals("example.org", addresses.hostOf("tcp://example.org"));
    }

    @Test
    void hostOf_notTcp_throwsIllegalArgumentNamingTheAddress() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> addresses.hostOf("inproc://jobs"));

        assertTrue(e.getMessage().contains("inproc://jobs"), e.getMessage());
    }

    @Test
    void resolve_namesAndLiterals_giveAddresses() {
        assertTrue(InetAddress.getLoopbackAddress().getHostAddress().equals(addresses.resolve("localhost"))
                || "127.0.0.1".equals(addresses.resolve("localhost")));
        assertEquals("10.1.2.3", addresses.resolve("10.1.2.3"));
        assertThrows(IllegalArgumentException.class, () -> addresses.resolve("no-such-host.invalid"));
    }

    @Test
    void forPeers_wildcards_becomeThePublicHostAndOthersStay() {
        String host = addresses.publicHost();

        assertEquals("tcp://" + host + ":6000", addresses.forPeers("tcp://0.0.0.0:6000"));
        assertEquals("tcp://" + host + ":6000", addresses.forPeers("tcp://*:6000"));
        assertEquals("tcp://127.0.0.1:6000", addresses.forPeers("tcp://127.0.0.1:6000"));
        assertEquals("inproc://jobs", addresses.forPeers("inproc://jobs"));
    }

    @Test
    void defaultBindAddress_withoutCurve_isLoopback() {
        assertEquals("tcp://127.0.0.1", addresses.defaultBindAddress());
    }

    @Test
    void publicTcpAddress_isThePublicHostAsTcp() {
        assertEquals("tcp://" + addresses.publicHost(), addresses.publicTcpAddress());
    }
}
