package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentTimeoutException;
import io.zeroagents.Pattern;
import io.zeroagents.PatternMismatchException;
import io.zeroagents.SocketHandler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The send side of an agent ({@link Outbox}), over socket pairs without an agent around them. */
@Timeout(30)
class OutboxTest {

    @Test
    void send_pushToPullOverInproc_peerHandlerGetsTheValue() {
        List<String> got = new CopyOnWriteArrayList<>();
        try (SocketPair pair = new SocketPair(1, SocketPair.TIMEOUT)) {
            AgentSocket pull = pair.bind(Pattern.PULL, "in", "inproc://outbox-send",
                    SocketHandler.onMessage(String.class, (agent, message) -> got.add(message)));
            AgentSocket push = pair.connect(pull, "out", null);

            pair.onLoop(() -> {
                pair.outbox.send(push, "", "hello");
                pair.outbox.send(push, "", "world");
                return null;
            });
            pair.receiveUntil(List.of(pull), () -> got.size() == 2);

            assertEquals(List.of("hello", "world"), got);
            assertEquals(2, push.counters.sentCount());
            assertEquals(0, pair.log.dropped());
        }
    }

    @Test
    void send_onPullSocket_refusedNamingAgentAndAlias() {
        try (SocketPair pair = new SocketPair(1, SocketPair.TIMEOUT)) {
            AgentSocket pull = pair.bind(Pattern.PULL, "in", "inproc://outbox-pull", null);

            PatternMismatchException e = assertThrows(PatternMismatchException.class,
                    () -> pair.onLoop(() -> {
                        pair.outbox.send(pull, "", "x");
                        return null;
                    }));

            assertEquals("Agent 'Tester' cannot send on socket 'in': it is PULL, which only receives", e.getMessage());
        }
    }

    @Test
    void send_topicOnPush_refusedNamingTheTopic() {
        try (SocketPair pair = new SocketPair(1, SocketPair.TIMEOUT)) {
            AgentSocket push = pair.bind(Pattern.PUSH, "out", "inproc://outbox-topic", null);

            PatternMismatchException e = assertThrows(PatternMismatchException.class,
                    () -> pair.onLoop(() -> {
                        pair.outbox.send(push, "news", "x");
                        return null;
                    }));

            assertTrue(e.getMessage().contains("cannot send topic 'news' on socket 'out'"), e.getMessage());
        }
    }

    @Test
    void send_noPeerTakesTheMessage_timesOutNamingTheSocket() {
        try (SocketPair pair = new SocketPair(1, Duration.ofMillis(200))) {
            AgentSocket push = pair.bind(Pattern.PUSH, "out", "inproc://outbox-nobody", null);

            AgentTimeoutException e = assertThrows(AgentTimeoutException.class,
                    () -> pair.onLoop(() -> {
                        pair.outbox.send(push, "", "x");
                        return null;
                    }));

            assertTrue(e.getMessage().contains("could not send on socket 'out' (PUSH inproc://outbox-nobody)"),
                    e.getMessage());
            assertEquals(0, push.counters.sentCount());
        }
    }

    @Test
    void flushAll_batchingPushOverTcp_peerGetsTheBatchedMessagesInOrder() {
        List<Integer> got = new CopyOnWriteArrayList<>();
        try (SocketPair pair = new SocketPair(8, SocketPair.TIMEOUT)) {
            AgentSocket pull = pair.bind(Pattern.PULL, "in", "tcp://127.0.0.1:*",
                    SocketHandler.onMessage(Integer.class, (agent, message) -> got.add(message)));
            AgentSocket push = pair.connect(pull, "out", null);

            boolean held = pair.onLoop(() -> {
                for (int i = 0; i < 3; i++) {
                    pair.outbox.send(push, "", i);
                }
                return pair.outbox.batchesPending() && push.hasBatched() && push.counters.sentCount() == 0;
            });
            pair.onLoop(() -> {
                pair.outbox.flushAll(new AgentSocket[]{push});
                return null;
            });
            pair.receiveUntil(List.of(pull), () -> got.size() == 3);

            assertTrue(held, "three messages under a batch of eight wait for the turn's end");
            assertEquals(List.of(0, 1, 2), got);
            assertFalse(pair.onLoop(pair.outbox::batchesPending));
            assertEquals(3, pull.counters.receivedCount());
        }
    }
}
