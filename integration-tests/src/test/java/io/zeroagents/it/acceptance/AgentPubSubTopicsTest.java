package io.zeroagents.it.acceptance;

import static io.zeroagents.it.acceptance.support.ChannelAgents.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentAddress;
import io.zeroagents.Agents;
import io.zeroagents.BindOptions;
import io.zeroagents.Codec;
import io.zeroagents.MessageHandler;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.SocketHandler;
import io.zeroagents.it.acceptance.support.ChannelAgents;
import io.zeroagents.testing.AgentAwait;
import io.zeroagents.testkit.NameServerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ports osBrain's {@code osbrain/tests/test_agent_pubsub_topics.py}: subscribers with a catch-all
 * handler or handlers by topic prefix receive exactly the publications whose topic starts with one
 * of their prefixes.
 *
 * <p>Differences from osBrain, with why:
 * <ul>
 *   <li>the serializers: osBrain runs the scenario once per Python serializer that needs a
 *       separator (pickle, cloudpickle, dill, json); those names mean nothing in Java, so it runs
 *       once per codec that carries strings here ({@code auto}, {@code string}, {@code json}).
 *   <li>{@code test_pubsub_topics_raw}: osBrain's {@code raw} serializer glues the topic to the
 *       payload, so its handlers receive {@code b'fooWorld'}; a raw address here keeps ZeroMQ's
 *       topic frame apart from the payload frame (see {@link AgentAddress}), so handlers receive the
 *       payload alone ({@code World}) and the test checks that. Payloads are kept as text so that
 *       lists compare by content.
 * </ul>
 */
@Timeout(30)
class AgentPubSubTopicsTest {
    private static final Duration TICK = Duration.ofMillis(100);

    @RegisterExtension
    final NameServerExtension ns = new NameServerExtension();

    /** The five subscribers of osBrain's scenario, named after what they subscribe to. */
    private record Subscribers(Proxy all, Proxy foo, Proxy barAndFoo, Proxy bar, Proxy fo) {
        List<Proxy> each() {
            return List.of(all, foo, barAndFoo, bar, fo);
        }
    }

    private static <T> SocketHandler byTopic(Class<T> type, MessageHandler<? super T> handler, String... topics) {
        Map<String, MessageHandler<? super T>> map = new LinkedHashMap<>();
        for (String topic : topics) {
            map.put(topic, handler);
        }
        return SocketHandler.onTopics(type, map);
    }

    private static <T> Subscribers subscribe(AgentAddress addr, Class<T> type, MessageHandler<? super T> handler) {
        Subscribers subscribers = new Subscribers(
                ChannelAgents.withReceivedList(Agents.runAgent("a1")),
                ChannelAgents.withReceivedList(Agents.runAgent("a2")),
                ChannelAgents.withReceivedList(Agents.runAgent("a3")),
                ChannelAgents.withReceivedList(Agents.runAgent("a4")),
                ChannelAgents.withReceivedList(Agents.runAgent("a5")));
        subscribers.all().connect(addr, "sub", SocketHandler.onMessage(type, handler));
        subscribers.foo().connect(addr, "sub", byTopic(type, handler, "foo"));
        subscribers.barAndFoo().connect(addr, "sub", byTopic(type, handler, "bar", "foo"));
        subscribers.bar().connect(addr, "sub", byTopic(type, handler, "bar"));
        subscribers.fo().connect(addr, "sub", byTopic(type, handler, "fo"));
        return subscribers;
    }

    /**
     * Publishes {@code first} under {@code foo} and {@code bar} until every subscriber has it, sends
     * the four messages of the scenario, then {@code last} under both topics, and waits for it.
     */
    private static void publishScenario(Proxy publisher, Subscribers subscribers, Object first, Object hello,
                                        Object world, Object upperFoo, Object upperBar, Object last) {
        publisher.each(TICK, agent -> agent.send("pub", "foo", first));
        publisher.each(TICK, agent -> agent.send("pub", "bar", first));
        for (Proxy subscriber : subscribers.each()) {
            assertTrue(AgentAwait.condition(subscriber, AgentAwait::lastReceivedEndsWith, WAIT, "first"),
                    subscriber.name() + " never joined");
        }
        publisher.stopAllTimers();

        publisher.send("pub", hello);
        publisher.send("pub", "foo", world);
        publisher.send("pub", "foobar", upperFoo);
        publisher.send("pub", "fo", upperBar);

        publisher.send("pub", "foo", last);
        publisher.send("pub", "bar", last);
        for (Proxy subscriber : subscribers.each()) {
            assertTrue(AgentAwait.condition(subscriber, AgentAwait::lastReceivedEndsWith, WAIT, "last"),
                    subscriber.name() + " missed the last message");
        }
    }

    /** Which of Hello (no topic), World (foo), FOO (foobar) and BAR (fo) a subscriber received. */
    private static List<Boolean> got(Proxy subscriber) {
        List<Object> received = ChannelAgents.received(subscriber);
        return List.of(received.contains("Hello"), received.contains("World"), received.contains("FOO"),
                received.contains("BAR"));
    }

    private static void assertEachGotItsTopicsOnly(Subscribers subscribers) {
        assertEquals(List.of(true, true, true, true), got(subscribers.all()), "catch-all");
        assertEquals(List.of(false, true, true, false), got(subscribers.foo()), "foo");
        assertEquals(List.of(false, true, true, false), got(subscribers.barAndFoo()), "bar and foo");
        assertEquals(List.of(false, false, false, false), got(subscribers.bar()), "bar");
        assertEquals(List.of(false, true, true, true), got(subscribers.fo()), "fo");
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", "string", "json"})
    void send_topicsToSubscribersByPrefix_eachReceivesOnlyMatchingTopics(String codec) {
        Proxy a0 = Agents.runAgent("a0");
        AgentAddress addr = a0.bind(Pattern.PUB, "pub", BindOptions.builder().codec(Codec.of(codec)).build());
        Subscribers subscribers = subscribe(addr, Object.class, ChannelAgents::appendReceived);

        publishScenario(a0, subscribers, "first", "Hello", "World", "FOO", "BAR", "last");

        assertEachGotItsTopicsOnly(subscribers);
    }

    @Test
    void send_rawBytesByTopic_eachSubscriberReceivesOnlyThePayloadsOfMatchingTopics() {
        Proxy a0 = Agents.runAgent("a0");
        AgentAddress addr = a0.bind(Pattern.PUB, "pub", BindOptions.builder().codec(Codec.RAW).raw(true).build());
        Subscribers subscribers = subscribe(addr, byte[].class,
                (agent, bytes) -> ChannelAgents.received(agent).add(new String(bytes, StandardCharsets.UTF_8)));

        publishScenario(a0, subscribers, bytes("first"), bytes("Hello"), bytes("World"), bytes("FOO"), bytes("BAR"),
                bytes("last"));

        assertEachGotItsTopicsOnly(subscribers);
        assertTrue(ChannelAgents.received(subscribers.all()).stream().noneMatch("fooWorld"::equals),
                "a raw subscriber gets the payload without its topic");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
