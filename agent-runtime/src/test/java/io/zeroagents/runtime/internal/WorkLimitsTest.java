package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentException;
import io.zeroagents.runtime.internal.control.ControlRequest;
import io.zeroagents.runtime.internal.control.ControlResponse;
import io.zeroagents.runtime.internal.control.HasSocket;
import io.zeroagents.testsupport.RawZmtpPeer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The work others can queue is bounded: an agent's loop queues at most
 * {@code zeroagents.loop.max.tasks} calls and a control endpoint has at most
 * {@code zeroagents.control.max.pending} requests in progress. One more is refused at once, with
 * an error naming the agent and the setting; what was queued is served, and so is what comes after.
 */
@Timeout(60)
class WorkLimitsTest {

    @Test
    void agentLoop_callsBeyondItsQueueLimit_areRefusedAtOnceAndTheQueuedOnesServed() throws Exception {
        try (TestRuntime runtime = new TestRuntime(Map.of("zeroagents.loop.max.tasks", "5"))) {
            runtime.agent("Busy");
            AgentCore busy = runtime.core("Busy");
            CountDownLatch blocking = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            try {
                busy.post("block", () -> {
                    blocking.countDown();
                    return release.await(30, TimeUnit.SECONDS);
                });
                assertTrue(blocking.await(10, TimeUnit.SECONDS), "the loop to run the blocking call");
                List<CompletableFuture<Integer>> queued = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    int n = i;
                    queued.add(busy.post("queued", () -> n));
                }

                CompletableFuture<String> refused = busy.post("one-too-many", () -> "ran");

                ExecutionException e = assertThrows(ExecutionException.class, () -> refused.get(2, TimeUnit.SECONDS));
                assertInstanceOf(AgentException.class, e.getCause());
                String message = e.getCause().getMessage();
                assertTrue(message.contains("'Busy'") && message.contains("'one-too-many'")
                        && message.contains("zeroagents.loop.max.tasks"), message);
                release.countDown();
                for (int i = 0; i < 5; i++) {
                    assertEquals(i, queued.get(i).get(10, TimeUnit.SECONDS));
                }
                assertEquals("pong", runtime.agent("Other").ping());
                assertEquals("ran", busy.post("after", () -> "ran").get(10, TimeUnit.SECONDS));
            } finally {
                release.countDown();
            }
        }
    }

    @Test
    void controlEndpoint_requestsBeyondItsLimit_areRefusedAtOnceAndTheOthersServed() throws Exception {
        try (TestRuntime runtime = new TestRuntime()) {
            runtime.agent("Busy").setAttr("x", 7);
            AgentCore busy = runtime.core("Busy");
            CountDownLatch blocking = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            try (ControlEndpoint endpoint = runtime.controlEndpoint(Duration.ZERO, 3);
                 RawZmtpPeer raw = RawZmtpPeer.connect(endpoint.endpoint(), "DEALER")) {
                busy.post("block", () -> {
                    blocking.countDown();
                    return release.await(30, TimeUnit.SECONDS);
                });
                assertTrue(blocking.await(10, TimeUnit.SECONDS), "the loop to run the blocking call");
                // Three safe reads wait for the blocked loop: the endpoint's limit.
                for (long id = 1; id <= 3; id++) {
                    raw.sendMessage(hasSocket(id).toByteArray());
                }

                raw.sendMessage(hasSocket(4).toByteArray());
                byte[] first = raw.receive();

                assertNotNull(first, "no answer to the request over the limit");
                ControlResponse refusal = ControlResponse.parseFrom(first);
                assertEquals(4, refusal.getRequestId(), refusal.toString());
                assertFalse(refusal.getOk());
                assertTrue(refusal.getErrorMessage().contains("'Busy'")
                        && refusal.getErrorMessage().contains("zeroagents.control.max.pending"), refusal.getErrorMessage());
                assertEquals(1, endpoint.refusedAsBusy());

                release.countDown();
                Set<Long> served = new HashSet<>();
                for (int i = 0; i < 3; i++) {
                    byte[] answer = raw.receive();
                    assertNotNull(answer, "an answer to a request within the limit");
                    ControlResponse response = ControlResponse.parseFrom(answer);
                    assertTrue(response.getOk(), response.toString());
                    served.add(response.getRequestId());
                }
                assertEquals(Set.of(1L, 2L, 3L), served);
                raw.sendMessage(hasSocket(5).toByteArray());
                ControlResponse after = ControlResponse.parseFrom(raw.receive());
                assertTrue(after.getOk() && after.getRequestId() == 5, after.toString());
            } finally {
                release.countDown();
            }
        }
    }

    /** A safe read any member may make, which waits for the agent's loop. */
    private static ControlRequest hasSocket(long id) {
        return ControlRequest.newBuilder().setVersion(ControlEndpoint.VERSION).setRequestId(id).setAgent("Busy")
                .setCallerWaitMs(20_000).setHasSocket(HasSocket.newBuilder().setAlias("x")).build();
    }
}
