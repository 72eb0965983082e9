package io.zeroagents.it.acceptance;

import static io.zeroagents.it.acceptance.support.ChannelAgents.NOT_HAPPENING;
import static io.zeroagents.it.acceptance.support.ChannelAgents.WAIT;
import static io.zeroagents.it.acceptance.support.ChannelAgents.received;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.Agent;
import io.zeroagents.AgentAddress;
import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.BaseAgent;
import io.zeroagents.MessageHandler;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.RequestOptions;
import io.zeroagents.SocketHandler;
import io.zeroagents.it.acceptance.support.ChannelAgents;
import io.zeroagents.it.acceptance.support.ChannelAgents.Receiver;
import io.zeroagents.testkit.NameServerExtension;
import io.zeroagents.testing.AgentAwait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ports osBrain's {@code osbrain/tests/test_agent_sync_publications.py}: a {@code SYNC_PUB}
 * publishes like a {@code PUB} and answers each subscriber's requests on that subscriber's channel
 * only; both publishers' subscribers subscribe, unsubscribe and resubscribe topics at run time.
 *
 * <p>Differences from osBrain, with why:
 * <ul>
 *   <li>{@code test_subscribe}'s {@code subscribe_separately} variants are one test per pattern:
 *       osBrain subscribes a dict of topics in one call or two; {@code subscribe} here takes one
 *       topic per call, so both variants are the same Java code.
 *   <li>the bytes topic {@code b'\xeb'}: Java topics are strings, so a non-ASCII string topic
 *       ({@value #NON_ASCII_TOPIC}) stands for a topic that is not plain ASCII text.
 *   <li>{@code handler=append_received} on a bound {@code PUB}: a Java {@code PUB} receives nothing,
 *       so it takes no handler; a {@code SYNC_PUB} must have one and gets a reply handler.
 *   <li>{@code each(0, ...)}: periods are positive here, so 1 ms stands for "as fast as possible".
 *   <li>{@code test_wait} checks three things in a row (a reply in time, a late reply warned about,
 *       a late reply handed to {@code on_error}); each is a test of its own here.
 *   <li>osBrain's {@code ServerYield} overrides the method handler with a generator; a method
 *       handler cannot reply early here ({@code SocketHandler.method} has no {@code Replier}), so
 *       it binds a {@code withReplier} handler instead.
 * </ul>
 */
@Timeout(60)
class AgentSyncPublicationsTest {
    /** Stands for osBrain's bytes topic {@code b'\xeb'}. */
    static final String NON_ASCII_TOPIC = "\u00eb";

    private static final Duration FAST = Duration.ofMillis(1);
    private static final Duration TICK = Duration.ofMillis(100);

    @RegisterExtension
    final NameServerExtension ns = new NameServerExtension();

    /** osBrain's {@code BaseServer}: counts, publishes the count, and replies with count + 0.5. */
    public abstract static class NumberServer extends BaseAgent {
        /** The number published last. */
        public volatile int count;
        /** The requests answered, each as {@code [count when asked, request]}. */
        public volatile List<Object> received = new CopyOnWriteArrayList<>();

        /** Publishes the next number with the empty topic. */
        public void publish() {
            count++;
            send("publish", count);
        }

        /** Publishes the next number as text under {@code positive}, its negation under {@code negative}, and a constant. */
        public void publishStr() {
            count++;
            send("publish", "positive", String.valueOf(count));
            send("publish", "negative", String.valueOf(-count));
            send("publish", NON_ASCII_TOPIC, "bytes...");
        }

        /**
         * Keeps the request with the current count and replies.
         *
         * @param request the request
         * @return the count plus one half
         */
        public double reply(String request) {
            received.add(List.of(count, request));
            return count + 0.5;
        }
    }

    /** osBrain's {@code Server}: a {@code SYNC_PUB} answering with {@link #reply}. */
    public static class SyncPubServer extends NumberServer {
        /** Public constructor for the runtime. */
        public SyncPubServer() {
        }

        @Override
        protected void onInit() {
            bind(Pattern.SYNC_PUB, "publish", requestHandler());
        }

        /**
         * How requests are answered.
         *
         * @return the handler
         */
        protected SocketHandler requestHandler() {
            return SocketHandler.method("reply");
        }
    }

    /** osBrain's {@code PubServer}: the same publications on a plain {@code PUB}. */
    public static class PubServer extends NumberServer {
        /** Public constructor for the runtime. */
        public PubServer() {
        }

        @Override
        protected void onInit() {
            bind(Pattern.PUB, "publish");
        }
    }

    /** osBrain's {@code ServerYield}: replies first, then keeps the request. */
    public static class SyncPubServerYield extends SyncPubServer {
        /** Public constructor for the runtime. */
        public SyncPubServerYield() {
        }

        @Override
        protected SocketHandler requestHandler() {
            return SocketHandler.withReplier(String.class, (agent, request, replier) -> {
                NumberServer self = (NumberServer) agent;
                replier.reply(self.count + 0.5);
                self.received.add(List.of(self.count, request));
            });
        }
    }

    /** osBrain's {@code ServerLate}: takes {@code delay} seconds to answer. */
    public static class LateServer extends SyncPubServer {
        /** Public constructor for the runtime. */
        public LateServer() {
        }

        @Override
        protected SocketHandler requestHandler() {
            return SocketHandler.method("replyLate");
        }

        /**
         * Keeps the delay, sleeps that long, and replies.
         *
         * @param delay seconds to take
         * @return {@code "x<delay>"}
         * @throws InterruptedException never in these tests
         */
        public String replyLate(int delay) throws InterruptedException {
            received.add(delay);
            Thread.sleep(delay * 1000L);
            return "x" + delay;
        }
    }

    /** osBrain's {@code ServerNumbers}: publishes 1 under {@code negate}, 2 under {@code normal}, text under {@code topic_C}. */
    public static class NumbersServer extends BaseAgent {
        /** Public constructor for the runtime. */
        public NumbersServer() {
        }

        /** Publishes one of each. */
        public void publish() {
            send("pub", "negate", 1);
            send("pub", "normal", 2);
            send("pub", "topic_C", "not received");
        }
    }

    /** osBrain's {@code Client}, with an {@code errorLog}. */
    public static class Client extends Receiver {
        /** One entry per request that got no reply in time. */
        public volatile List<Object> errorLog = new CopyOnWriteArrayList<>();

        /** Public constructor for the runtime. */
        public Client() {
        }
    }

    private static final MessageHandler<Object> APPEND = ChannelAgents::appendReceived;
    private static final MessageHandler<Object> NEGATE = ChannelAgents::receiveNegate;

    /** Binds {@code pub} as a {@code PUB} or a {@code SYNC_PUB} (which must answer requests). */
    private static AgentAddress bindPublisher(Proxy server, Pattern pattern) {
        if (pattern == Pattern.PUB) {
            return server.bind(Pattern.PUB, "pub");
        }
        return server.bind(pattern, "pub", SocketHandler.onRequest(Object.class, (agent, request) -> {
            ChannelAgents.appendReceived(agent, request);
            return null;
        }));
    }

    private static SocketHandler topics(Map<String, MessageHandler<Object>> byTopic) {
        return SocketHandler.onTopics(Object.class, byTopic);
    }

    private static Map<String, MessageHandler<Object>> ordered(Object... topicsAndHandlers) {
        Map<String, MessageHandler<Object>> map = new LinkedHashMap<>();
        for (int i = 0; i < topicsAndHandlers.length; i += 2) {
            @SuppressWarnings("unchecked")
            MessageHandler<Object> handler = (MessageHandler<Object>) topicsAndHandlers[i + 1];
            map.put((String) topicsAndHandlers[i], handler);
        }
        return map;
    }

    /** Publishes "connecting..." until the client has one, so later publications are not lost to the join. */
    private static void establish(Proxy server, Proxy client, String topic) {
        server.each(TICK, agent -> agent.send("pub", topic, "connecting..."), "tmp");
        assertTrue(AgentAwait.attrContains(client, "received", "connecting...", WAIT), "the subscriber never joined");
        server.stopTimer("tmp");
    }

    /** osBrain's {@code match_tail}: whether the agent's last received messages are {@code args[0]}. */
    static Boolean matchTail(Agent agent, Object... args) {
        List<Object> received = List.copyOf(received(agent));
        List<?> tail = (List<?>) args[0];
        return received.size() >= tail.size()
                && received.subList(received.size() - tail.size(), received.size()).equals(tail);
    }

    private static List<Object> repeat(int times, Object... items) {
        List<Object> list = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            Collections.addAll(list, items);
        }
        return list;
    }

    private static List<Integer> integers(Proxy agent) {
        return received(agent).stream().map(x -> Integer.parseInt((String) x)).toList();
    }

    private static boolean isRange(List<Integer> numbers) {
        return numbers.equals(IntStream.rangeClosed(numbers.get(0), numbers.get(numbers.size() - 1)).boxed().toList());
    }

    // ------------------------------------------------------------------ unsubscribe and subscribe

    /** Whether the last two numbers received are not consecutive. */
    static Boolean lastTwoNonConsecutive(Agent agent, Object... args) {
        List<Object> received = List.copyOf(received(agent));
        if (received.size() < 2 || !(received.get(received.size() - 1) instanceof Integer last)
                || !(received.get(received.size() - 2) instanceof Integer previous)) {
            return false;
        }
        return last - previous != 1;
    }

    @ParameterizedTest
    @EnumSource(value = Pattern.class, names = {"PUB", "SYNC_PUB"})
    void unsubscribe_oneOfTwoTopics_onlyTheOtherTopicStillArrives(Pattern pattern) {
        Proxy server = Agents.runAgent("server");
        Proxy client = Agents.runAgent("client", AgentOptions.of(Client.class));
        server.setAttr("count", 1);
        AgentAddress addr = bindPublisher(server, pattern);
        client.connect(addr, "sub", topics(ordered("odd", APPEND, "even", APPEND)));
        establish(server, client, "odd");

        client.setAttr("received", new CopyOnWriteArrayList<>());
        server.each(TICK, agent -> {
            int count = agent.getAttr("count", Integer.class);
            agent.send("pub", "odd", count);
            agent.send("pub", "even", count + 1);
            agent.setAttr("count", count + 2);
        });
        assertTrue(AgentAwait.attrLengthAtLeast(client, "received", 5, WAIT));
        assertEquals(false, client.executeAsMethod(AgentSyncPublicationsTest::lastTwoNonConsecutive));

        client.unsubscribe("sub", "odd");

        assertTrue(AgentAwait.condition(client, AgentSyncPublicationsTest::lastTwoNonConsecutive, WAIT));
        List<Object> received = received(client);
        assertEquals(0, (Integer) received.get(received.size() - 1) % 2);
    }

    /** Whether the last three numbers received sum to three. */
    static Boolean lastThreeSumToThree(Agent agent, Object... args) {
        List<Object> received = List.copyOf(received(agent));
        if (received.size() < 3) {
            return false;
        }
        int sum = 0;
        for (Object x : received.subList(received.size() - 3, received.size())) {
            if (!(x instanceof Integer n)) {
                return false;
            }
            sum += n;
        }
        return sum == 3;
    }

    @ParameterizedTest
    @EnumSource(value = Pattern.class, names = {"PUB", "SYNC_PUB"})
    void unsubscribe_severalTopics_onlyTheRemainingTopicArrives(Pattern pattern) {
        Proxy server = Agents.runAgent("server");
        Proxy client = Agents.runAgent("client", AgentOptions.of(Client.class));
        AgentAddress addr = bindPublisher(server, pattern);
        client.connect(addr, "sub", topics(ordered("zero", APPEND, "other_zero", APPEND, "one", APPEND)));
        establish(server, client, "zero");

        client.setAttr("received", new CopyOnWriteArrayList<>());
        server.each(TICK, agent -> {
            agent.send("pub", "zero", 0);
            agent.send("pub", "other_zero", 0);
        });
        server.each(TICK.multipliedBy(2), agent -> agent.send("pub", "one", 1));
        assertTrue(AgentAwait.attrLengthAtLeast(client, "received", 5, WAIT));
        assertEquals(false, client.executeAsMethod(AgentSyncPublicationsTest::lastThreeSumToThree));

        client.unsubscribe("sub", "zero");
        client.unsubscribe("sub", "other_zero");

        assertTrue(AgentAwait.condition(client, AgentSyncPublicationsTest::lastThreeSumToThree, WAIT));
    }

    /** Connects a plain client to a {@link NumbersServer}, then swaps the catch-all subscription for two topics. */
    private static Proxy numbersClient(Proxy server, Pattern pattern) {
        Proxy client = ChannelAgents.withReceivedList(Agents.runAgent("client"));
        AgentAddress addr = bindPublisher(server, pattern);
        client.connect(addr, "sub", Object.class, APPEND);
        establish(server, client, "");
        client.unsubscribe("sub", "");
        client.subscribe("sub", "negate", Object.class, NEGATE);
        client.subscribe("sub", "normal", Object.class, APPEND);
        return client;
    }

    @ParameterizedTest
    @EnumSource(value = Pattern.class, names = {"PUB", "SYNC_PUB"})
    void subscribe_twoTopicsWithTheirOwnHandlers_eachTopicGoesToItsHandlerAndOthersNowhere(Pattern pattern) {
        Proxy server = Agents.runAgent("server", AgentOptions.of(NumbersServer.class));
        Proxy client = numbersClient(server, pattern);

        server.each(TICK, "publish");

        assertTrue(AgentAwait.condition(client, AgentSyncPublicationsTest::matchTail, WAIT, repeat(4, -1, 2)));
    }

    @ParameterizedTest
    @EnumSource(value = Pattern.class, names = {"PUB", "SYNC_PUB"})
    void subscribe_topicAlreadySubscribed_replacesItsHandlerOnly(Pattern pattern) {
        Proxy server = Agents.runAgent("server", AgentOptions.of(NumbersServer.class));
        Proxy client = numbersClient(server, pattern);
        server.each(TICK, "publish");
        assertTrue(AgentAwait.condition(client, AgentSyncPublicationsTest::matchTail, WAIT, repeat(4, -1, 2)));

        client.subscribe("sub", "normal", Object.class, NEGATE);

        assertTrue(AgentAwait.condition(client, AgentSyncPublicationsTest::matchTail, WAIT, repeat(4, -1, -2)));
    }

    @ParameterizedTest
    @EnumSource(value = Pattern.class, names = {"PUB", "SYNC_PUB"})
    void subscribe_afterUnsubscribingATopic_receivesItAgain(Pattern pattern) {
        Proxy server = Agents.runAgent("server", AgentOptions.of(NumbersServer.class));
        Proxy client = numbersClient(server, pattern);
        server.each(TICK, "publish");
        assertTrue(AgentAwait.condition(client, AgentSyncPublicationsTest::matchTail, WAIT, repeat(4, -1, 2)));

        client.unsubscribe("sub", "negate");
        assertTrue(AgentAwait.condition(client, AgentSyncPublicationsTest::matchTail, WAIT, repeat(8, 2)));

        client.subscribe("sub", "negate", Object.class, NEGATE);
        assertTrue(AgentAwait.condition(client, AgentSyncPublicationsTest::matchTail, WAIT, repeat(4, -1, 2)));
    }

    // ------------------------------------------------------------------ publications

    @ParameterizedTest
    @ValueSource(classes = {SyncPubServer.class, PubServer.class})
    void connect_singleHandler_receivesEveryTopicInPublicationOrder(Class<? extends NumberServer> serverClass) {
        Proxy server = Agents.runAgent("server", AgentOptions.of(serverClass));
        Proxy alltopics = Agents.runAgent("alltopics", AgentOptions.of(Client.class));
        AgentAddress addr = server.addr("publish");

        assertEquals(addr.twin(), alltopics.connect(addr, "sub", Object.class, APPEND));
        server.each(FAST, "publishStr");
        assertTrue(AgentAwait.attrLengthAtLeast(alltopics, "received", 10, WAIT));

        List<Object> received = received(alltopics).stream()
                .map(x -> x.equals("bytes...") ? x : (Object) Integer.parseInt((String) x)).toList();
        for (int i = 2; i < received.size(); i++) {
            Object current = received.get(i);
            if (current.equals("bytes...")) {
                assertEquals(-(Integer) received.get(i - 2), received.get(i - 1), "at " + i + " of " + received);
            } else if ((Integer) current > 0) {
                assertEquals("bytes...", received.get(i - 1), "at " + i + " of " + received);
                assertEquals(-(Integer) current + 1, received.get(i - 2), "at " + i + " of " + received);
            } else {
                assertEquals(-(Integer) current, received.get(i - 1), "at " + i + " of " + received);
                assertEquals("bytes...", received.get(i - 2), "at " + i + " of " + received);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(classes = {SyncPubServer.class, PubServer.class})
    void connect_handlersByTopic_eachSubscriberReceivesOnlyItsTopicsInOrder(Class<? extends NumberServer> serverClass) {
        Proxy server = Agents.runAgent("server", AgentOptions.of(serverClass));
        Proxy both = Agents.runAgent("both", AgentOptions.of(Client.class));
        Proxy positive = Agents.runAgent("positive", AgentOptions.of(Client.class));
        Proxy bytestopic = Agents.runAgent("bytestopic", AgentOptions.of(Client.class));
        AgentAddress addr = server.addr("publish");

        assertEquals(addr.twin(), both.connect(addr, "sub", topics(ordered("positive", APPEND, "negative", APPEND))));
        assertEquals(addr.twin(), positive.connect(addr, "sub", topics(ordered("positive", APPEND))));
        assertEquals(addr.twin(), bytestopic.connect(addr, "sub", topics(ordered(NON_ASCII_TOPIC, APPEND))));
        server.each(FAST, "publishStr");
        assertTrue(AgentAwait.attrLengthAtLeast(both, "received", 10, WAIT));
        assertTrue(AgentAwait.attrLengthAtLeast(positive, "received", 10, WAIT));
        assertTrue(AgentAwait.attrLengthAtLeast(bytestopic, "received", 10, WAIT));

        List<Integer> fromBoth = integers(both);
        for (int i = 1; i < fromBoth.size(); i++) {
            int expectedPrevious = fromBoth.get(i) > 0 ? 1 - fromBoth.get(i) : -fromBoth.get(i);
            assertEquals(expectedPrevious, fromBoth.get(i - 1), "at " + i + " of " + fromBoth);
        }
        List<Integer> fromPositive = integers(positive);
        assertTrue(isRange(fromPositive), fromPositive.toString());
        assertTrue(received(bytestopic).stream().allMatch("bytes..."::equals), received(bytestopic).toString());
    }

    // ------------------------------------------------------------------ requests

    @ParameterizedTest
    @ValueSource(classes = {SyncPubServer.class, SyncPubServerYield.class})
    void request_duringPublications_onlyTheRequesterGetsTheReplyInItsHandler(
            Class<? extends SyncPubServer> serverClass) {
        Proxy server = Agents.runAgent("server", AgentOptions.of(serverClass));
        Proxy active = Agents.runAgent("active_client", AgentOptions.of(Client.class));
        Proxy passive = Agents.runAgent("passive_client", AgentOptions.of(Client.class));
        AgentAddress serverAddr = server.addr("publish");
        assertEquals(serverAddr.twin(), active.connect(serverAddr, "sub", Object.class, APPEND));
        assertEquals(serverAddr.twin(), passive.connect(serverAddr, "sub", Object.class, APPEND));
        server.each(FAST, "publish");
        assertTrue(AgentAwait.attrLengthAtLeast(active, "received", 10, WAIT));
        assertTrue(AgentAwait.attrLengthAtLeast(passive, "received", 10, WAIT));

        active.request("sub", "request!", RequestOptions.builder().handler(Object.class, NEGATE).build());

        assertTrue(AgentAwait.attrLengthAtLeast(server, "received", 1, WAIT));
        List<Object> requests = received(server);
        assertEquals(1, requests.size(), requests.toString());
        List<?> request = (List<?>) requests.get(0);
        assertEquals("request!", request.get(1));
        Double negatedResponse = -((Integer) request.get(0) + 0.5);
        assertTrue(AgentAwait.attrContains(active, "received", negatedResponse, WAIT));
        int atLeast = received(active).size() + 1;
        assertTrue(AgentAwait.attrLengthAtLeast(active, "received", atLeast, WAIT));

        List<Object> fromActive = new ArrayList<>(received(active));
        int index = fromActive.indexOf(negatedResponse);
        assertEquals((Integer) fromActive.get(index - 1) + 1, fromActive.get(index + 1), fromActive.toString());
        fromActive.remove(index);
        List<Integer> publications = fromActive.stream().map(Integer.class::cast).toList();
        assertTrue(isRange(publications), publications.toString());

        Integer last = publications.get(publications.size() - 1);
        assertTrue(AgentAwait.attrContains(passive, "received", last, WAIT));
        List<Object> fromPassive = List.copyOf(received(passive));
        assertFalse(fromPassive.contains(negatedResponse));
        assertTrue(isRange(fromPassive.stream().map(Integer.class::cast).toList()), fromPassive.toString());
    }

    /** A {@link LateServer} publishing to a {@link Client} that has received some publications. */
    private static Proxy[] lateServerAndClient() {
        Proxy server = Agents.runAgent("server", AgentOptions.of(LateServer.class));
        Proxy client = Agents.runAgent("client", AgentOptions.of(Client.class));
        client.connect(server.addr("publish"), "sub", Object.class, APPEND);
        server.each(FAST, "publish");
        assertTrue(AgentAwait.attrLengthAtLeast(client, "received", 10, WAIT));
        return new Proxy[] {server, client};
    }

    @Test
    void request_replyWithinWait_goesToTheRequestHandler() {
        Proxy[] agents = lateServerAndClient();
        Proxy server = agents[0];
        Proxy client = agents[1];

        client.request("sub", 0, RequestOptions.builder().handler(Object.class, APPEND)
                .waitAtMost(Duration.ofMillis(500)).build());

        assertTrue(AgentAwait.attrContains(client, "received", "x0", WAIT));
        assertEquals(List.of(0), server.unsafe().getAttr("received"));
    }

    @Test
    void request_replyLaterThanWait_isWarnedAboutAndNotHandled() {
        Proxy[] agents = lateServerAndClient();
        Proxy server = agents[0];
        Proxy client = agents[1];
        Proxy logger = ChannelAgents.syncedLogger(client);

        client.request("sub", 1, RequestOptions.builder().handler(Object.class, APPEND)
                .waitAtMost(Duration.ofMillis(100)).build());

        assertTrue(AgentAwait.loggerLine(logger, "WARN", "did not receive a reply", Duration.ofMillis(500)));
        assertTrue(AgentAwait.attrEquals(server.unsafe(), "received", List.of(1), WAIT));
        assertFalse(received(client).contains("x1"));
    }

    @Test
    void request_replyLaterThanWaitWithOnNoReply_runsItInsteadOfTheHandler() {
        Proxy[] agents = lateServerAndClient();
        Proxy server = agents[0];
        Proxy client = agents[1];

        client.request("sub", 1, RequestOptions.builder().handler(Object.class, APPEND)
                .waitAtMost(Duration.ofMillis(100))
                .onNoReply((agent, request) -> ((Client) agent).errorLog.add("error"))
                .build());

        assertTrue(AgentAwait.attrLength(client, "errorLog", 1, Duration.ofMillis(500)));
        assertTrue(AgentAwait.attrEquals(server.unsafe(), "received", List.of(1), WAIT));
        assertFalse(AgentAwait.attrContains(client, "received", "x1", NOT_HAPPENING));
    }
}
