package io.zeroagents.it.acceptance.agentzero;

import static io.zeroagents.it.acceptance.agentzero.AgentZeroSockets.SHORT;
import static io.zeroagents.it.acceptance.agentzero.AgentZeroSockets.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.sockets.Poll;
import io.zeroagents.sockets.SocketManager;
import io.zeroagents.sockets.SocketType;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * AgentZero's polling across sockets: {@code engage}, {@code ready} and {@code wait_until_ready},
 * "the ability to wait until a socket has received data".
 */
@Timeout(30)
class PollingTest {
    final SocketManager sockets = AgentZeroSockets.manager();

    @AfterEach
    void close() {
        sockets.close();
    }

    private String pipe() {
        String address = sockets.ensureAndBind("pipe-in", SocketType.PULL, "tcp://127.0.0.1:*", Poll.IN)
                .boundEndpoints().get(0);
        sockets.ensureAndConnect("pipe-out", SocketType.PUSH, address, Poll.OUT);
        return address;
    }

    /** {@code engage()} returns the sockets ready, each with its state. */
    @Test
    void engage_dataWaitingAndPeerConnected_reportsInForPullAndOutForPush() {
        pipe();
        sockets.sendSafe("pipe-out", "data");
        assertTrue(sockets.waitUntilReady("pipe-in", Poll.IN, WAIT).isPresent());

        Map<String, Poll> ready = sockets.engage(SHORT);

        assertEquals(Map.of("pipe-in", Poll.IN, "pipe-out", Poll.OUT), ready);
    }

    /** {@code engage()} with nothing ready returns nothing once its timeout passed. */
    @Test
    void engage_nothingReady_returnsNothing() {
        sockets.ensureAndBind("pipe-in", SocketType.PULL, "tcp://127.0.0.1:*", Poll.IN);

        assertEquals(Map.of(), sockets.engage(SHORT));
    }

    /** {@code ready(name, zmq.POLLIN)} returns the socket when data waits, else {@code None}. */
    @Test
    void ready_beforeAndAfterData_emptyThenTheSocket() {
        pipe();
        assertEquals(Optional.empty(), sockets.ready("pipe-in", Poll.IN, SHORT));

        sockets.sendSafe("pipe-out", "data");

        assertTrue(sockets.waitUntilReady("pipe-in", Poll.IN, WAIT).isPresent());
        assertEquals("pipe-in", sockets.ready("pipe-in", Poll.IN).orElseThrow().name());
    }

    /** {@code wait_until_ready} returns {@code None} once its timeout passed without data. */
    @Test
    void waitUntilReady_noData_emptyAfterTheTimeout() {
        pipe();
        long start = System.nanoTime();

        assertEquals(Optional.empty(), sockets.waitUntilReady("pipe-in", Poll.IN, SHORT, Duration.ofMillis(20)));

        assertTrue(System.nanoTime() - start >= SHORT.toNanos());
    }

    /** A REQ is ready to send, then, once it sent, ready only to receive its reply. */
    @Test
    void waitUntilReady_requester_readyToSendThenNotUntilItsReply() {
        String address = sockets.ensureAndBind("server", SocketType.REP, "tcp://127.0.0.1:*", Poll.BOTH)
                .boundEndpoints().get(0);
        sockets.ensureAndConnect("requester", SocketType.REQ, address, Poll.BOTH);
        assertTrue(sockets.waitUntilReady("requester", Poll.OUT, WAIT).isPresent());

        sockets.sendSafe("requester", "job?");

        assertEquals(Optional.empty(), sockets.waitUntilReady("requester", Poll.OUT, SHORT));
        assertEquals(Optional.of("job?"), sockets.recvSafe("server", String.class));
        sockets.sendSafe("server", "job-1");
        assertEquals(Optional.of("job-1"), sockets.recvSafe("requester", String.class));
    }
}
