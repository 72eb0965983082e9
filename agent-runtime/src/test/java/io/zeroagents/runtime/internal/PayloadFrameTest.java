package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentAddress;
import io.zeroagents.AgentOptions;
import io.zeroagents.BindOptions;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.RequestOptions;
import io.zeroagents.SocketHandler;
import io.zeroagents.Transport;
import io.zeroagents.serialization.EnvelopeCodec;
import io.zeroagents.testing.AgentAwait;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Payloads in a frame of their own: over tcp those of {@value EnvelopeCodec#DETACHED_PAYLOAD_BYTES}
 * bytes or more follow their envelope's frame; over inproc every payload rides along with its
 * envelope ({@code CarriedPayloadMsg} of the transport module). Every pattern carries them next to small ones; a sent array
 * is copied unless the agent shares its arrays; subscribers of one inproc publisher, and two
 * handlers of one message, each get arrays of their own.
 */
@Timeout(60)
class PayloadFrameTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /**
     * For a publication to reach a subscriber: a subscriber's connection whose handshake stalled
     * (zeromq/jeromq#1022) reconnects after the test runtime's 10 s handshake limit.
     */
    private static final Duration SUBSCRIBED = Duration.ofSeconds(30);
    private static final int LARGE = EnvelopeCodec.DETACHED_PAYLOAD_BYTES + 100;

    private final TestRuntime runtime = new TestRuntime();

    @AfterEach
    void close() {
        runtime.close();
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "INPROC"})
    void pushPull_largeAndSmallPayloads_arriveWholeAndInOrder(Transport transport) {
        List<Object> got = new CopyOnWriteArrayList<>();
        Proxy sink = runtime.agent("Sink");
        AgentAddress in = sink.bind(Pattern.PULL, "in", BindOptions.builder().transport(transport)
                .handler(SocketHandler.onMessage(Object.class, (agent, m) -> got.add(m))).build());
        Proxy source = runtime.agent("Source");
        source.connect(in, "out");
        String text = "é".repeat(LARGE);

        source.send("out", bytes(LARGE));
        source.send("out", "small");
        source.send("out", text);
        source.send("out", bytes(EnvelopeCodec.DETACHED_PAYLOAD_BYTES - 1));
        source.send("out", new byte[0]);

        assertTrue(AgentAwait.until(() -> got.size() == 5, WAIT), "got " + got.size());
        assertArrayEquals(bytes(LARGE), (byte[]) got.get(0));
        assertEquals("small", got.get(1));
        assertEquals(text, got.get(2));
        assertArrayEquals(bytes(EnvelopeCodec.DETACHED_PAYLOAD_BYTES - 1), (byte[]) got.get(3));
        assertArrayEquals(new byte[0], (byte[]) got.get(4));
        assertEquals(0, runtime.core("Sink").droppedMessages());
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "INPROC"})
    void reqRep_largeRequestAndReply_roundTripsAndRecvTakesThem(Transport transport) {
        AgentAddress rep = runtime.agent("Server").bind(Pattern.REP, "rep", BindOptions.builder().transport(transport)
                .handler(SocketHandler.onRequest(String.class, (agent, request) -> request + request)).build());
        Proxy client = runtime.agent("Client");
        client.connect(rep, "req");
        String request = "r".repeat(LARGE);

        assertEquals(request + request, client.sendRecv("req", request, String.class));
        assertEquals("aa", client.sendRecv("req", "a", String.class));

        Proxy receiver = runtime.agent("Receiver");
        AgentAddress pull = receiver.bind(Pattern.PULL, "in", BindOptions.builder().transport(transport).build());
        client.connect(pull, "out");
        client.send("out", bytes(LARGE));
        client.send("out", bytes(3));
        assertArrayEquals(bytes(LARGE), receiver.recv("in", byte[].class));
        assertArrayEquals(bytes(3), receiver.recv("in", byte[].class));
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "INPROC"})
    void asyncRequest_largeRequestAndReply_reachTheReplyHandler(Transport transport) {
        AgentAddress server = runtime.agent("AsyncServer").bind(Pattern.ASYNC_REP, "async", BindOptions.builder()
                .transport(transport).handler(SocketHandler.onRequest(byte[].class,
                        (agent, request) -> Arrays.copyOf(request, request.length * 2))).build());
        List<byte[]> replies = new CopyOnWriteArrayList<>();
        Proxy client = runtime.agent("AsyncClient");
        client.connect(server, "async", byte[].class, (agent, reply) -> replies.add(reply));

        client.request("async", bytes(LARGE), RequestOptions.builder().build());
        client.request("async", bytes(2), RequestOptions.builder().build());

        assertTrue(AgentAwait.until(() -> replies.size() == 2, WAIT));
        assertArrayEquals(Arrays.copyOf(bytes(LARGE), 2 * LARGE), replies.get(0));
        assertArrayEquals(Arrays.copyOf(bytes(2), 4), replies.get(1));
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "INPROC"})
    void syncPub_largePublicationsAndRequests_reachSubscribers(Transport transport) {
        Proxy publisher = runtime.agent("Channel");
        AgentAddress channel = publisher.bind(Pattern.SYNC_PUB, "sync", BindOptions.builder().transport(transport)
                .handler(SocketHandler.onRequest(String.class, (agent, request) -> request.length())).build());
        List<Object> got = new CopyOnWriteArrayList<>();
        Proxy subscriber = runtime.agent("Listener");
        subscriber.connect(channel, "sync", SocketHandler.onMessage(Object.class, (agent, m) -> got.add(m)));
        String large = "p".repeat(LARGE);

        // The reply to a request shows the subscription is in place; then publish.
        subscriber.send("sync", large);
        assertTrue(AgentAwait.until(() -> got.stream().anyMatch(m -> m instanceof Number n && n.intValue() == LARGE),
                WAIT), got.toString());
        // The publications' own connection may still be finishing its handshake: publish until one arrives.
        assertTrue(AgentAwait.until(() -> {
            if (!got.contains(large)) {
                publisher.send("sync", large);
            }
            return got.contains(large);
        }, SUBSCRIBED), "got " + got.size() + " messages");
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "INPROC"})
    void pubSub_subscribersAndTwoHandlers_eachGetAnArrayOfTheirOwn(Transport transport) {
        Proxy publisher = runtime.agent("Publisher", AgentOptions.builder().shareSentArrays(true).build());
        AgentAddress pub = publisher.bind(Pattern.PUB, "pub", BindOptions.builder().transport(transport).build());
        List<List<byte[]>> got = List.of(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
        for (int i = 0; i < 2; i++) {
            List<byte[]> mine = got.get(i);
            Proxy subscriber = runtime.agent("Subscriber" + i);
            subscriber.connect(pub, "sub", SocketHandler.onMessage(byte[].class, (agent, m) -> mine.add(m)));
            subscriber.subscribe("sub", "news", byte[].class, (agent, m) -> mine.add(m));
        }
        byte[] sent = bytes(LARGE);

        // A subscription may take a moment to reach the publisher: publish until both hear it.
        assertTrue(AgentAwait.until(() -> {
            if (got.get(0).isEmpty() || got.get(1).isEmpty()) {
                publisher.send("pub", "news", sent);
            }
            return got.get(0).size() >= 2 && got.get(1).size() >= 2;
        }, SUBSCRIBED), "handlers called: " + got.get(0).size() + " and " + got.get(1).size());

        List<byte[]> all = got.stream().flatMap(List::stream).toList();
        for (int i = 0; i < all.size(); i++) {
            assertArrayEquals(sent, all.get(i));
            assertNotSame(sent, all.get(i));
            for (int j = 0; j < i; j++) {
                assertNotSame(all.get(j), all.get(i), "handlers " + j + " and " + i + " share an array");
            }
        }
    }

    @Test
    void send_arrayOverInproc_isCopiedUnlessTheSenderSharesItsArrays() {
        Transport transport = Transport.INPROC;
        List<byte[]> got = new CopyOnWriteArrayList<>();
        Proxy sink = runtime.agent("Sink");
        AgentAddress in = sink.bind(Pattern.PULL, "in", BindOptions.builder().transport(transport)
                .handler(SocketHandler.onMessage(byte[].class, (agent, m) -> got.add(m))).build());
        Proxy copying = runtime.agent("Copying");
        copying.connect(in, "out");
        Proxy sharing = runtime.agent("Sharing", AgentOptions.builder().shareSentArrays(true).build());
        sharing.connect(in, "out");
        byte[] first = bytes(1024);
        byte[] second = bytes(1024);

        copying.send("out", first);
        assertTrue(AgentAwait.until(() -> got.size() == 1, WAIT));
        sharing.send("out", second);
        assertTrue(AgentAwait.until(() -> got.size() == 2, WAIT));

        assertNotSame(first, got.get(0), "a copy by default: the sender may reuse its array");
        assertArrayEquals(first, got.get(0));
        assertSame(second, got.get(1), "shared: the receiver in this JVM gets the very array");
    }

    private static byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        return bytes;
    }
}
