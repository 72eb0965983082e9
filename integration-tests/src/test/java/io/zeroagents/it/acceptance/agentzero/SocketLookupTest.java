package io.zeroagents.it.acceptance.agentzero;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.zeroagents.sockets.NamedSocket;
import io.zeroagents.sockets.Poll;
import io.zeroagents.sockets.SocketAlreadyExists;
import io.zeroagents.sockets.SocketManager;
import io.zeroagents.sockets.SocketNotFound;
import io.zeroagents.sockets.SocketType;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * AgentZero's sockets by name ({@code create}, {@code get_by_name}, {@code get_or_create},
 * {@code register_socket}) and the exceptions its documentation shows for them.
 */
@Timeout(30)
class SocketLookupTest {
    final SocketManager sockets = AgentZeroSockets.manager();

    @AfterEach
    void close() {
        sockets.close();
    }

    /** {@code sockets.create('foo', zmq.REP)} twice: {@code SocketAlreadyExists}. */
    @Test
    void create_sameNameTwice_raisesSocketAlreadyExistsAsDocumented() {
        sockets.create("foo", SocketType.REP);

        SocketAlreadyExists e = assertThrows(SocketAlreadyExists.class, () -> sockets.create("foo", SocketType.REP));

        assertEquals("SocketManager(sockets=[foo]) already has a socket named 'foo'", e.getMessage());
    }

    /** {@code sockets.get_by_name('some-name')} on an empty manager: {@code SocketNotFound}. */
    @Test
    void getByName_unknownName_raisesSocketNotFoundAsDocumented() {
        SocketNotFound e = assertThrows(SocketNotFound.class, () -> sockets.getByName("some-name"));

        assertEquals("SocketManager(sockets=[]) has no socket named 'some-name'", e.getMessage());
    }

    /** {@code create} returns the socket itself, which {@code get_by_name} finds again. */
    @Test
    void create_returnsTheSocket_getByNameReturnsItAgain() {
        NamedSocket socket = sockets.create("pipe-in", SocketType.PULL);

        assertSame(socket, sockets.getByName("pipe-in"));
    }

    /** {@code get_or_create("requester", zmq.REQ, zmq.POLLIN | zmq.POLLOUT)}, as documented. */
    @Test
    void getOrCreate_requesterWithPollInAndOut_isARequesterPolledForBoth() {
        NamedSocket socket = sockets.getOrCreate("requester", SocketType.REQ, Poll.BOTH);

        assertEquals(SocketType.REQ, socket.type());
        assertEquals(Poll.BOTH, socket.polling());
        assertSame(socket, sockets.getOrCreate("requester", SocketType.REQ, Poll.BOTH));
        assertEquals(List.of("requester"), sockets.socketNames());
    }

    /** Every socket type AgentZero's documentation names (REQ, PUB, PAIR...) and the rest of ZeroMQ's. */
    @Test
    void create_everySocketType_makesASocketOfThatType() {
        for (SocketType type : SocketType.values()) {
            assertEquals(type, sockets.create(type.name().toLowerCase(), type).type());
        }
    }
}
