package io.zeroagents.examples;

import io.zeroagents.AgentAddress;
import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.MessageHandler;
import io.zeroagents.NameServer;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.RequestOptions;
import io.zeroagents.SocketHandler;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The Quick start demo: an embedded name server and several agents talking over every pattern,
 * then a name-server shutdown that stops them all. Exits by itself with status 0.
 */
public final class Demo {
    private Demo() {
    }

    /**
     * Runs the demo.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while waiting for the agents
     */
    public static void main(String[] args) throws InterruptedException {
        NameServer ns = Agents.runNameServer();
        System.out.println("== Name server running at " + ns.address());

        pushPull();
        requestReply();
        publishSubscribe();
        asyncRequests();
        syncPublications();
        timers();
        oopAndProxies();

        System.out.println("== Agents registered: " + ns.agents());
        ns.shutdown();
        System.out.println("== Name server shut down; every agent stopped. Bye!");
    }

    private static void pushPull() throws InterruptedException {
        System.out.println("\n== PUSH/PULL: Alice pushes, Bob pulls");
        CountDownLatch done = new CountDownLatch(3);
        Proxy alice = Agents.runAgent("Alice");
        Proxy bob = Agents.runAgent("Bob");
        AgentAddress addr = alice.bind(Pattern.PUSH, "main");
        bob.connect(addr, "main", String.class, (agent, msg) -> {
            agent.logInfo("Received: " + msg);
            done.countDown();
        });
        for (int i = 1; i <= 3; i++) {
            alice.send("main", "Hello, Bob! (" + i + ")");
        }
        await(done, "Bob's messages");
    }

    private static void requestReply() {
        System.out.println("\n== REQ/REP: Carol asks, the Calculator answers");
        Proxy calculator = Agents.runAgent("Calculator");
        AgentAddress addr = calculator.bind(Pattern.REP, "square",
                SocketHandler.onRequest(Integer.class, (agent, n) -> n * n));
        Proxy carol = Agents.runAgent("Carol");
        carol.connect(addr, "calc");
        for (int n = 2; n <= 4; n++) {
            int square = carol.sendRecv("calc", n, Integer.class);
            System.out.println("Carol: " + n + " squared is " + square);
        }
    }

    private static void publishSubscribe() throws InterruptedException {
        System.out.println("\n== PUB/SUB with topics: the Weather station publishes, Rome and Oslo subscribe");
        Proxy station = Agents.runAgent("Weather");
        AgentAddress addr = station.bind(Pattern.PUB, "reports");
        CountDownLatch rome = new CountDownLatch(1);
        CountDownLatch oslo = new CountDownLatch(1);
        Agents.runAgent("Rome").connect(addr, "weather", SocketHandler.onTopics(String.class,
                topics("rome", (agent, msg) -> {
                    agent.logInfo("Rome report: " + msg);
                    rome.countDown();
                })));
        Agents.runAgent("Oslo").connect(addr, "weather", SocketHandler.onTopics(String.class,
                topics("oslo", (agent, msg) -> {
                    agent.logInfo("Oslo report: " + msg);
                    oslo.countDown();
                })));
        // Subscriptions reach a publisher asynchronously (ZeroMQ's "slow joiner"): publish until heard.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((rome.getCount() > 0 || oslo.getCount() > 0) && System.nanoTime() < deadline) {
            if (rome.getCount() > 0) {
                station.send("reports", "rome", "sunny, 24 C");
            }
            if (oslo.getCount() > 0) {
                station.send("reports", "oslo", "snow, -3 C");
            }
            Thread.sleep(50);
        }
        await(rome, "Rome's report");
        await(oslo, "Oslo's report");
    }

    private static void asyncRequests() throws InterruptedException {
        System.out.println("\n== ASYNC_REQ/ASYNC_REP: Erin asks the Oracle without waiting; replies come to handlers");
        Proxy oracle = Agents.runAgent("Oracle");
        AgentAddress addr = oracle.bind(Pattern.ASYNC_REP, "ask",
                SocketHandler.onRequest(String.class, (agent, question) -> question.length() + " letters"));
        Proxy erin = Agents.runAgent("Erin");
        CountDownLatch answers = new CountDownLatch(2);
        erin.connect(addr, "oracle", String.class, (agent, reply) -> {
            agent.logInfo("Oracle answered: " + reply);
            answers.countDown();
        });
        erin.send("oracle", "how long is this?");
        erin.request("oracle", "and this?", RequestOptions.builder()
                .handler(String.class, (agent, reply) -> {
                    agent.logInfo("Its own handler got: " + reply);
                    answers.countDown();
                })
                .waitAtMost(Duration.ofSeconds(5))
                .onNoReply((agent, request) -> agent.logWarning("No answer to " + request))
                .build());
        System.out.println("Erin sent two questions and went on at once");
        await(answers, "the Oracle's answers");
    }

    private static void syncPublications() throws InterruptedException {
        System.out.println("\n== SYNC_PUB/SYNC_SUB: the Ticker publishes to all, answers one subscriber privately");
        Proxy ticker = Agents.runAgent("Ticker");
        AgentAddress addr = ticker.bind(Pattern.SYNC_PUB, "prices",
                SocketHandler.onRequest(String.class, (agent, symbol) -> symbol + " history: 40, 41, 42"));
        CountDownLatch frankHeard = new CountDownLatch(1);
        CountDownLatch graceHeard = new CountDownLatch(1);
        Proxy frank = Agents.runAgent("Frank");
        frank.connect(addr, "prices", String.class, (agent, price) -> heardOnce(agent, price, frankHeard));
        Proxy grace = Agents.runAgent("Grace");
        grace.connect(addr, "prices", String.class, (agent, price) -> heardOnce(agent, price, graceHeard));
        // Subscriptions reach a publisher asynchronously (ZeroMQ's "slow joiner"): publish until heard.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((frankHeard.getCount() > 0 || graceHeard.getCount() > 0) && System.nanoTime() < deadline) {
            ticker.send("prices", "ACME", "ACME 42");
            Thread.sleep(50);
        }
        await(frankHeard, "Frank to hear a price");
        await(graceHeard, "Grace to hear a price");
        CountDownLatch privately = new CountDownLatch(1);
        frank.request("prices", "ACME", RequestOptions.builder()
                .handler(String.class, (agent, reply) -> {
                    agent.logInfo("Only Frank gets: " + reply);
                    privately.countDown();
                })
                .build());
        await(privately, "Frank's private answer");
    }

    private static void heardOnce(io.zeroagents.Agent agent, String price, CountDownLatch heard) {
        if (heard.getCount() > 0) {
            agent.logInfo("Price: " + price);
            heard.countDown();
        }
    }

    private static Map<String, MessageHandler<String>> topics(String topic, MessageHandler<String> handler) {
        Map<String, MessageHandler<String>> byTopic = new LinkedHashMap<>();
        byTopic.put(topic, handler);
        return byTopic;
    }

    private static void timers() throws InterruptedException {
        System.out.println("\n== Timers: the Clock ticks every 100 ms, three times");
        Proxy clock = Agents.runAgent("Clock");
        CountDownLatch ticks = new CountDownLatch(3);
        clock.each(Duration.ofMillis(100), agent -> {
            agent.logInfo("tick");
            ticks.countDown();
        }, "ticker");
        await(ticks, "three ticks");
        clock.stopTimer("ticker");
        System.out.println("Clock timers after stopTimer: " + clock.listTimers());
    }

    private static void oopAndProxies() throws InterruptedException {
        System.out.println("\n== OOP agents and proxies: a Greeter class, methods by name, typed proxies");
        Proxy greeter = Agents.runAgent("Greeter", AgentOptions.builder(Greeter.class).attribute("greeted", 0).build());
        Proxy dave = Agents.runAgent("Dave");
        CountDownLatch greetings = new CountDownLatch(2);
        dave.connect(greeter.addr("greetings"), "greetings", String.class, (agent, msg) -> {
            agent.logInfo("Got greeting: " + msg);
            greetings.countDown();
        });
        greeter.call("hello", "Dave");
        int count = greeter.as(GreeterApi.class).hello("everyone");
        await(greetings, "two greetings");
        System.out.println("Greeter has greeted " + count + " times (attribute 'greeted' = "
                + greeter.getAttr("greeted") + ")");

        dave.setMethod("shout", (self, args) -> String.valueOf(args[0]).toUpperCase(java.util.Locale.ROOT) + "!");
        System.out.println("Dave's added method 'shout': " + dave.call("shout", "hello"));
    }

    private static void await(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Demo timed out waiting for " + what);
        }
    }
}
