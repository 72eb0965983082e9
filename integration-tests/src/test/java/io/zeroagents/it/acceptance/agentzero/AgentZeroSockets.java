package io.zeroagents.it.acceptance.agentzero;

import io.zeroagents.sockets.Poll;
import io.zeroagents.sockets.SocketEvent;
import io.zeroagents.sockets.SocketManager;
import java.time.Duration;
import java.util.Optional;

/** What the AgentZero acceptance tests share: a manager with short polls, and a publish that waits for its subscriber. */
final class AgentZeroSockets {
    /** How long a test waits for what must happen. */
    static final Duration WAIT = Duration.ofSeconds(10);
    /** How long a test waits for what must not happen. */
    static final Duration SHORT = Duration.ofMillis(200);

    private AgentZeroSockets() {
    }

    /** A manager as AgentZero's {@code SocketManager()}, with polls short enough for tests. */
    static SocketManager manager() {
        return SocketManager.builder().pollingTimeout(Duration.ofMillis(50)).timeout(WAIT).build();
    }

    /**
     * Publishes on {@code publisher} until {@code subscriber} receives an event of that topic: a
     * subscription reaches a publisher some time after the connection, and what is published before
     * is dropped, as in ZeroMQ. Drains what the earlier attempts delivered.
     */
    static <T> SocketEvent<T> publishUntilReceived(SocketManager sockets, String publisher, String subscriber,
                                                   String topic, Object data, Class<T> type) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            sockets.publishSafe(publisher, topic, data);
            Optional<SocketEvent<T>> event = sockets.recvEvent(subscriber, type, Duration.ofMillis(50));
            if (event.isPresent()) {
                while (sockets.recvEvent(subscriber, type, SHORT).isPresent()) {
                    continue;
                }
                return event.get();
            }
        }
        throw new AssertionError("'" + subscriber + "' received nothing on topic '" + topic + "' within " + WAIT);
    }

    /** Binds a SUB named {@code name} to a loopback port and returns its address. */
    static String boundSub(SocketManager sockets, String name) {
        return sockets.ensureAndBind(name, io.zeroagents.sockets.SocketType.SUB, "tcp://127.0.0.1:*", Poll.IN)
                .boundEndpoints().get(0);
    }
}
