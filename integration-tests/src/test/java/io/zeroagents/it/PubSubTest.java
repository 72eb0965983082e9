package io.zeroagents.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentAddress;
import io.zeroagents.Agents;
import io.zeroagents.MessageHandler;
import io.zeroagents.Pattern;
import io.zeroagents.PatternMismatchException;
import io.zeroagents.Proxy;
import io.zeroagents.SocketHandler;
import io.zeroagents.it.support.Inbox;
import io.zeroagents.testkit.NameServerExtension;
import io.zeroagents.testsupport.Await;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class PubSubTest {
    @RegisterExtension
    final NameServerExtension ns = new NameServerExtension();

    /** A subscription takes effect asynchronously; publish a marker until every subscriber has seen one. */
    private static void awaitSubscribed(Proxy publisher, String alias, String topic, Inbox<?>... inboxes) {
        Await.until(() -> {
            publisher.send(alias, topic, "marker");
            for (Inbox<?> inbox : inboxes) {
                if (inbox.size() == 0) {
                    return false;
                }
            }
            return true;
        }, "subscribers to receive a marker on topic '" + topic + "'");
    }

    @Test
    void send_withTopics_eachSubscriberGetsOnlyItsPrefixes() {
        Proxy alice = Agents.runAgent("Alice");
        AgentAddress addr = alice.bind(Pattern.PUB, "main");
        Inbox<String> bob = new Inbox<>();
        Inbox<String> eve = new Inbox<>();
        Agents.runAgent("Bob").connect(addr, "main", String.class, (agent, msg) -> bob.add(msg));
        Map<String, MessageHandler<String>> byTopic = new LinkedHashMap<>();
        byTopic.put("a", (agent, msg) -> eve.add("a:" + msg));
        byTopic.put("b", (agent, msg) -> eve.add("b:" + msg));
        Agents.runAgent("Eve").connect(addr, "main", SocketHandler.onTopics(String.class, byTopic));
        awaitSubscribed(alice, "main", "a", bob, eve);
        int bobBefore = bob.size();
        int eveBefore = eve.size();

        alice.send("main", "apples", "1");
        alice.send("main", "bananas", "2");
        alice.send("main", "cherries", "3");

        Await.until(() -> bob.items().contains("3"), "Bob to receive the last publication");
        assertEquals(List.of("1", "2", "3"), bob.items().subList(bobBefore, bob.size()).stream()
                .filter(m -> !m.equals("marker")).toList());
        Await.until(() -> eve.items().contains("b:2"), "Eve to receive the bananas");
        List<String> eveGot = eve.items();
        // Everything after the markers: only the topics Eve subscribed to, by their own handlers.
        assertEquals(List.of("a:1", "b:2"), eveGot.subList(eveBefore, eveGot.size()).stream()
                .filter(m -> !m.endsWith("marker")).toList());
    }

    @Test
    void send_topicMatchingTwoPrefixes_callsBothHandlers() {
        Proxy alice = Agents.runAgent("Alice");
        AgentAddress addr = alice.bind(Pattern.PUB, "main");
        Inbox<String> got = new Inbox<>();
        Map<String, MessageHandler<String>> byTopic = new LinkedHashMap<>();
        byTopic.put("news", (agent, msg) -> got.add("news:" + msg));
        byTopic.put("news/sport", (agent, msg) -> got.add("sport:" + msg));
        Agents.runAgent("Reader").connect(addr, "feed", SocketHandler.onTopics(String.class, byTopic));
        awaitSubscribed(alice, "main", "news/weather", got);
        int before = got.size();

        alice.send("main", "news/sport", "goal");

        Await.until(() -> got.items().subList(before, got.size()).contains("sport:goal"), "the sport handler");
        assertTrue(got.items().subList(before, got.size()).contains("news:goal"), got.items().toString());
    }

    @Test
    void send_withTopicOnPush_isRefused() {
        Proxy alice = Agents.runAgent("Alice");
        alice.bind(Pattern.PUSH, "main");

        assertThrows(PatternMismatchException.class, () -> alice.send("main", "topic", "message"));
    }

    @Test
    void send_onSubSocket_isRefusedNamingPattern() {
        Proxy alice = Agents.runAgent("Alice");
        AgentAddress addr = alice.bind(Pattern.PUB, "main");
        Proxy bob = Agents.runAgent("Bob");
        bob.connect(addr, "main", String.class, (agent, msg) -> { });

        PatternMismatchException refused = assertThrows(PatternMismatchException.class, () -> bob.send("main", "x"));
        assertTrue(refused.getMessage().contains("SUB"), refused.getMessage());
    }
}
