package io.zeroagents.examples;

import static io.zeroagents.examples.ExampleRun.await;
import static io.zeroagents.examples.ExampleRun.check;

import io.zeroagents.Agents;
import io.zeroagents.NameServer;
import io.zeroagents.Proxy;
import io.zeroagents.TimerAction;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * osBrain's "Shutting down" tutorial: one agent is shut down with {@code shutdown()}, and shutting
 * the name server down shuts down every agent still registered with it.
 *
 * <p>Agent0 and Agent1 each tick every 200 ms. Once both have ticked three times, Agent0 is shut
 * down: it leaves the name server and ticks no more, while Agent1 keeps ticking. Then the name
 * server is shut down, which stops Agent1 too.
 *
 * <p>Run it with {@code ./mvnw -q -Pexample -Dexample=ShuttingDown -pl examples -am package -DskipTests}.
 */
public final class ShuttingDown {
    private static final Duration PERIOD = Duration.ofMillis(200);

    private ShuttingDown() {
    }

    /**
     * Runs the example; exits 0 when each shutdown stopped exactly the agents it should.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        ExampleRun.main("Shutting down: one agent, then the name server and every agent left", ShuttingDown::run);
    }

    private static void run(NameServer ns) throws InterruptedException {
        Map<String, AtomicInteger> ticks = new ConcurrentHashMap<>();
        TimerAction tick = agent -> {
            int count = ticks.computeIfAbsent(agent.name(), name -> new AtomicInteger()).incrementAndGet();
            agent.logInfo("tick " + count);
        };
        Proxy a0 = Agents.runAgent("Agent0");
        Proxy a1 = Agents.runAgent("Agent1");
        a0.each(PERIOD, tick);
        a1.each(PERIOD, tick);
        System.out.println("Agent0 and Agent1 tick every " + PERIOD.toMillis() + " ms");
        await("both agents to tick three times", () -> count(ticks, "Agent0") >= 3 && count(ticks, "Agent1") >= 3);

        System.out.println("\n-- Agent0.shutdown()");
        a0.shutdown();
        int a0Ticks = count(ticks, "Agent0");
        System.out.println("Agent0 running: " + a0.isRunning() + " (after " + a0Ticks + " ticks)");
        await("Agent0 to leave the name server", () -> !ns.agents().contains("Agent0"));
        System.out.println("Agents registered: " + ns.agents());
        check(!a0.isRunning() && ns.agents().equals(List.of("Agent1")), "only Agent1 left, got " + ns.agents());

        int a1Ticks = count(ticks, "Agent1");
        await("Agent1 to tick three more times", () -> count(ticks, "Agent1") >= a1Ticks + 3);
        System.out.println("Agent1 ticked on (" + count(ticks, "Agent1") + " ticks); Agent0 stayed at "
                + count(ticks, "Agent0"));
        check(count(ticks, "Agent0") == a0Ticks, "Agent0 to tick no more after its shutdown");

        System.out.println("\n-- ns.shutdown()");
        ns.shutdown();
        int a1Final = count(ticks, "Agent1");
        System.out.println("Agent1 running: " + a1.isRunning() + " (after " + a1Final + " ticks)");
        check(!a1.isRunning(), "the name server's shutdown to stop Agent1");
        // Wait two periods: a stopped agent must not tick again.
        Thread.sleep(PERIOD.multipliedBy(2));
        check(count(ticks, "Agent1") == a1Final, "Agent1 to tick no more after the name server shut down");
        System.out.println("No agent ticks any more");
    }

    private static int count(Map<String, AtomicInteger> ticks, String agent) {
        AtomicInteger count = ticks.get(agent);
        return count == null ? 0 : count.get();
    }
}
