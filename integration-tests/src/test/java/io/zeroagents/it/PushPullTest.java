package io.zeroagents.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentAddress;
import io.zeroagents.Agents;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.SocketHandler;
import io.zeroagents.it.support.Inbox;
import io.zeroagents.testkit.NameServerExtension;
import io.zeroagents.testsupport.Await;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class PushPullTest {
    @RegisterExtension
    final NameServerExtension ns = new NameServerExtension();

    @Test
    void send_pushToConnectedPull_handlerReceivesEveryMessageInOrder() {
        Proxy alice = Agents.runAgent("Alice");
        Proxy bob = Agents.runAgent("Bob");
        Inbox<String> inbox = new Inbox<>();
        AgentAddress addr = alice.bind(Pattern.PUSH, "main");
        bob.connect(addr, "main", String.class, (agent, msg) -> inbox.add(msg));

        for (int i = 0; i < 10; i++) {
            alice.send("main", "Hello, Bob! " + i);
        }

        assertEquals(java.util.stream.IntStream.range(0, 10).mapToObj(i -> "Hello, Bob! " + i).toList(),
                inbox.await(10));
    }

    @Test
    void send_boundPushWithSeveralClients_roundRobinsBetweenThem() {
        Proxy server = Agents.runAgent("Server");
        AgentAddress addr = server.bind(Pattern.PUSH, "tasks");
        Inbox<String> first = new Inbox<>();
        Inbox<String> second = new Inbox<>();
        Agents.runAgent("First").connect(addr, "tasks", String.class, (agent, msg) -> first.add(msg));
        Agents.runAgent("Second").connect(addr, "tasks", String.class, (agent, msg) -> second.add(msg));
        // Round-robin only covers peers already connected: warm up until both take part.
        int[] warmUps = {0};
        Await.until(() -> {
            server.send("tasks", "warm-up");
            warmUps[0]++;
            return first.size() > 0 && second.size() > 0;
        }, "both clients connected");

        for (int i = 0; i < 20; i++) {
            server.send("tasks", "task " + i);
        }

        Await.until(() -> first.size() + second.size() == warmUps[0] + 20, "all messages");
        long firstTasks = first.items().stream().filter(m -> m.startsWith("task")).count();
        long secondTasks = second.items().stream().filter(m -> m.startsWith("task")).count();
        assertEquals(20, firstTasks + secondTasks);
        assertTrue(firstTasks >= 5 && secondTasks >= 5, "both clients got a share: " + firstTasks + " and " + secondTasks);
    }

    @Test
    void send_boundPullWithSeveralPushers_receivesFromAll() {
        Inbox<String> inbox = new Inbox<>();
        AgentAddress addr = Agents.runAgent("Collector")
                .bind(Pattern.PULL, "in", String.class, (agent, msg) -> inbox.add(msg));
        Proxy a = Agents.runAgent("A");
        Proxy b = Agents.runAgent("B");
        a.connect(addr, "out");
        b.connect(addr, "out");

        a.send("out", "from A");
        b.send("out", "from B");

        assertEquals(java.util.Set.of("from A", "from B"), java.util.Set.copyOf(inbox.await(2)));
    }

    @Test
    void connect_severalHandlers_eachHandlerSeesEachMessage() {
        Inbox<String> log = new Inbox<>();
        Proxy alice = Agents.runAgent("Alice");
        AgentAddress addr = alice.bind(Pattern.PUSH, "main");
        Agents.runAgent("Bob").connect(addr, "main", SocketHandler.onMessage(String.class, List.of(
                (agent, msg) -> log.add("first:" + msg),
                (agent, msg) -> log.add("second:" + msg))));

        alice.send("main", "x");

        assertEquals(List.of("first:x", "second:x"), log.await(2));
    }

    @Test
    void send_jsonRecord_receiverDecodesIntoItsOwnType() {
        Inbox<Order> inbox = new Inbox<>();
        Proxy shop = Agents.runAgent("Shop");
        AgentAddress addr = shop.bind(Pattern.PUSH, "orders");
        Agents.runAgent("Warehouse").connect(addr, "orders", Order.class, (agent, order) -> inbox.add(order));

        shop.send("orders", new Order("book", 3));

        assertEquals(List.of(new Order("book", 3)), inbox.await(1));
    }

    @Test
    void send_intoPrimitiveHandlerType_decodesBoxedValue() {
        Inbox<Integer> inbox = new Inbox<>();
        Proxy alice = Agents.runAgent("Alice");
        AgentAddress addr = alice.bind(Pattern.PUSH, "numbers");
        Agents.runAgent("Bob").connect(addr, "numbers", Integer.class, (agent, n) -> inbox.add(n * 2));

        alice.send("numbers", 21);

        assertEquals(List.of(42), inbox.await(1));
    }

    record Order(String item, int quantity) {
    }
}
