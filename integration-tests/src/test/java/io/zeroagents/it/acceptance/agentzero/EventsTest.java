package io.zeroagents.it.acceptance.agentzero;

import static io.zeroagents.it.acceptance.agentzero.AgentZeroSockets.SHORT;
import static io.zeroagents.it.acceptance.agentzero.AgentZeroSockets.boundSub;
import static io.zeroagents.it.acceptance.agentzero.AgentZeroSockets.publishUntilReceived;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zeroagents.sockets.Poll;
import io.zeroagents.sockets.SocketEvent;
import io.zeroagents.sockets.SocketManager;
import io.zeroagents.sockets.SocketOption;
import io.zeroagents.sockets.SocketType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * AgentZero's events: {@code set_topic}, {@code publish_safe}, {@code recv_event_safe} returning an
 * {@code Event(topic, data)}, and {@code subscribe} that keeps polling.
 */
@Timeout(30)
class EventsTest {
    final SocketManager sockets = AgentZeroSockets.manager();

    @AfterEach
    void close() {
        sockets.close();
    }

    /** The documented {@code set_topic('events', 'logs')} then {@code recv_event_safe('events')}. */
    @Test
    void recvEvent_topicPrefixSubscribed_returnsTopicAndData() {
        String address = boundSub(sockets, "events");
        sockets.setTopic("events", "logs");
        sockets.ensureAndConnect("logs", SocketType.PUB, address, Poll.NONE);

        SocketEvent<Object> event = publishUntilReceived(sockets, "logs", "events", "logs:2016-06-20",
                Map.of("stdout", "hello world"), Object.class);

        assertEquals("logs:2016-06-20", event.topic());
        assertEquals(Map.of("stdout", "hello world"), event.data());
    }

    /** Only topics beginning with the subscribed prefix arrive. */
    @Test
    void recvEvent_otherTopic_isNotReceived() {
        String address = boundSub(sockets, "events");
        sockets.setTopic("events", "logs");
        sockets.ensureAndConnect("logs", SocketType.PUB, address, Poll.NONE);
        publishUntilReceived(sockets, "logs", "events", "logs", "ready", String.class);

        sockets.publishSafe("logs", "metrics", "ignored");

        assertEquals(Optional.empty(), sockets.recvEvent("events", String.class, SHORT));
    }

    /** The documented {@code for topic, data in sockets.subscribe('logs', 'output')}, ended by {@code keep_polling}. */
    @Test
    void subscribe_outputTopic_yieldsEachEventInOrderUntilKeepPollingIsFalse() {
        String address = boundSub(sockets, "logs");
        sockets.setTopic("logs", "output");
        sockets.setTopic("logs", "probe");
        sockets.ensureAndConnect("publisher", SocketType.PUB, address, Poll.NONE);
        publishUntilReceived(sockets, "publisher", "logs", "probe", "", String.class);
        sockets.setSocketOption("logs", SocketOption.UNSUBSCRIBE, "probe");
        sockets.publishSafe("publisher", "output:0", "some data");
        sockets.publishSafe("publisher", "output:1", "more data");
        AtomicInteger polls = new AtomicInteger();

        List<String> lines = sockets.subscribe("logs", "output", String.class, () -> polls.incrementAndGet() <= 2)
                .map(e -> e.topic() + " ==> " + e.data())
                .toList();

        assertEquals(List.of("output:0 ==> some data", "output:1 ==> more data"), lines);
    }

    /** The documented {@code publish_safe('logs', 'output', 'some data')} over a connected PUB. */
    @Test
    void publishSafe_connectedPublisher_returnsTrueAndTheSubscriberGetsIt() {
        String address = boundSub(sockets, "events");
        sockets.setTopic("events", "");
        sockets.ensureAndConnect("logs", SocketType.PUB, address, Poll.OUT);

        SocketEvent<String> event = publishUntilReceived(sockets, "logs", "events", "output", "some data",
                String.class);

        assertEquals(new SocketEvent<>("output", "some data"), event);
    }
}
