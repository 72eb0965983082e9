package io.zeroagents.it.acceptance.agentzero;

import static io.zeroagents.it.acceptance.agentzero.AgentZeroSockets.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.sockets.Poll;
import io.zeroagents.sockets.SocketBindError;
import io.zeroagents.sockets.SocketConnectError;
import io.zeroagents.sockets.SocketManager;
import io.zeroagents.sockets.SocketType;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * AgentZero's {@code bind}, {@code ensure_and_bind}, {@code bind_to_random_port} (with host names
 * resolved), {@code connect} and {@code ensure_and_connect}, and their errors.
 */
@Timeout(30)
class BindAndConnectTest {
    final SocketManager sockets = AgentZeroSockets.manager();

    @AfterEach
    void close() {
        sockets.close();
    }

    /** {@code sockets.create('pipe-in', zmq.PULL); sockets.bind('pipe-in', 'tcp://*:6000', zmq.POLLIN)} on loopback. */
    @Test
    void bind_createdPull_receivesWhatIsPushedToTheAddress() {
        sockets.create("pipe-in", SocketType.PULL);
        String address = sockets.bind("pipe-in", "tcp://127.0.0.1:*", Poll.IN).boundEndpoints().get(0);
        sockets.ensureAndConnect("pusher", SocketType.PUSH, address, Poll.NONE);

        sockets.sendSafe("pusher", "hello");

        assertEquals(Optional.of("hello"), sockets.recvSafe("pipe-in", String.class));
    }

    /** AgentZero's {@code bind('pipe-in', 'tcp://*:6000', ...)} binds every interface: refused here without CURVE. */
    @Test
    void bind_everyInterfaceWithoutCurve_raisesSocketBindError() {
        sockets.create("pipe-in", SocketType.PULL);

        assertThrows(SocketBindError.class, () -> sockets.bind("pipe-in", "tcp://*:6000", Poll.IN));
    }

    /** {@code ensure_and_bind} replaces {@code get_or_create}, {@code bind} and {@code engage}, once. */
    @Test
    void ensureAndBind_calledTwice_createsAndBindsOnce() {
        String first = sockets.ensureAndBind("pipe-in", SocketType.PULL, "tcp://127.0.0.1:*", Poll.IN)
                .boundEndpoints().get(0);

        sockets.ensureAndBind("pipe-in", SocketType.PULL, "tcp://127.0.0.1:*", Poll.IN);

        assertEquals(List.of(first), sockets.getByName("pipe-in").boundEndpoints());
    }

    /** {@code bind_to_random_port('api-server', zmq.POLLIN | zmq.POLLOUT, local_address='tcp://…')} returns the address. */
    @Test
    void bindToRandomPort_hostName_returnsTheResolvedAddressWithItsPort() {
        sockets.create("api-server", SocketType.REP);

        String address = sockets.bindToRandomPort("api-server", Poll.BOTH, "tcp://localhost");

        assertTrue(address.matches("tcp://(127\\.0\\.0\\.1|\\[::1\\]):\\d+"), address);
        sockets.ensureAndConnect("client", SocketType.REQ, address, Poll.BOTH);
        sockets.sendSafe("client", "ping");
        assertEquals(Optional.of("ping"), sockets.recvSafe("api-server", String.class));
    }

    /** {@code bind} to a host name resolves it, AgentZero's "bind to hostnames, with automatic DNS resolution". */
    @Test
    void bind_hostName_isResolvedBeforeBinding() {
        sockets.create("pipe-in", SocketType.PULL);

        String endpoint = sockets.bind("pipe-in", "tcp://localhost:*", Poll.IN).boundEndpoints().get(0);

        assertTrue(endpoint.matches("tcp://(127\\.0\\.0\\.1|\\[::1\\]):\\d+"), endpoint);
    }

    /** {@code ensure_and_connect(socket_name='logs', zmq.REQ, 'tcp://…:7000', zmq.POLLIN | zmq.POLLOUT)}. */
    @Test
    void ensureAndConnect_calledTwice_connectsOnce() {
        sockets.ensureAndConnect("logs", SocketType.REQ, "tcp://127.0.0.1:7000", Poll.BOTH);

        sockets.ensureAndConnect("logs", SocketType.REQ, "tcp://127.0.0.1:7000", Poll.BOTH);

        assertEquals(List.of("tcp://127.0.0.1:7000"), sockets.getByName("logs").connectedEndpoints());
    }

    /** A connect that fails raises {@code SocketConnectError}. */
    @Test
    void connect_malformedAddress_raisesSocketConnectError() {
        sockets.create("logs", SocketType.PUB);

        assertThrows(SocketConnectError.class, () -> sockets.connect("logs", "tcp://", Poll.OUT));
    }

    /** The dynamic scaling AgentZero's note describes: connecting to a new node while running. */
    @Test
    void connect_newNodeWhileRunning_itGetsItsShare() {
        String a = sockets.ensureAndBind("node-a", SocketType.PULL, "tcp://127.0.0.1:*", Poll.IN).boundEndpoints().get(0);
        String b = sockets.ensureAndBind("node-b", SocketType.PULL, "tcp://127.0.0.1:*", Poll.IN).boundEndpoints().get(0);
        sockets.ensureAndConnect("work", SocketType.PUSH, a, Poll.NONE);
        sockets.sendSafe("work", 1);
        assertEquals(Optional.of(1), sockets.recvSafe("node-a", Integer.class));

        sockets.ensureAndConnect("work", SocketType.PUSH, b, Poll.NONE);

        boolean reachedB = false;
        for (long end = System.nanoTime() + WAIT.toNanos(); !reachedB && System.nanoTime() < end; ) {
            sockets.sendSafe("work", 2);
            reachedB = sockets.recvSafe("node-b", Integer.class, AgentZeroSockets.SHORT).isPresent();
        }
        assertTrue(reachedB, "the node connected later never got a message");
    }
}
