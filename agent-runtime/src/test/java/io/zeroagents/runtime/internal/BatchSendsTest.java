package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentAddress;
import io.zeroagents.AgentOptions;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.serialization.EnvelopeCodec;
import io.zeroagents.serialization.EnvelopeView;
import io.zeroagents.testing.AgentAwait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * {@code AgentOptions.batchSends}: what one pass of the loop sends on a PUSH socket goes out in
 * batches of envelopes, one frame each, which receiving agents unpack in order, for handlers and
 * {@code recv} alike; large messages and a pass's end flush what was batched first, and so does a
 * shutdown; a pause in the middle of a batch holds the rest.
 */
@Timeout(60)
class BatchSendsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int BATCH = 50;

    private final TestRuntime runtime = new TestRuntime();

    @AfterEach
    void close() {
        runtime.close();
    }

    private Proxy batchingSource(String name) {
        return runtime.agent(name, AgentOptions.builder().batchSends(BATCH).build());
    }

    @Test
    void send_manyMessagesInOneTurn_goOutAsBatchFramesThatReadBackInOrder() {
        Proxy source = batchingSource("Source");
        AgentAddress out = source.bind(Pattern.PUSH, "out");
        try (ZContext context = new ZContext(); ZMQ.Socket pull = context.createSocket(SocketType.PULL)) {
            pull.setLinger(0);
            // A bound PUSH socket loses what it queued for a connection whose handshake stalled
            // (zeromq/jeromq#1022): a handshake limit makes it reconnect, and single messages go out
            // until one arrives, so the connection is up before the batches.
            pull.setHandshakeIvl(1000);
            pull.setReceiveTimeOut(200);
            pull.connect(out.endpoint());
            long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            byte[] first = null;
            while (first == null && System.nanoTime() < giveUp) {
                source.send("out", "hello");
                first = pull.recv();
            }
            assertTrue(first != null, "nothing arrived within 30 s");
            pull.setReceiveTimeOut((int) WAIT.toMillis());

            source.executeAsMethod((self, args) -> {
                for (int i = 0; i < 1000; i++) {
                    self.send("out", "m" + i);
                }
                return null;
            });

            List<String> got = new ArrayList<>();
            int frames = 0;
            while (got.size() < 1000) {
                byte[] frame = pull.recv();
                assertTrue(frame != null, "got " + got.size() + " messages in " + frames + " frames");
                frames++;
                EnvelopeView batch = runtime.envelopes.read(frame);
                if (!batch.codec().equals(EnvelopeCodec.BATCH_CODEC)) {
                    // A late "hello" of the warm-up, sent alone.
                    assertEquals("hello", runtime.envelopes.payload(batch, String.class));
                    frames--;
                    continue;
                }
                for (EnvelopeView one : runtime.envelopes.readBatch(batch)) {
                    got.add(runtime.envelopes.payload(one, String.class));
                }
            }
            assertEquals(1000 / BATCH, frames);
            for (int i = 0; i < 1000; i++) {
                assertEquals("m" + i, got.get(i));
            }
        }
    }

    @Test
    void handler_batchesWithLargeMessagesBetween_getsEveryMessageInOrder() {
        List<Object> got = new CopyOnWriteArrayList<>();
        Proxy sink = runtime.agent("Sink");
        AgentAddress in = sink.bind(Pattern.PULL, "in", Object.class, (agent, m) -> got.add(m));
        Proxy source = batchingSource("Source");
        source.connect(in, "out");
        String large = "L".repeat(EnvelopeCodec.DETACHED_PAYLOAD_BYTES);

        source.executeAsMethod((self, args) -> {
            for (int i = 0; i < 300; i++) {
                self.send("out", i % 70 == 69 ? large : "m" + i);
            }
            return null;
        });
        // A send from outside the loop is a turn of its own; it goes out when that turn ends.
        source.send("out", "alone");

        assertTrue(AgentAwait.until(() -> got.size() == 301, WAIT), "got " + got.size());
        for (int i = 0; i < 300; i++) {
            assertEquals(i % 70 == 69 ? large : "m" + i, got.get(i));
        }
        assertEquals("alone", got.get(300));
        assertEquals(0, runtime.core("Sink").droppedMessages());
    }

    @Test
    void handler_pausingItsAgentInTheMiddleOfABatch_holdsTheRestUntilResumed() {
        List<String> got = new CopyOnWriteArrayList<>();
        Proxy sink = runtime.agent("Sink");
        AgentAddress in = sink.bind(Pattern.PULL, "in", String.class, (agent, m) -> {
            got.add(m);
            if (m.equals("m2")) {
                agent.stop();
            }
        });
        Proxy source = batchingSource("Source");
        source.connect(in, "out");

        source.executeAsMethod((self, args) -> {
            for (int i = 0; i < 10; i++) {
                self.send("out", "m" + i);
            }
            return null;
        });

        assertTrue(AgentAwait.until(() -> got.size() == 3, WAIT), got.toString());
        // A call is a pass of the paused agent's loop: the rest of the batch stays queued.
        assertEquals("pong", sink.ping());
        assertEquals(List.of("m0", "m1", "m2"), got);
        sink.resume();
        assertTrue(AgentAwait.until(() -> got.size() == 10, WAIT), got.toString());
        assertEquals("m9", got.get(9));
    }

    @Test
    void recv_batchedMessages_areReturnedOneByOne() {
        Proxy receiver = runtime.agent("Receiver");
        AgentAddress in = receiver.bind(Pattern.PULL, "in");
        Proxy source = batchingSource("Source");
        source.connect(in, "out");

        source.executeAsMethod((self, args) -> {
            for (int i = 0; i < 5; i++) {
                self.send("out", i);
            }
            return null;
        });

        for (int i = 0; i < 5; i++) {
            assertEquals(i, receiver.recv("in", Integer.class));
        }
    }

    @Test
    void shutdown_rightAfterATurnThatBatched_sendsWhatWasBatched() {
        List<String> got = new CopyOnWriteArrayList<>();
        AgentAddress in = runtime.agent("Sink").bind(Pattern.PULL, "in", String.class, (agent, m) -> got.add(m));
        Proxy source = batchingSource("Source");
        source.connect(in, "out");
        source.send("out", "first");
        assertTrue(AgentAwait.until(() -> got.size() == 1, WAIT));

        // The call returns when its turn's work is done, before the turn ends and flushes.
        source.executeAsMethod((self, args) -> {
            for (int i = 0; i < 10; i++) {
                self.send("out", "last" + i);
            }
            return null;
        });
        source.shutdown();

        assertTrue(AgentAwait.until(() -> got.size() == 11, WAIT), got.toString());
        assertEquals("last9", got.get(10));
    }
}
