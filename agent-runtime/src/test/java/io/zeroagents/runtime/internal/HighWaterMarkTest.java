package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentAddress;
import io.zeroagents.AgentOptions;
import io.zeroagents.AgentTimeoutException;
import io.zeroagents.BindOptions;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.SocketHandler;
import io.zeroagents.Transport;
import io.zeroagents.testing.AgentAwait;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code AgentOptions.highWaterMark} sets how many messages an agent's sockets queue: a sender
 * whose receiver is paused can queue about its own and the receiver's marks, then its sends wait
 * and fail with the reason, a send its caller was told failed never goes out later, and nothing
 * queued is lost when the receiver resumes.
 */
@Timeout(60)
class HighWaterMarkTest {
    private static final int MARK = 10;

    @Test
    void send_receiverPaused_queuesUpToBothMarksThenWaitsAndLosesNothing() {
        try (TestRuntime runtime = new TestRuntime()) {
            List<Integer> got = new CopyOnWriteArrayList<>();
            AgentOptions small = AgentOptions.builder().highWaterMark(MARK).timeout(Duration.ofMillis(300)).build();
            Proxy sink = runtime.agent("Sink", small);
            AgentAddress in = sink.bind(Pattern.PULL, "in", BindOptions.builder().transport(Transport.INPROC)
                    .handler(SocketHandler.onMessage(Integer.class, (agent, m) -> got.add(m))).build());
            Proxy source = runtime.agent("Source", small);
            source.connect(in, "out");
            source.send("out", -1);
            assertTrue(AgentAwait.until(() -> got.size() == 1, Duration.ofSeconds(10)));
            sink.stop();

            int sent = 0;
            AgentTimeoutException waited = null;
            while (sent < 10 * MARK) {
                int next = sent;
                try {
                    source.send("out", next);
                } catch (AgentTimeoutException e) {
                    waited = e;
                    break;
                }
                sent++;
            }

            // The loop's send gave up before the caller did, so the caller hears why.
            assertTrue(waited != null && waited.getMessage().contains("could not send on socket 'out'"),
                    String.valueOf(waited));

            // ZeroMQ queues up to the sender's and the receiver's marks on an inproc pipe.
            assertTrue(sent >= MARK && sent <= 2 * MARK + 2, "sends taken before one waited: " + sent);
            sink.resume();
            int expected = sent + 1;
            assertTrue(AgentAwait.until(() -> got.size() == expected, Duration.ofSeconds(10)), "sent " + sent + ", got " + got);
            assertEquals(sent - 1, got.get(got.size() - 1));
            assertThrows(IllegalArgumentException.class, () -> AgentOptions.builder().highWaterMark(-1).build());
        }
    }
}
