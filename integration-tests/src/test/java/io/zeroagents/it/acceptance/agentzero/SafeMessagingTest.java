package io.zeroagents.it.acceptance.agentzero;

import static io.zeroagents.it.acceptance.agentzero.AgentZeroSockets.SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.sockets.Poll;
import io.zeroagents.sockets.SocketManager;
import io.zeroagents.sockets.SocketNotFound;
import io.zeroagents.sockets.SocketType;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** AgentZero's {@code send_safe} and {@code recv_safe}: serialized, waiting for the socket, never blocking forever. */
@Timeout(30)
class SafeMessagingTest {
    final SocketManager sockets = AgentZeroSockets.manager();

    @AfterEach
    void close() {
        sockets.close();
    }

    /** The documented {@code recv_safe('pipe-in')} returning the video-download instructions. */
    @Test
    void recvSafe_pipelineInstructions_returnsTheDeserializedData() {
        String address = sockets.ensureAndBind("pipe-in", SocketType.PULL, "tcp://127.0.0.1:*", Poll.IN)
                .boundEndpoints().get(0);
        sockets.ensureAndConnect("pipe-out", SocketType.PUSH, address, Poll.NONE);
        Map<String, Object> instructions = Map.of("pipeline", "video-download",
                "instructions", Map.of("url", "https://www.youtube.com/watch?v=FPZ6mVsv4EI"));

        assertTrue(sockets.sendSafe("pipe-out", instructions));

        assertEquals(Optional.of(instructions), sockets.recvSafe("pipe-in", Object.class));
    }

    /** {@code send_safe} returns {@code False} when the socket never became available. */
    @Test
    void sendSafe_noPeer_returnsFalse() {
        sockets.create("pipe-out", SocketType.PUSH);

        assertFalse(sockets.sendSafe("pipe-out", "lost", SHORT));
    }

    /** {@code recv_safe} returns {@code None} when nothing came. */
    @Test
    void recvSafe_nothingCame_returnsEmpty() {
        sockets.ensureAndBind("pipe-in", SocketType.PULL, "tcp://127.0.0.1:*", Poll.IN);

        assertEquals(Optional.empty(), sockets.recvSafe("pipe-in", Object.class, SHORT));
    }

    /** Both raise {@code SocketNotFound} when the socket name is wrong. */
    @Test
    void sendSafeAndRecvSafe_wrongName_raiseSocketNotFound() {
        assertThrows(SocketNotFound.class, () -> sockets.sendSafe("wrong", "x"));
        assertThrows(SocketNotFound.class, () -> sockets.recvSafe("wrong", Object.class));
    }

    /** A PAIR talks both ways, each side waiting for the other's message. */
    @Test
    void sendSafe_pairBothWays_eachSideGetsTheOthersData() {
        String address = sockets.ensureAndBind("left", SocketType.PAIR, "tcp://127.0.0.1:*", Poll.BOTH)
                .boundEndpoints().get(0);
        sockets.ensureAndConnect("right", SocketType.PAIR, address, Poll.BOTH);

        sockets.sendSafe("left", Map.of("n", 1));
        sockets.sendSafe("right", Map.of("n", 2));

        assertEquals(Optional.of(Map.of("n", 1)), sockets.recvSafe("right", Object.class));
        assertEquals(Optional.of(Map.of("n", 2)), sockets.recvSafe("left", Object.class));
    }
}
