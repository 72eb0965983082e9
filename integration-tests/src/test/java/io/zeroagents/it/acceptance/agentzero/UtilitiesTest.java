package io.zeroagents.it.acceptance.agentzero;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.sockets.NetworkAddresses;
import io.zeroagents.sockets.Poll;
import io.zeroagents.sockets.SocketManager;
import io.zeroagents.sockets.SocketType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** AgentZero's {@code agentzero.util} functions, as {@link NetworkAddresses}, used with a manager. */
@Timeout(30)
class UtilitiesTest {
    private final NetworkAddresses util = SocketManager.addresses();

    /** {@code get_free_tcp_port()} gives a port a manager can bind. */
    @Test
    void freeTcpPort_boundByAManager_works() {
        int port = util.freeTcpPort();
        try (SocketManager sockets = AgentZeroSockets.manager()) {
            String endpoint = sockets.ensureAndBind("api", SocketType.REP, "tcp://127.0.0.1:" + port, Poll.IN)
                    .boundEndpoints().get(0);

            assertEquals("tcp://127.0.0.1:" + port, endpoint);
        }
    }

    /** {@code extract_hostname_from_tcp_address('tcp://192.168.2.42:5051')}. */
    @Test
    void hostOf_tcpAddress_isItsHost() {
        assertEquals("192.168.2.42", util.hostOf("tcp://192.168.2.42:5051"));
    }

    /** {@code fix_zeromq_tcp_address}: a wildcard is no address for a peer. */
    @Test
    void forPeers_wildcard_becomesThisMachinesPublicAddress() {
        assertEquals(util.publicTcpAddress() + ":6000", util.forPeers("tcp://*:6000"));
    }

    /** {@code get_public_zmq_address()} and {@code get_public_ip_address()} agree. */
    @Test
    void publicTcpAddress_isTcpAndThePublicHost() {
        assertTrue(util.publicTcpAddress().startsWith("tcp://"));
        assertEquals("tcp://" + util.publicHost(), util.publicTcpAddress());
    }
}
