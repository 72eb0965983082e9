package io.zeroagents.it.acceptance;

import static io.zeroagents.it.acceptance.support.ChannelAgents.WAIT;
import static io.zeroagents.it.acceptance.support.ChannelAgents.received;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.Agent;
import io.zeroagents.AgentAddress;
import io.zeroagents.AgentException;
import io.zeroagents.Agents;
import io.zeroagents.Pattern;
import io.zeroagents.PatternMismatchException;
import io.zeroagents.Proxy;
import io.zeroagents.RequestOptions;
import io.zeroagents.SocketHandler;
import io.zeroagents.TopicHandler;
import io.zeroagents.it.acceptance.support.ChannelAgents;
import io.zeroagents.testkit.NameServerExtension;
import io.zeroagents.testing.AgentAwait;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * osBrain's subscriber behaviours that its pub/sub test files leave to the guide: handlers that
 * also receive the topic ({@code handler(agent, message, topic)}), on {@code SUB} and
 * {@code SYNC_SUB}, and topic subscriptions changed at run time on a plain {@code SUB} whose
 * socket handler takes every subscribed topic.
 */
@Timeout(30)
class SubscribersTest {
    private static final Duration TICK = Duration.ofMillis(50);

    @RegisterExtension
    final NameServerExtension ns = new NameServerExtension();

    /** Keeps {@code topic:message} in the agent's {@code received} list. */
    private static final TopicHandler<Object> KEEP_WITH_TOPIC =
            (agent, message, topic) -> received(agent).add(topic + ":" + message);

    /** Publishes {@code joined} under {@code topic} until the subscriber has it, so later messages are not lost. */
    private static void join(Proxy publisher, Proxy subscriber, String topic) {
        publisher.each(TICK, agent -> agent.send("pub", topic, "joined"), "join");
        assertTrue(AgentAwait.condition(subscriber, AgentAwait::lastReceivedEndsWith, WAIT, "joined"),
                subscriber.name() + " never joined");
        publisher.stopTimer("join");
    }

    private static List<Object> lastOf(Proxy agent, int count) {
        List<Object> all = List.copyOf(received(agent));
        return all.subList(Math.max(0, all.size() - count), all.size());
    }

    // ------------------------------------------------------------------ handlers receiving the topic

    @Test
    void onTopicMessage_sub_handlerReceivesEachMessageWithItsWholeTopic() {
        Proxy publisher = Agents.runAgent("publisher");
        AgentAddress addr = publisher.bind(Pattern.PUB, "pub");
        Proxy subscriber = ChannelAgents.withReceivedList(Agents.runAgent("subscriber"));
        subscriber.connect(addr, "sub", SocketHandler.onTopicMessage(Object.class, KEEP_WITH_TOPIC));
        join(publisher, subscriber, "j");

        publisher.send("pub", "foo", "one");
        publisher.send("pub", "foobar", "two");
        publisher.send("pub", "three");

        assertTrue(AgentAwait.condition(subscriber, AgentAwait::lastReceivedEndsWith, WAIT, ":three"));
        assertEquals(List.of("foo:one", "foobar:two", ":three"), lastOf(subscriber, 3));
    }

    @Test
    void onTopicMessage_subscribedToAPrefix_handlerReceivesTheWholeTopicOfMatchingMessagesOnly() {
        Proxy publisher = Agents.runAgent("publisher");
        AgentAddress addr = publisher.bind(Pattern.PUB, "pub");
        Proxy subscriber = ChannelAgents.withReceivedList(Agents.runAgent("subscriber"));
        subscriber.connect(addr, "sub", SocketHandler.onTopicMessage(Object.class, KEEP_WITH_TOPIC));
        subscriber.subscribe("sub", "fo");
        subscriber.unsubscribe("sub", "");

        publisher.each(TICK, agent -> {
            agent.send("pub", "bar", "skipped");
            agent.send("pub", "food", "kept");
        });

        assertTrue(AgentAwait.attrLengthAtLeast(subscriber, "received", 3, WAIT));
        assertEquals(List.of("food:kept", "food:kept", "food:kept"), List.copyOf(received(subscriber)).subList(0, 3));
    }

    @Test
    void onTopicMessage_syncSub_publicationsCarryTheirTopicAndRepliesTheEmptyOne() {
        Proxy server = Agents.runAgent("server");
        AgentAddress addr = server.bind(Pattern.SYNC_PUB, "pub",
                SocketHandler.onRequest(String.class, (agent, request) -> "re:" + request));
        Proxy client = ChannelAgents.withReceivedList(Agents.runAgent("client"));
        client.connect(addr, "sub", SocketHandler.onTopicMessage(Object.class, KEEP_WITH_TOPIC));
        join(server, client, "j");

        server.send("pub", "news", "headline");
        assertTrue(AgentAwait.condition(client, AgentAwait::lastReceivedEndsWith, WAIT, "headline"));
        client.request("sub", "question", RequestOptions.defaults());
        assertTrue(AgentAwait.condition(client, AgentAwait::lastReceivedEndsWith, WAIT, "re:question"));

        assertEquals(List.of("news:headline", ":re:question"), lastOf(client, 2));
    }

    @Test
    void onTopicMessage_onAPullSocket_isRefusedNamingTheSocketAndPattern() {
        Proxy agent = Agents.runAgent("a0");

        PatternMismatchException error = assertThrows(PatternMismatchException.class,
                () -> agent.bind(Pattern.PULL, "pull", SocketHandler.onTopicMessage(Object.class, KEEP_WITH_TOPIC)));

        assertTrue(error.getMessage().contains("'pull'"), error.getMessage());
        assertTrue(error.getMessage().contains("PULL"), error.getMessage());
        assertTrue(error.getMessage().contains("SUB"), error.getMessage());
    }

    @Test
    void onTopicMessage_bindingTheSub_handlerReceivesTopicsFromConnectedPublishers() {
        Proxy subscriber = ChannelAgents.withReceivedList(Agents.runAgent("subscriber"));
        AgentAddress addr = subscriber.bind(Pattern.SUB, "sub",
                SocketHandler.onTopicMessage(Object.class, KEEP_WITH_TOPIC));
        Proxy publisher = Agents.runAgent("publisher");
        publisher.connect(addr, "pub");
        join(publisher, subscriber, "j");

        publisher.send("pub", "alerts", "fire");

        assertTrue(AgentAwait.condition(subscriber, AgentAwait::lastReceivedEndsWith, WAIT, "alerts:fire"));
    }

    // ------------------------------------------------------------------ plain SUB subscriptions

    /** The socket's own handler: keeps the message. */
    private static void keep(Agent agent, Object message) {
        received(agent).add(message);
    }

    @Test
    void subscribe_plainSubSwappingTheCatchAllForATopic_itsHandlerThenGetsThatTopicOnly() {
        Proxy publisher = Agents.runAgent("publisher");
        AgentAddress addr = publisher.bind(Pattern.PUB, "pub");
        Proxy subscriber = ChannelAgents.withReceivedList(Agents.runAgent("subscriber"));
        subscriber.connect(addr, "sub", Object.class, SubscribersTest::keep);
        join(publisher, subscriber, "any");
        publisher.each(TICK, agent -> {
            agent.send("pub", "odd", "odd");
            agent.send("pub", "even", "even");
        });
        assertTrue(AgentAwait.until(() -> received(subscriber).contains("odd") && received(subscriber).contains("even"),
                WAIT), "the catch-all subscription takes both topics");

        subscriber.subscribe("sub", "even");
        subscriber.unsubscribe("sub", "");
        int changedAt = received(subscriber).size();

        assertTrue(AgentAwait.attrLengthAtLeast(subscriber, "received", changedAt + 4, WAIT));
        List<Object> after = List.copyOf(received(subscriber)).subList(changedAt, changedAt + 4);
        assertEquals(List.of("even", "even", "even", "even"), after);
    }

    @Test
    void unsubscribe_plainSubFromItsOnlyTopic_nothingOfItArrivesAfterwards() {
        Proxy publisher = Agents.runAgent("publisher");
        AgentAddress addr = publisher.bind(Pattern.PUB, "pub");
        Proxy subscriber = ChannelAgents.withReceivedList(Agents.runAgent("subscriber"));
        subscriber.connect(addr, "sub", Object.class, SubscribersTest::keep);
        join(publisher, subscriber, "news");
        publisher.each(TICK, agent -> agent.send("pub", "news", "news"));
        assertTrue(AgentAwait.condition(subscriber, AgentAwait::lastReceivedEndsWith, WAIT, "news"));

        subscriber.unsubscribe("sub", "");
        int unsubscribedAt = received(subscriber).size();
        subscriber.subscribe("sub", "marker");
        publisher.each(TICK, agent -> agent.send("pub", "marker", "marker"));

        assertTrue(AgentAwait.attrLengthAtLeast(subscriber, "received", unsubscribedAt + 3, WAIT));
        List<Object> after = List.copyOf(received(subscriber)).subList(unsubscribedAt, unsubscribedAt + 3);
        assertEquals(List.of("marker", "marker", "marker"), after);
    }

    @Test
    void unsubscribe_plainSubTopicNotSubscribed_isRefusedNamingTheSubscribedTopics() {
        Proxy publisher = Agents.runAgent("publisher");
        AgentAddress addr = publisher.bind(Pattern.PUB, "pub");
        Proxy subscriber = Agents.runAgent("subscriber");
        subscriber.connect(addr, "sub", Object.class, SubscribersTest::keep);
        subscriber.subscribe("sub", "weather");

        AgentException error = assertThrows(AgentException.class, () -> subscriber.unsubscribe("sub", "sports"));

        assertTrue(error.getMessage().contains("'sports'"), error.getMessage());
        assertTrue(error.getMessage().contains("weather"), error.getMessage());
        assertTrue(error.getMessage().contains("subscriber"), error.getMessage());
    }
}
