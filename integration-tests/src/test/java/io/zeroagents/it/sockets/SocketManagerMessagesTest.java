package io.zeroagents.it.sockets;

import static io.zeroagents.it.sockets.SocketManagerTest.SHORT;
import static io.zeroagents.it.sockets.SocketManagerTest.WAIT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.Codec;
import io.zeroagents.MessageDecodingException;
import io.zeroagents.sockets.Poll;
import io.zeroagents.sockets.SocketEvent;
import io.zeroagents.sockets.SocketManager;
import io.zeroagents.sockets.SocketManagerException;
import io.zeroagents.sockets.SocketNotFound;
import io.zeroagents.sockets.SocketOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The {@link SocketManager}'s messages: {@code sendSafe}/{@code recvSafe}, events, subscriptions,
 * frames and socket options, through agent-api against real sockets.
 */
@Timeout(30)
class SocketManagerMessagesTest {

    /** A job, as AgentZero's pipeline example sends it. */
    record Job(String pipeline, Map<String, String> instructions) {
    }

    SocketManager sockets;

    @BeforeEach
    void build() {
        sockets = SocketManager.builder().pollingTimeout(Duration.ofMillis(100)).timeout(WAIT).build();
    }

    @AfterEach
    void close() {
        sockets.close();
    }

    /** Binds a PULL named "pipe-in" and connects a PUSH named "pipe-out" to it. */
    private void pipe() {
        String address = sockets.ensureAndBind("pipe-in", io.zeroagents.sockets.SocketType.PULL,
                "tcp://127.0.0.1:*", Poll.IN).boundEndpoints().get(0);
        sockets.ensureAndConnect("pipe-out", io.zeroagents.sockets.SocketType.PUSH, address, Poll.OUT);
    }

    @Test
    void sendSafe_recordThroughPipe_recvSafeDecodesTheSameRecord() {
        pipe();
        Job job = new Job("video-download", Map.of("url", "https://example.org/v"));

        assertTrue(sockets.sendSafe("pipe-out", job));

        assertEquals(Optional.of(job), sockets.recvSafe("pipe-in", Job.class));
    }

    @Test
    void sendSafe_noPeer_returnsFalseOnceTheTimeoutPassed() {
        sockets.create("pipe-out", io.zeroagents.sockets.SocketType.PUSH);

        assertFalse(sockets.sendSafe("pipe-out", "lost", SHORT));
    }

    @Test
    void recvSafe_nothingSent_isEmpty() {
        pipe();

        assertEquals(Optional.empty(), sockets.recvSafe("pipe-in", String.class, SHORT));
    }

    @Test
    void sendSafeAndRecvSafe_unknownSocket_throwSocketNotFound() {
        assertThrows(SocketNotFound.class, () -> sockets.sendSafe("nope", "x"));
        assertThrows(SocketNotFound.class, () -> sockets.recvSafe("nope", String.class));
        assertThrows(SocketNotFound.class, () -> sockets.publishSafe("nope", "t", "x"));
        assertThrows(SocketNotFound.class, () -> sockets.recvEvent("nope", String.class));
    }

    @Test
    void recvSafe_notJsonOfThatType_throwsMessageDecodingException() {
        pipe();
        sockets.sendSafe("pipe-out", "just text");

        assertThrows(MessageDecodingException.class, () -> sockets.recvSafe("pipe-in", Job.class));
    }

    @Test
    void stringCodec_sendSafe_sendsTheBareUtf8Text() {
        try (SocketManager text = SocketManager.builder().codec(Codec.STRING).timeout(WAIT).build()) {
            String address = text.ensureAndBind("in", io.zeroagents.sockets.SocketType.PULL, "tcp://127.0.0.1:*",
                    Poll.IN).boundEndpoints().get(0);
            text.ensureAndConnect("out", io.zeroagents.sockets.SocketType.PUSH, address, Poll.OUT);

            text.sendSafe("out", "plain");

            assertArrayEquals("plain".getBytes(StandardCharsets.UTF_8),
                    text.recvFrames("in", WAIT).orElseThrow().get(0));
        }
    }

    @Test
    void publishSafe_subscribedTopicPrefix_recvEventGetsTopicAndData() {
        String address = sockets.ensureAndBind("events", io.zeroagents.sockets.SocketType.SUB, "tcp://127.0.0.1:*",
                Poll.IN).boundEndpoints().get(0);
        sockets.setTopic("events", "logs");
        sockets.ensureAndConnect("publisher", io.zeroagents.sockets.SocketType.PUB, address, Poll.OUT);

        SocketEvent<Object> event = publishUntilReceived("logs:2016-06-20", Map.of("stdout", "hello world"));

        assertEquals("logs:2016-06-20", event.topic());
        assertEquals(Map.of("stdout", "hello world"), event.data());
    }

    @Test
    void publishSafe_topicNotSubscribed_isNotReceived() {
        String address = sockets.ensureAndBind("events", io.zeroagents.sockets.SocketType.SUB, "tcp://127.0.0.1:*",
                Poll.IN).boundEndpoints().get(0);
        sockets.setTopic("events", "logs");
        sockets.ensureAndConnect("publisher", io.zeroagents.sockets.SocketType.PUB, address, Poll.OUT);
        publishUntilReceived("logs", Map.of());

        sockets.publishSafe("publisher", "metrics", Map.of("n", 1));

        assertEquals(Optional.empty(), sockets.recvEvent("events", Object.class, SHORT));
    }

    @Test
    void unsubscribe_afterSubscribing_stopsTheTopic() {
        String address = sockets.ensureAndBind("events", io.zeroagents.sockets.SocketType.SUB, "tcp://127.0.0.1:*",
                Poll.IN).boundEndpoints().get(0);
        sockets.setTopic("events", "logs");
        sockets.setTopic("events", "probe");
        sockets.ensureAndConnect("publisher", io.zeroagents.sockets.SocketType.PUB, address, Poll.OUT);
        publishUntilReceived("probe", Map.of());

        sockets.setSocketOption("events", SocketOption.UNSUBSCRIBE, "logs");
        publishUntilReceived("probe", Map.of());
        sockets.publishSafe("publisher", "logs", Map.of("n", 1));

        assertEquals(Optional.empty(), sockets.recvEvent("events", Object.class, SHORT));
    }

    @Test
    void subscribe_stream_yieldsEventsUntilKeepPollingSaysNo() {
        String address = sockets.ensureAndBind("logs", io.zeroagents.sockets.SocketType.SUB, "tcp://127.0.0.1:*",
                Poll.IN).boundEndpoints().get(0);
        sockets.ensureAndConnect("publisher", io.zeroagents.sockets.SocketType.PUB, address, Poll.OUT);
        sockets.setTopic("logs", "output");
        sockets.setTopic("logs", "probe");
        publishUntilReceived("probe", Map.of());
        sockets.setSocketOption("logs", SocketOption.UNSUBSCRIBE, "probe");
        sockets.publishSafe("publisher", "output:0", "some data");
        sockets.publishSafe("publisher", "output:1", "more data");
        AtomicInteger polls = new AtomicInteger();

        List<String> seen = sockets.subscribe("logs", "output", String.class, () -> polls.incrementAndGet() <= 2)
                .map(e -> e.topic() + " ==> " + e.data())
                .toList();

        assertEquals(List.of("output:0 ==> some data", "output:1 ==> more data"), seen);
    }

    @Test
    void recvEvent_oneFrameMessage_throwsMessageDecodingException() {
        pipe();
        sockets.sendSafe("pipe-out", "not an event");

        assertThrows(MessageDecodingException.class, () -> sockets.recvEvent("pipe-in", String.class));
    }

    @Test
    void setSocketOption_identityOfDealer_routerReceivesItAsFirstFrame() {
        String address = sockets.ensureAndBind("router", io.zeroagents.sockets.SocketType.ROUTER, "tcp://127.0.0.1:*",
                Poll.BOTH).boundEndpoints().get(0);
        sockets.create("dealer", io.zeroagents.sockets.SocketType.DEALER);
        sockets.setSocketOption("dealer", SocketOption.IDENTITY, "worker-1".getBytes(StandardCharsets.UTF_8));
        sockets.connect("dealer", address, Poll.BOTH);

        sockets.sendSafe("dealer", "job?");
        List<byte[]> frames = sockets.recvFrames("router", WAIT).orElseThrow();
        sockets.sendFrames("router", List.of(frames.get(0), sockets.encode("job-1")), WAIT);

        assertEquals("worker-1", new String(frames.get(0), StandardCharsets.UTF_8));
        assertEquals(Optional.of("job?"), sockets.decode(frames.get(1), String.class));
        assertEquals(Optional.of("job-1"), sockets.recvSafe("dealer", String.class));
    }

    @Test
    void setSocketOption_everyOption_isAccepted() {
        sockets.create("s", io.zeroagents.sockets.SocketType.SUB);

        sockets.setSocketOption("s", SocketOption.HWM, 10);
        sockets.setSocketOption("s", SocketOption.SNDHWM, 10);
        sockets.setSocketOption("s", SocketOption.RCVHWM, 10);
        sockets.setSocketOption("s", SocketOption.AFFINITY, 1L);
        sockets.setSocketOption("s", SocketOption.IDENTITY, new byte[] {1});
        sockets.setSocketOption("s", SocketOption.SUBSCRIBE, "a");
        sockets.setSocketOption("s", SocketOption.UNSUBSCRIBE, "a");
        sockets.setSocketOption("s", SocketOption.SNDBUF, 65_536);
        sockets.setSocketOption("s", SocketOption.RCVBUF, 65_536);
        sockets.setSocketOption("s", SocketOption.LINGER, 0);
        sockets.setSocketOption("s", SocketOption.BACKLOG, 10);
    }

    @Test
    void setSocketOption_valueZeroMqRefuses_throwsSocketManagerExceptionNamingTheOption() {
        sockets.create("s", io.zeroagents.sockets.SocketType.DEALER);

        SocketManagerException e = assertThrows(SocketManagerException.class,
                () -> sockets.setSocketOption("s", SocketOption.IDENTITY, new byte[256]));

        assertTrue(e.getMessage().contains("IDENTITY"), e.getMessage());
    }

    @Test
    void registerSocket_plainJeroMqSocket_isUsedByNameAndClosedWithTheManager() {
        try (ZContext raw = new ZContext()) {
            ZMQ.Socket pull = raw.createSocket(SocketType.PULL);
            int port = pull.bindToRandomPort("tcp://127.0.0.1");
            sockets.registerSocket("registered", pull, Poll.IN);
            sockets.ensureAndConnect("out", io.zeroagents.sockets.SocketType.PUSH, "tcp://127.0.0.1:" + port, Poll.OUT);

            sockets.sendSafe("out", "hi");

            assertEquals(io.zeroagents.sockets.SocketType.PULL, sockets.getByName("registered").type());
            assertEquals(Optional.of("hi"), sockets.recvSafe("registered", String.class));
            assertTrue(sockets.getByName("registered").unwrap(ZMQ.Socket.class) == pull);
        }
    }

    /** Publishes until the subscription has reached the publisher and the event arrived, then drains. */
    private SocketEvent<Object> publishUntilReceived(String topic, Map<String, ?> data) {
        String subscriber = firstSub();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            sockets.publishSafe("publisher", topic, data);
            Optional<SocketEvent<Object>> event = sockets.recvEvent(subscriber, Object.class, Duration.ofMillis(50));
            if (event.isPresent() && event.get().topic().equals(topic)) {
                // Earlier attempts may still be on their way: none of them must reach the test's own checks.
                while (sockets.recvEvent(subscriber, Object.class, SHORT).isPresent()) {
                    continue;
                }
                return event.get();
            }
        }
        throw new AssertionError("No event on topic '" + topic + "' within " + WAIT);
    }

    private String firstSub() {
        return sockets.socketNames().stream()
                .filter(n -> sockets.getByName(n).type() == io.zeroagents.sockets.SocketType.SUB)
                .findFirst().orElseThrow();
    }
}
