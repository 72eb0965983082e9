package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentAddress;
import io.zeroagents.AgentException;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.nameserver.NameServerClient;
import io.zeroagents.runtime.internal.control.ControlRequest;
import io.zeroagents.runtime.internal.control.ControlResponse;
import io.zeroagents.runtime.internal.control.GetAttr;
import io.zeroagents.serialization.EnvelopeCodec;
import io.zeroagents.testsupport.Await;
import io.zeroagents.testsupport.HeapUse;
import io.zeroagents.testsupport.RawZmtpPeer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The attacks that took a process down or made it useless, run against live agents, a control
 * endpoint and a name server: a multipart message that never ends, a subscription of 100,000
 * bytes, and invalid frames by the hundred thousand. Each server keeps answering, holds no more
 * memory than a frame or two of the attack, and logs a few lines, not one per frame.
 */
@Timeout(120)
class InputBoundsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long MIB = 1 << 20;
    /** 100 MB in frames flagged "more": kept, each frame stayed on the heap until the message ended. */
    private static final int UNENDING_FRAMES = 50_000;
    private static final int UNENDING_FRAME_BYTES = 2_000;
    /** What the heap may grow by under an attack: a fraction of what the attack sends. */
    private static final long HEAP_ALLOWANCE = 32 * MIB;

    private final TestRuntime runtime = new TestRuntime();

    @AfterEach
    void close() {
        runtime.close();
    }

    @Test
    void pull_unendingMultipartMessage_heapStaysBoundedAndTheAgentKeepsReceiving() {
        List<String> inbox = new CopyOnWriteArrayList<>();
        AgentAddress in = runtime.agent("Target").bind(Pattern.PULL, "in", String.class, (agent, m) -> inbox.add(m));
        Proxy sender = runtime.agent("Sender");
        sender.connect(in, "out");
        long before = HeapUse.afterGc();

        try (RawZmtpPeer attacker = RawZmtpPeer.connect(in.endpoint(), "PUSH")) {
            assertUnendingMessageHeldBounded(attacker, before);
            sender.send("out", "during the attack");
            Await.until(WAIT, () -> inbox.contains("during the attack"), () -> "a message during the attack, got " + inbox);
        }
        sender.send("out", "after the attack");
        Await.until(WAIT, () -> inbox.contains("after the attack"), () -> "a message after the attack, got " + inbox);
        assertTrue(runtime.core("Target").alive());
    }

    @Test
    void controlEndpoint_unendingMultipartMessage_heapStaysBoundedAndProxiesAreServed() {
        runtime.agent("Target").setAttr("x", 7);
        try (ControlEndpoint endpoint = runtime.controlEndpoint(Settings.DEFAULT_CONTROL_SPIN);
                ControlClient client = runtime.controlClient(endpoint.endpoint())) {
            long before = HeapUse.afterGc();
            try (RawZmtpPeer attacker = RawZmtpPeer.connect(endpoint.endpoint(), "DEALER")) {
                assertUnendingMessageHeldBounded(attacker, before);
                assertEquals("7", attribute(client));
            }
            assertEquals("7", attribute(client));
            assertEquals(1, endpoint.inputCounters().truncatedMessages());
        }
    }

    @Test
    void nameServer_unendingMultipartMessage_heapStaysBoundedAndItAnswers() {
        try (NameServerClient client = new NameServerClient(runtime.nameServer.address(), WAIT)) {
            long before = HeapUse.afterGc();
            try (RawZmtpPeer attacker = RawZmtpPeer.connect(runtime.nameServer.address(), "DEALER")) {
                assertUnendingMessageHeldBounded(attacker, before);
                assertEquals(runtime.nameServer.serverId(), client.ping());
            }
            assertEquals(runtime.nameServer.serverId(), client.ping());
            assertEquals(1, runtime.nameServer.inputCounters().truncatedMessages());
        }
    }

    @Test
    void pub_subscriptionOf100000Bytes_costsThatConnectionAndTheAgentKeepsPublishing() {
        // The default frame limit, 16 MiB: a 100,000-byte frame is no frame over the limit.
        try (TestRuntime defaults = new TestRuntime(Map.of("zeroagents.max.frame.bytes",
                String.valueOf(EnvelopeCodec.DEFAULT_MAX_FRAME_BYTES)));
                WarningCapture warnings = WarningCapture.open()) {
            Proxy publisher = defaults.agent("Publisher");
            AgentAddress news = publisher.bind(Pattern.PUB, "news");
            publisher.each(Duration.ofMillis(20), agent -> agent.send("news", "weather", "sunny"));
            List<String> received = new CopyOnWriteArrayList<>();
            defaults.agent("Listener").connect(news, "in", String.class, (agent, m) -> received.add(m));
            Await.until(WAIT, () -> !received.isEmpty(), "a first publication");

            try (RawZmtpPeer attacker = RawZmtpPeer.connect(news.endpoint(), "SUB")) {
                byte[] subscription = new byte[100_000];
                subscription[0] = 1;
                // JeroMQ's subscription trie recurses once per byte: this killed the publishing agent's loop.
                attacker.send(subscription, false);
                assertTrue(attacker.closedByPeer(WAIT), "the publisher kept a subscriber with a 100,000-byte"
                        + " subscription");
            }

            int before = received.size();
            Await.until(WAIT, () -> received.size() >= before + 10, () -> "publications after the attack, got "
                    + (received.size() - before));
            assertTrue(defaults.core("Publisher").alive(), "the publishing agent's loop died");
            assertFewLines(warnings.events(), "subscription of more than 1025 bytes");
        }
    }

    @Test
    void subscribe_topicOverTheLimit_isRefusedNamingTheSetting() {
        Proxy publisher = runtime.agent("Publisher");
        AgentAddress news = publisher.bind(Pattern.PUB, "news");
        Proxy listener = runtime.agent("Listener");
        listener.connect(news, "in", String.class, (agent, m) -> { });

        AgentException refused = assertThrows(AgentException.class, () -> listener.subscribe("in", "x".repeat(1025)));

        assertTrue(refused.getMessage().contains("'Listener'") && refused.getMessage().contains("'in'")
                && refused.getMessage().contains("zeroagents.max.subscription.bytes"), refused.getMessage());
        listener.subscribe("in", "x".repeat(1024));
    }

    @Test
    void pull_300KilobytesOfInvalidFrames_costAFewLogLines() {
        AgentAddress in = runtime.agent("Target").bind(Pattern.PULL, "in", String.class, (agent, m) -> { });
        int messages = 100_000;

        try (WarningCapture warnings = WarningCapture.open();
                RawZmtpPeer attacker = RawZmtpPeer.connect(in.endpoint(), "PUSH")) {
            assertTrue(attacker.writeRaw(oneByteMessages(messages)), "the agent closed the connection");
            Await.until(WAIT, () -> runtime.core("Target").droppedMessages() == messages,
                    () -> messages + " dropped, counted " + runtime.core("Target").droppedMessages());

            assertFewLines(warnings.events(), "'Target'");
        }
    }

    @Test
    void nameServer_300KilobytesOfInvalidFrames_costAFewLogLines() {
        int messages = 100_000;
        long droppedBefore = runtime.nameServer.droppedRequests();

        try (WarningCapture warnings = WarningCapture.open();
                RawZmtpPeer attacker = RawZmtpPeer.connect(runtime.nameServer.address(), "DEALER")) {
            assertTrue(attacker.writeRaw(oneByteMessages(messages)), "the name server closed the connection");
            Await.until(WAIT, () -> runtime.nameServer.droppedRequests() - droppedBefore == messages,
                    () -> messages + " dropped, counted " + (runtime.nameServer.droppedRequests() - droppedBefore));

            assertFewLines(warnings.events(), "Name server");
        }
    }

    /**
     * Sends {@value #UNENDING_FRAMES} frames of a message that never ends, waits until the server's
     * I/O thread has read them all (a PING sent after them is answered), and checks the heap held.
     */
    private static void assertUnendingMessageHeldBounded(RawZmtpPeer attacker, long heapBefore) {
        assertTrue(attacker.sendUnendingFrames(UNENDING_FRAMES, UNENDING_FRAME_BYTES), "the server closed the connection");
        assertTrue(attacker.pingPong(new byte[] {42}, WAIT), "the server's I/O thread did not read the whole flood");
        long held = HeapUse.afterGc() - heapBefore;
        assertTrue(held < HEAP_ALLOWANCE, "the server holds " + held / MIB + " MiB of a message that never ends");
    }

    /** Messages of one garbage byte each, written back to back: three bytes a message on the wire. */
    private static byte[] oneByteMessages(int count) {
        byte[] wire = new byte[3 * count];
        for (int i = 0; i < count; i++) {
            wire[3 * i + 1] = 1;
            wire[3 * i + 2] = (byte) 0xee;
        }
        return wire;
    }

    private static void assertFewLines(List<LogEvent> events, String about) {
        List<String> lines = events.stream().filter(e -> e.getLevel().isMoreSpecificThan(Level.WARN))
                .map(e -> e.getMessage().getFormattedMessage()).filter(line -> line.contains(about)).toList();
        assertTrue(!lines.isEmpty() && lines.size() <= 5, lines.size() + " lines about " + about + ": "
                + lines.stream().limit(5).toList());
    }

    private static String attribute(ControlClient client) {
        ControlResponse response = client.call(ControlRequest.newBuilder().setAgent("Target")
                .setGetAttr(GetAttr.newBuilder().setName("x")), WAIT, "Target");
        assertTrue(response.getOk(), response.toString());
        return response.getValue().getData().toString(StandardCharsets.UTF_8);
    }
}
