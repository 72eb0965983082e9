package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentTimeoutException;
import io.zeroagents.Pattern;
import io.zeroagents.PatternMismatchException;
import io.zeroagents.RemoteAgentException;
import io.zeroagents.RequestOptions;
import io.zeroagents.SocketHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/** The receive side of an agent ({@link Inbox}), over socket pairs without an agent around them. */
@Timeout(30)
class InboxTest {

    @Test
    void receive_unreadableFrameThenGoodMessage_dropsCountsAndHandlesTheNext() {
        List<String> got = new CopyOnWriteArrayList<>();
        try (SocketPair pair = new SocketPair(1, SocketPair.TIMEOUT)) {
            AgentSocket pull = pair.bind(Pattern.PULL, "in", "inproc://inbox-garbage",
                    SocketHandler.onMessage(String.class, (agent, message) -> got.add(message)));
            ZMQ.Socket hostile = pair.rawPeer(SocketType.PUSH, pull);
            AgentSocket push = pair.connect(pull, "out", null);

            hostile.send("not an envelope".getBytes(StandardCharsets.UTF_8));
            pair.receiveUntil(List.of(pull), () -> pair.log.dropped() == 1);
            pair.onLoop(() -> {
                pair.outbox.send(push, "", "good");
                return null;
            });
            pair.receiveUntil(List.of(pull), () -> got.size() == 1);

            assertEquals(List.of("good"), got);
            assertEquals(1, pair.log.dropped());
            assertEquals(2, pull.counters.receivedCount());
            hostile.close();
        }
    }

    @Test
    void receive_requestOnRep_handlersReplyReachesTheRequester() {
        try (SocketPair pair = new SocketPair(1, SocketPair.TIMEOUT)) {
            AgentSocket rep = pair.bind(Pattern.REP, "server", "inproc://inbox-rep",
                    SocketHandler.onRequest(String.class, (agent, request) -> request.toUpperCase()));
            AgentSocket req = pair.connect(rep, "client", null);

            pair.onLoop(() -> {
                pair.outbox.send(req, "", "ping");
                return null;
            });
            pair.receiveUntil(List.of(rep), () -> rep.counters.handledCount() == 1);
            String reply = pair.onLoop(() -> pair.inbox.recv(req, String.class, SocketPair.TIMEOUT));

            assertEquals("PING", reply);
        }
    }

    @Test
    void receive_handlerThrows_requesterGetsTheErrorAndTheFailureIsReported() {
        try (SocketPair pair = new SocketPair(1, SocketPair.TIMEOUT)) {
            AgentSocket rep = pair.bind(Pattern.REP, "server", "inproc://inbox-throws",
                    SocketHandler.onRequest(String.class, (agent, request) -> {
                        throw new IllegalStateException("boom");
                    }));
            AgentSocket req = pair.connect(rep, "client", null);

            pair.onLoop(() -> {
                pair.outbox.send(req, "", "ping");
                return null;
            });
            pair.receiveUntil(List.of(rep), () -> rep.counters.handlerErrorCount() == 1);
            RemoteAgentException e = assertThrows(RemoteAgentException.class,
                    () -> pair.onLoop(() -> pair.inbox.recv(req, String.class, SocketPair.TIMEOUT)));

            assertTrue(e.getMessage().contains("boom"), e.getMessage());
            assertEquals(List.of("handler of socket 'server': java.lang.IllegalStateException: boom"), pair.failures);
        }
    }

    @Test
    void recv_nothingArrives_timesOutNamingTheSocket() {
        try (SocketPair pair = new SocketPair(1, SocketPair.TIMEOUT)) {
            AgentSocket pull = pair.bind(Pattern.PULL, "in", "inproc://inbox-silent", null);

            AgentTimeoutException e = assertThrows(AgentTimeoutException.class,
                    () -> pair.onLoop(() -> pair.inbox.recv(pull, String.class, Duration.ofMillis(100))));

            assertEquals("Agent 'Tester' received nothing on socket 'in' (PULL) within 100 ms", e.getMessage());
        }
    }

    @Test
    void recv_onSocketWithHandler_refused() {
        try (SocketPair pair = new SocketPair(1, SocketPair.TIMEOUT)) {
            AgentSocket pull = pair.bind(Pattern.PULL, "in", "inproc://inbox-handled",
                    SocketHandler.onMessage(String.class, (agent, message) -> { }));

            PatternMismatchException e = assertThrows(PatternMismatchException.class,
                    () -> pair.onLoop(() -> pair.inbox.recv(pull, String.class, Duration.ofMillis(100))));

            assertEquals("Agent 'Tester' cannot recv on socket 'in': its handler receives its messages", e.getMessage());
        }
    }

    @Test
    void expireRequests_noReplyWithinTheWait_callsOnNoReplyWithTheRequest() {
        List<Object> unanswered = new CopyOnWriteArrayList<>();
        try (SocketPair pair = new SocketPair(1, SocketPair.TIMEOUT)) {
            // A server whose requests the test never takes, so no reply ever comes.
            AgentSocket server = pair.bind(Pattern.ASYNC_REP, "server", "inproc://inbox-expire",
                    SocketHandler.onRequest(String.class, (agent, request) -> request));
            AgentSocket client = pair.connect(server, "client", null);

            pair.onLoop(() -> {
                pair.outbox.request(client, "anyone?", RequestOptions.builder().waitAtMost(Duration.ofMillis(50))
                        .onNoReply((agent, request) -> unanswered.add(request)).build());
                return null;
            });
            long deadline = System.nanoTime() + SocketPair.TIMEOUT.toNanos();
            while (unanswered.isEmpty() && System.nanoTime() < deadline) {
                pair.onLoop(pair.inbox::expireRequests);
                Thread.onSpinWait();
            }

            assertEquals(List.of("anyone?"), unanswered);
            assertEquals(false, pair.onLoop(pair.inbox::hasDeadlines));
        }
    }
}
