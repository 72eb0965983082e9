package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.zeroagents.AgentAddress;
import io.zeroagents.Codec;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.RequestOptions;
import io.zeroagents.SocketHandler;
import io.zeroagents.serialization.proto.Envelope;
import io.zeroagents.testsupport.Await;
import io.zeroagents.testsupport.RawZmtpPeer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a stranger can send to a live agent's sockets: garbage, empty and truncated frames, wrong
 * frame counts, unknown envelope versions, undecodable payloads, frames over the limit and frame
 * headers declaring huge sizes. Each is dropped and counted (or, above the frame limit, costs the
 * sender its connection before anything is allocated); the agent keeps serving, and every correct
 * message sent before, between and after them is delivered. Covers PULL, REP, ASYNC_REP, the
 * request endpoint of SYNC_PUB and SUB.
 */
@Timeout(60)
class HostileInputTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final TestRuntime runtime = new TestRuntime();

    @AfterEach
    void close() {
        runtime.close();
    }

    @Test
    void pull_hostileMessagesBetweenValidOnes_areDroppedAndCountedAndEveryValidOneArrives() {
        List<String> inbox = new CopyOnWriteArrayList<>();
        AgentAddress in = runtime.agent("Target").bind(Pattern.PULL, "in", String.class, (agent, m) -> inbox.add(m));
        Proxy sender = runtime.agent("Sender");
        sender.connect(in, "out");

        try (RawZmtpPeer raw = RawZmtpPeer.connect(in.endpoint(), "PUSH")) {
            sender.send("out", "agent-1");
            raw.sendMessage(valid("raw-1"));
            List<byte[][]> hostile = hostileMessages();
            for (int i = 0; i < hostile.size(); i++) {
                raw.sendMessage(hostile.get(i));
                raw.sendMessage(valid("raw-" + (i + 2)));
                sender.send("out", "agent-" + (i + 2));
            }

            int valid = hostile.size() + 1;
            Await.until(WAIT, () -> inbox.size() == 2 * valid, () -> "every valid message, got " + inbox);
            Await.until(WAIT, () -> runtime.core("Target").droppedMessages() == hostile.size(),
                    () -> hostile.size() + " dropped, counted " + runtime.core("Target").droppedMessages());
            List<String> fromRaw = inbox.stream().filter(m -> m.startsWith("raw-")).toList();
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= valid; i++) {
                expected.add("raw-" + i);
            }
            assertEquals(expected, fromRaw, "one connection's valid messages, in order");
            assertEquals(valid, inbox.stream().filter(m -> m.startsWith("agent-")).count());
        }
    }

    @Test
    void pull_frameHeaderDeclaringAHugeSize_costsThatConnectionAndNothingElse() {
        List<String> inbox = new CopyOnWriteArrayList<>();
        AgentAddress in = runtime.agent("Target").bind(Pattern.PULL, "in", String.class, (agent, m) -> inbox.add(m));
        Proxy sender = runtime.agent("Sender");
        sender.connect(in, "out");

        for (long declared : new long[] {Integer.MAX_VALUE - 8L, 1L << 40, Long.MAX_VALUE}) {
            try (RawZmtpPeer raw = RawZmtpPeer.connect(in.endpoint(), "PUSH")) {
                raw.sendMessage(valid("before " + declared));
                raw.declare(declared, new byte[] {1, 2, 3});

                assertTrue(raw.closedByPeer(WAIT), "the agent kept a connection declaring a " + declared
                        + "-byte frame open, waiting to fill it");
            }
            sender.send("out", "after " + declared);
        }

        Await.until(WAIT, () -> inbox.size() == 6, () -> "the messages before and after each, got " + inbox);
        assertEquals(0, runtime.core("Target").droppedMessages());
    }

    @Test
    void pull_frameOverTheLimit_isRefusedAndTheNextConnectionIsServed() {
        List<String> inbox = new CopyOnWriteArrayList<>();
        AgentAddress in = runtime.agent("Target").bind(Pattern.PULL, "in", String.class, (agent, m) -> inbox.add(m));

        try (RawZmtpPeer raw = RawZmtpPeer.connect(in.endpoint(), "PUSH")) {
            raw.sendMessage(valid("before"));
            // Built past the codec, which refuses to frame it.
            boolean written = raw.trySendMessage(envelope("x".repeat(TestRuntime.MAX_FRAME_BYTES)).build().toByteArray());

            assertTrue(!written || raw.closedByPeer(WAIT), "the agent read a frame over its limit");
        }
        try (RawZmtpPeer raw = RawZmtpPeer.connect(in.endpoint(), "PUSH")) {
            raw.sendMessage(valid("x".repeat(TestRuntime.MAX_FRAME_BYTES - 200)));
            raw.sendMessage(valid("after"));

            Await.until(WAIT, () -> inbox.size() == 3, () -> "3 messages, got " + inbox.size());
        }
        assertEquals("before", inbox.get(0));
        assertEquals("after", inbox.get(2));
    }

    @Test
    void rep_hostileRequests_getErrorRepliesAndEveryValidRequestIsAnswered() {
        AgentAddress rep = runtime.agent("Server").bind(Pattern.REP, "rep",
                SocketHandler.onRequest(String.class, (agent, request) -> "echo " + request));
        Proxy client = runtime.agent("Client");
        client.connect(rep, "req");
        List<byte[][]> hostile = hostileMessages();

        try (RawZmtpPeer raw = RawZmtpPeer.connect(rep.endpoint(), "DEALER")) {
            assertEquals("echo agent-0", client.sendRecv("req", "agent-0", String.class));
            for (int i = 0; i < hostile.size(); i++) {
                raw.sendMessage(withDelimiter(hostile.get(i)));
                Envelope error = replyTo(raw, true);
                assertTrue(error.getError(), "hostile request " + i + " got an error reply, not " + error);
                assertTrue(error.getPayload().toStringUtf8().contains("could not be decoded"),
                        error.getPayload().toStringUtf8());

                raw.sendMessage(withDelimiter(new byte[][] {valid("raw-" + i)}));
                assertEquals("echo raw-" + i, replyTo(raw, true).getPayload().toStringUtf8());
                assertEquals("echo agent-" + (i + 1), client.sendRecv("req", "agent-" + (i + 1), String.class));
            }
        }

        assertEquals(hostile.size(), runtime.core("Server").droppedMessages());
    }

    @Test
    void asyncRep_hostileRequests_getErrorRepliesAndAsyncClientsGetEveryReply() {
        AgentAddress server = runtime.agent("Server").bind(Pattern.ASYNC_REP, "async",
                SocketHandler.onRequest(String.class, (agent, request) -> "echo " + request));
        List<String> replies = new CopyOnWriteArrayList<>();
        Proxy client = runtime.agent("Client");
        client.connect(server, "async", String.class, (agent, reply) -> replies.add(reply));
        List<byte[][]> hostile = hostileMessages();

        try (RawZmtpPeer raw = RawZmtpPeer.connect(server.endpoint(), "DEALER")) {
            for (int i = 0; i < hostile.size(); i++) {
                client.request("async", "agent-" + i, RequestOptions.builder().build());
                raw.sendMessage(hostile.get(i));
                Envelope error = replyTo(raw, false);
                assertTrue(error.getError(), "hostile request " + i + " got an error reply, not " + error);

                raw.sendMessage(validRequest("raw-" + i, 100 + i));
                Envelope reply = replyTo(raw, false);
                assertEquals("echo raw-" + i, reply.getPayload().toStringUtf8());
                assertEquals(100 + i, reply.getCorrelationId());
            }
        }

        Await.until(WAIT, () -> replies.size() == hostile.size(), () -> "every async reply, got " + replies);
        for (int i = 0; i < hostile.size(); i++) {
            assertTrue(replies.contains("echo agent-" + i), replies.toString());
        }
        assertEquals(hostile.size(), runtime.core("Server").droppedMessages());
    }

    @Test
    void syncPubRequests_hostileRequests_getErrorRepliesAndValidRequestsAreAnswered() {
        AgentAddress channel = runtime.agent("Publisher").bind(Pattern.SYNC_PUB, "sync",
                SocketHandler.onRequest(String.class, (agent, request) -> "echo " + request));
        List<byte[][]> hostile = hostileMessages();

        try (RawZmtpPeer raw = RawZmtpPeer.connect(channel.requestEndpoint(), "DEALER")) {
            for (int i = 0; i < hostile.size(); i++) {
                raw.sendMessage(hostile.get(i));
                assertTrue(replyTo(raw, false).getError(), "hostile request " + i + " got an error reply");

                raw.sendMessage(validRequest("raw-" + i, 100 + i));
                Envelope reply = replyTo(raw, false);
                assertEquals("echo raw-" + i, reply.getPayload().toStringUtf8());
                assertEquals(100 + i, reply.getCorrelationId());
            }
        }

        assertEquals(hostile.size(), runtime.core("Publisher").droppedMessages());
    }

    @Test
    void sub_hostilePublicationsBetweenValidOnes_areDroppedAndCountedAndEveryValidOneArrives() {
        List<String> inbox = new CopyOnWriteArrayList<>();
        Proxy subscriber = runtime.agent("Subscriber");
        try (RawZmtpPeer.Listener publisher = RawZmtpPeer.listen()) {
            subscriber.connect(new AgentAddress(publisher.endpoint(), Pattern.PUB, Codec.AUTO), "sub",
                    String.class, (agent, m) -> inbox.add(m));
            try (RawZmtpPeer raw = publisher.accept("PUB")) {
                List<byte[][]> hostile = new ArrayList<>();
                for (byte[][] message : hostileMessages()) {
                    hostile.add(withTopic(message));
                }
                hostile.add(new byte[][] {valid("no topic frame")});
                raw.sendMessage(withTopic(new byte[][] {valid("valid-0")}));
                for (int i = 0; i < hostile.size(); i++) {
                    raw.sendMessage(hostile.get(i));
                    raw.sendMessage(withTopic(new byte[][] {valid("valid-" + (i + 1))}));
                }

                int expectedDrops = hostile.size();
                Await.until(WAIT, () -> inbox.size() == expectedDrops + 1, () -> "every valid publication, got " + inbox);
                Await.until(WAIT, () -> runtime.core("Subscriber").droppedMessages() == expectedDrops,
                        () -> expectedDrops + " dropped, counted " + runtime.core("Subscriber").droppedMessages());
                for (int i = 0; i <= expectedDrops; i++) {
                    assertEquals("valid-" + i, inbox.get(i));
                }

                raw.declare(1L << 40, new byte[] {1});
                assertTrue(raw.closedByPeer(WAIT), "the subscriber kept a connection declaring a huge frame");
            }
            // JeroMQ does not reconnect to a publisher that broke the protocol; the agent serves on.
            subscriber.connect(new AgentAddress(publisher.endpoint(), Pattern.PUB, Codec.AUTO), "sub2",
                    String.class, (agent, m) -> inbox.add(m));
            try (RawZmtpPeer again = publisher.accept("PUB")) {
                again.sendMessage(withTopic(new byte[][] {valid("on a new connection")}));
                Await.until(WAIT, () -> inbox.contains("on a new connection"), () -> "the publication on a new connection");
            }
        }
    }

    /**
     * Hostile messages for a socket that expects one envelope frame: each is dropped and counted
     * once.
     */
    private List<byte[][]> hostileMessages() {
        byte[] garbage = new byte[200];
        new Random(42).nextBytes(garbage);
        byte[] good = valid("truncated soon");
        return List.of(
                new byte[][] {garbage},
                new byte[][] {new byte[0]},
                new byte[][] {"plain text is no envelope".getBytes(StandardCharsets.UTF_8)},
                new byte[][] {Arrays.copyOf(good, good.length - 5)},
                new byte[][] {valid("one"), valid("two")},
                new byte[][] {valid("one"), valid("two"), valid("three")},
                new byte[][] {envelope("x").setVersion(2).build().toByteArray()},
                new byte[][] {envelope("x").setVersion(-1).build().toByteArray()},
                new byte[][] {envelope("x").clearVersion().build().toByteArray()},
                new byte[][] {envelope("x").clearCodec().build().toByteArray()},
                new byte[][] {envelope("x").setCodec("msgpack").build().toByteArray()},
                new byte[][] {envelope("x").setCodec("json").setPayload(ByteString.copyFromUtf8("{\"a\":[1,")).build()
                        .toByteArray()},
                new byte[][] {envelope("x").setCodec("string").setPayload(ByteString.copyFrom(new byte[] {(byte) 0xc3, 0x28}))
                        .build().toByteArray()},
                new byte[][] {envelope("a report").setError(true).build().toByteArray()},
                // Envelopes whose payload follows in a frame of its own (large payloads), done wrong.
                new byte[][] {announcing().build().toByteArray()},
                new byte[][] {announcing().build().toByteArray(), "payload".getBytes(StandardCharsets.UTF_8),
                        "one frame too many".getBytes(StandardCharsets.UTF_8)},
                new byte[][] {envelope("inline").setPayloadFollows(true).build().toByteArray(),
                        "and after".getBytes(StandardCharsets.UTF_8)},
                new byte[][] {announcing().build().toByteArray(), new byte[] {(byte) 0xc3, 0x28}},
                // Batches (AgentOptions.batchSends) done wrong: a truncated one, one holding garbage.
                new byte[][] {envelope("x").setCodec("batch").setPayload(ByteString.copyFrom(new byte[] {5, 1}))
                        .build().toByteArray()},
                new byte[][] {envelope("x").setCodec("batch").setPayload(ByteString.copyFrom(new byte[] {3, 1, 2, 3}))
                        .build().toByteArray()});
    }

    /** An envelope announcing that its (string) payload follows in the next frame. */
    private Envelope.Builder announcing() {
        return envelope("").setPayload(ByteString.EMPTY).setPayloadFollows(true);
    }

    private Envelope.Builder envelope(String text) {
        return runtime.envelopes.wrap(text, Codec.AUTO).setSender("Stranger");
    }

    private byte[] valid(String text) {
        return runtime.envelopes.frame(envelope(text).build());
    }

    private byte[] validRequest(String text, long correlationId) {
        return runtime.envelopes.frame(envelope(text).setCorrelationId(correlationId).build());
    }

    private static byte[][] withDelimiter(byte[][] message) {
        byte[][] framed = new byte[message.length + 1][];
        framed[0] = new byte[0];
        System.arraycopy(message, 0, framed, 1, message.length);
        return framed;
    }

    private static byte[][] withTopic(byte[][] message) {
        byte[][] framed = new byte[message.length + 1][];
        framed[0] = "news".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(message, 0, framed, 1, message.length);
        return framed;
    }

    /** Reads one reply: after the empty delimiter a REP sends first when {@code delimited}. */
    private Envelope replyTo(RawZmtpPeer raw, boolean delimited) {
        if (delimited) {
            byte[] delimiter = raw.receive();
            assertNotNull(delimiter, "no reply came");
            assertEquals(0, delimiter.length);
        }
        byte[] frame = raw.receive();
        assertNotNull(frame, "no reply came");
        Envelope reply = runtime.envelopes.parse(frame);
        assertFalse(reply.getSender().isEmpty());
        return reply;
    }
}
