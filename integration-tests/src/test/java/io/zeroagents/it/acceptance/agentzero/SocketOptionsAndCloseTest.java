package io.zeroagents.it.acceptance.agentzero;

import static io.zeroagents.it.acceptance.agentzero.AgentZeroSockets.SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.sockets.Poll;
import io.zeroagents.sockets.SocketManager;
import io.zeroagents.sockets.SocketNotFound;
import io.zeroagents.sockets.SocketOption;
import io.zeroagents.sockets.SocketType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** AgentZero's {@code set_socket_option} (its documented HWM example) and {@code close}. */
@Timeout(30)
class SocketOptionsAndCloseTest {
    final SocketManager sockets = AgentZeroSockets.manager();

    @AfterEach
    void close() {
        sockets.close();
    }

    /** {@code set_socket_option('pipe-in', zmq.HWM, 10)}: "block after 10 messages are queued". */
    @Test
    void setSocketOption_highWaterMarkOfTen_sendsStopWhenTheQueuesAreFull() {
        sockets.create("pipe-in", SocketType.PULL);
        sockets.setSocketOption("pipe-in", SocketOption.HWM, 10);
        sockets.setSocketOption("pipe-in", SocketOption.RCVBUF, 4096);
        String address = sockets.bind("pipe-in", "tcp://127.0.0.1:*", Poll.IN).boundEndpoints().get(0);
        sockets.create("pipe-out", SocketType.PUSH);
        sockets.setSocketOption("pipe-out", SocketOption.HWM, 10);
        sockets.setSocketOption("pipe-out", SocketOption.SNDBUF, 4096);
        sockets.connect("pipe-out", address, Poll.NONE);
        byte[] big = new byte[64 * 1024];

        int sent = 0;
        while (sent < 10_000 && sockets.sendSafe("pipe-out", List.of(big), SHORT)) {
            sent++;
        }

        assertTrue(sent < 10_000, "a full queue must refuse more; sent " + sent);
    }

    /** The documented {@code create('logs', zmq.SUB); bind(...); close('logs')}. */
    @Test
    void close_boundSocket_isGoneAndItsAddressFree() {
        sockets.create("logs", SocketType.SUB);
        String address = sockets.bind("logs", "tcp://127.0.0.1:*", Poll.IN).boundEndpoints().get(0);

        assertTrue(sockets.close("logs"));

        assertThrows(SocketNotFound.class, () -> sockets.getByName("logs"));
        assertFalse(sockets.close("logs"));
        List<String> rebound = new ArrayList<>();
        for (long end = System.nanoTime() + AgentZeroSockets.WAIT.toNanos(); rebound.isEmpty() && System.nanoTime() < end; ) {
            try {
                rebound.addAll(sockets.ensureAndBind("logs", SocketType.SUB, address, Poll.IN).boundEndpoints());
            } catch (io.zeroagents.sockets.SocketBindError stillClosing) {
                sockets.close("logs");
            }
        }
        assertEquals(List.of(address), rebound);
    }
}
