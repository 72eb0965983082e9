package io.zeroagents.nameserver;

import static io.zeroagents.nameserver.TestEntries.agent;
import static io.zeroagents.nameserver.TestEntries.secret;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import io.zeroagents.NameServerException;
import io.zeroagents.nameserver.protocol.Pong;
import io.zeroagents.nameserver.protocol.Request;
import io.zeroagents.nameserver.protocol.Response;
import io.zeroagents.nameserver.registry.LocalRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NameServerClientTest {

    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(300);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void call_serverNotRunning_failsNamingTheServerAndTheOperation() {
        String address = unusedEndpoint();
        try (NameServerClient client = new NameServerClient(address, SHORT_TIMEOUT)) {

            NameServerException e = assertThrows(NameServerException.class,
                    () -> client.register(agent("Alice", "h1"), secret("h1")));

            assertTrue(e.getMessage().startsWith("Name server " + address + " did not answer 'register' within 300 ms"),
                    e.getMessage());
        }
    }

    @Test
    void client_afterServerRestartOnTheSamePort_worksAgain() {
        NameServerService first = NameServerService.builder()
                .registry(new LocalRegistry(Duration.ofSeconds(30))).start();
        String address = first.address();
        try (NameServerClient client = new NameServerClient(address, Duration.ofSeconds(2))) {
            client.register(agent("Alice", "h1"), secret("h1"));
            first.close();

            NameServerException down = assertThrows(NameServerException.class, client::ping);
            assertTrue(down.getMessage().contains("did not answer 'ping'"), down.getMessage());

            try (NameServerService second = NameServerService.builder()
                    .bind(address).registry(new LocalRegistry(Duration.ofSeconds(30))).start()) {
                assertEquals(second.serverId(), client.ping());
                assertNotEquals(first.serverId(), second.serverId());
                assertEquals(List.of("Alice"),
                        client.heartbeat("h1", secret("h1"), List.of("Alice")).getUnknownNamesList());
                client.register(agent("Alice", "h1"), secret("h1"));
                assertEquals("h1", client.lookup("Alice").getHostId());
            }
        } finally {
            first.close();
        }
    }

    @Test
    void call_answerCarryingAnotherRequestId_isDiscarded() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(router -> {
            ZMsg request = ZMsg.recvMsg(router);
            byte[] peer = request.getFirst().getData();
            long id = requestId(request);
            answer(router, peer, id - 1, "stale");
            answer(router, peer, id, "fresh");
        }); NameServerClient client = new NameServerClient(server.endpoint(), TIMEOUT)) {

            assertEquals("fresh", client.ping());
        }
    }

    @Test
    void call_unansweredRequest_isResentOnANewConnectionWithTheSameId() throws Exception {
        CompletableFuture<ZMsg[]> seen = new CompletableFuture<>();
        try (ScriptedServer server = ScriptedServer.start(router -> {
            ZMsg ignored = ZMsg.recvMsg(router);
            ZMsg resent = ZMsg.recvMsg(router);
            seen.complete(new ZMsg[] {ignored.duplicate(), resent.duplicate()});
            answer(router, resent.getFirst().getData(), requestId(resent), "answered");
        }); NameServerClient client = new NameServerClient(server.endpoint(), TIMEOUT)) {

            assertEquals("answered", client.ping());

            ZMsg[] requests = seen.get(10, TimeUnit.SECONDS);
            assertEquals(requestId(requests[0]), requestId(requests[1]));
            assertFalse(Arrays.equals(requests[0].getFirst().getData(), requests[1].getFirst().getData()),
                    "the request must come again from a new connection");
            assertArrayEquals(requests[0].getLast().getData(), requests[1].getLast().getData());
        }
    }

    @Test
    void close_isIdempotentAndLaterCallsAreRejected() {
        NameServerClient client = new NameServerClient(unusedEndpoint(), SHORT_TIMEOUT);

        client.close();
        client.close();

        assertThrows(IllegalStateException.class, client::ping);
    }

    @Test
    void constructor_nonPositiveTimeout_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> new NameServerClient("tcp://127.0.0.1:1", Duration.ZERO));
    }

    @Test
    void constructor_malformedAddress_throwsNameServerException() {
        NameServerException e = assertThrows(NameServerException.class,
                () -> new NameServerClient("nonsense://here", TIMEOUT));

        assertTrue(e.getMessage().contains("nonsense://here"), e.getMessage());
    }

    private static long requestId(ZMsg request) {
        try {
            return Request.parseFrom(request.getLast().getData()).getRequestId();
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("the client sent something that is not a Request", e);
        }
    }

    private static void answer(ZMQ.Socket router, byte[] peer, long requestId, String serverId) {
        router.sendMore(peer);
        router.send(Response.newBuilder().setRequestId(requestId).setPong(Pong.newBuilder().setServerId(serverId))
                .build().toByteArray(), 0);
    }

    // An endpoint nothing listens on: the port of a service that has been closed.
    private static String unusedEndpoint() {
        try (NameServerService service = NameServerService.builder()
                .registry(new LocalRegistry(Duration.ofSeconds(1))).start()) {
            return service.address();
        }
    }

    /** A ROUTER on its own thread that plays a script instead of serving the protocol. */
    private static final class ScriptedServer implements AutoCloseable {

        interface Script {
            void play(ZMQ.Socket router);
        }

        private final Thread thread;
        private final String endpoint;
        private final CompletableFuture<Void> played;
        private volatile boolean stopped;

        private ScriptedServer(Script script) throws Exception {
            CompletableFuture<String> bound = new CompletableFuture<>();
            played = new CompletableFuture<>();
            thread = new Thread(() -> {
                try (ZContext context = new ZContext(1)) {
                    ZMQ.Socket router = context.createSocket(SocketType.ROUTER);
                    router.setLinger(0);
                    // Bounds the script's waits, so the thread ends even if the client never sends.
                    router.setReceiveTimeOut(10_000);
                    router.bind("tcp://127.0.0.1:*");
                    bound.complete(router.getLastEndpoint());
                    try {
                        script.play(router);
                        played.complete(null);
                    } catch (RuntimeException | AssertionError e) {
                        played.completeExceptionally(e);
                    }
                    // Stays up, swallowing resent requests, until the test is done with its client.
                    router.setReceiveTimeOut(50);
                    while (!stopped) {
                        ZMsg.recvMsg(router);
                    }
                    router.close();
                } catch (RuntimeException e) {
                    bound.completeExceptionally(e);
                }
            }, "scripted-name-server");
            thread.start();
            endpoint = bound.get(10, TimeUnit.SECONDS);
        }

        static ScriptedServer start(Script script) throws Exception {
            return new ScriptedServer(script);
        }

        String endpoint() {
            return endpoint;
        }

        @Override
        public void close() {
            stopped = true;
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while stopping the scripted name server", e);
            }
            played.join();
        }
    }
}
