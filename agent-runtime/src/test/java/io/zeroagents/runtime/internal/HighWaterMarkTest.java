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
import io.zeroagents.runtime.internal.control.Mode;
import io.zeroagents.testing.AgentAwait;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code AgentOptions.highWaterMark} sets how many messages an agent's sockets queue: a sender
 * whose receiver is paused can queue about its own and the receiver's marks, then its sends wait
 * and fail with the reason, a send its caller was told failed never goes out later (for a proxy in
 * another process too, whose wait the agent's own timeout does not cover), and nothing queued is
 * lost when the receiver resumes.
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

            // The loop's send gave up before the caller did, so the caller hears why.
            int sent = sendUntilOneWaitsTooLong(source);

            // ZeroMQ queues up to the sender's and the receiver's marks on an inproc pipe.
            assertTrue(sent >= MARK && sent <= 2 * MARK + 2, "sends taken before one waited: " + sent);
            sink.resume();
            int expected = sent + 1;
            assertTrue(AgentAwait.until(() -> got.size() == expected, Duration.ofSeconds(10)), "sent " + sent + ", got " + got);
            assertEquals(sent - 1, got.get(got.size() - 1));
            assertThrows(IllegalArgumentException.class, () -> AgentOptions.builder().highWaterMark(-1).build());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"SAFE", "UNSAFE"})
    void send_remoteCallerWaitsLessThanTheAgent_loopGivesUpFirstAndNeverSendsLater(Mode mode) throws Exception {
        try (TestRuntime runtime = new TestRuntime()) {
            List<Integer> got = new CopyOnWriteArrayList<>();
            Proxy sink = runtime.agent("Sink", AgentOptions.builder().highWaterMark(MARK).build());
            AgentAddress in = sink.bind(Pattern.PULL, "in", BindOptions.builder().transport(Transport.INPROC)
                    .handler(SocketHandler.onMessage(Integer.class, (agent, m) -> got.add(m))).build());
            // The agent would wait 20 s for room; its remote caller waits 700 ms.
            Proxy local = runtime.agent("Source", AgentOptions.builder().highWaterMark(MARK)
                    .timeout(Duration.ofSeconds(20)).build());
            local.connect(in, "out");
            try (ControlClient client = runtime.controlClientFor("Source")) {
                Proxy source = new RemoteProxy("Source", client, mode, runtime.codecs, Duration.ofMillis(700));
                source.send("out", -1);
                assertTrue(AgentAwait.until(() -> got.size() == 1, Duration.ofSeconds(10)));
                sink.stop();

                // The agent's loop gave up in time for its answer to arrive: the caller hears why.
                int sent = sendUntilOneWaitsTooLong(source);
                sink.resume();
                // A send still waiting in the loop would go out before this one.
                source.send("out", -2);
                assertTrue(AgentAwait.until(() -> got.contains(-2), Duration.ofSeconds(10)), "got " + got);
                int failed = sent;
                assertTrue(got.stream().noneMatch(m -> m == failed), "the send its caller was told failed went out: " + got);
                assertEquals(sent + 2, got.size(), "got " + got);
            }
        }
    }

    /**
     * Sends 0, 1, 2... on {@code out} until a send times out, which must report the loop's own reason
     * (no peer took the message) rather than the caller's wait running out; returns the number sent.
     */
    private static int sendUntilOneWaitsTooLong(Proxy source) {
        for (int sent = 0; sent < 10 * MARK; sent++) {
            try {
                source.send("out", sent);
            } catch (AgentTimeoutException e) {
                assertTrue(e.getMessage().contains("could not send on socket 'out'"), e.toString());
                return sent;
            }
        }
        throw new AssertionError("no send waited after " + 10 * MARK + " messages");
    }
}
