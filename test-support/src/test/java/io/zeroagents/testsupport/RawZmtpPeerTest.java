package io.zeroagents.testsupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two raw peers talk to each other: the handshake and the framing are the same on both sides. */
@Timeout(30)
class RawZmtpPeerTest {

    @Test
    void connectAndAccept_sendMessage_framesArriveInOrderShortAndLong() throws Exception {
        try (RawZmtpPeer.Listener listener = RawZmtpPeer.listen()) {
            CompletableFuture<RawZmtpPeer> accepted = CompletableFuture.supplyAsync(() -> listener.accept("PULL"));
            try (RawZmtpPeer pusher = RawZmtpPeer.connect(listener.endpoint(), "PUSH");
                    RawZmtpPeer puller = accepted.get(10, TimeUnit.SECONDS)) {
                byte[] large = new byte[300];
                large[299] = 7;

                pusher.sendMessage("one".getBytes(StandardCharsets.US_ASCII), large);

                assertArrayEquals("one".getBytes(StandardCharsets.US_ASCII), puller.receive());
                assertArrayEquals(large, puller.receive());
            }
        }
    }

    @Test
    void close_otherSideSeesTheConnectionClosed() throws Exception {
        try (RawZmtpPeer.Listener listener = RawZmtpPeer.listen()) {
            CompletableFuture<RawZmtpPeer> accepted = CompletableFuture.supplyAsync(() -> listener.accept("PULL"));
            RawZmtpPeer pusher = RawZmtpPeer.connect(listener.endpoint(), "PUSH");
            try (RawZmtpPeer puller = accepted.get(10, TimeUnit.SECONDS)) {
                pusher.declare(1_000, new byte[3]);
                pusher.close();

                assertTrue(puller.closedByPeer(Duration.ofSeconds(5)));
            }
        }
    }
}
