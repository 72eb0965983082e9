package io.zeroagents.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentAddress;
import io.zeroagents.AgentOptions;
import io.zeroagents.AgentTimeoutException;
import io.zeroagents.Agents;
import io.zeroagents.BaseAgent;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.UnknownAliasException;
import io.zeroagents.it.support.Inbox;
import io.zeroagents.testkit.NameServerExtension;
import io.zeroagents.testsupport.Await;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class LifecycleTest {
    @RegisterExtension
    final NameServerExtension ns = new NameServerExtension();

    /** Records its hooks in an attribute list. */
    public static class Hooked extends BaseAgent {
        static final java.util.concurrent.atomic.AtomicInteger IDLES = new java.util.concurrent.atomic.AtomicInteger();
        final List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        protected void onInit() {
            calls.add("onInit");
        }

        @Override
        protected void beforeLoop() {
            calls.add("beforeLoop");
        }

        @Override
        protected void idle() {
            IDLES.incrementAndGet();
        }

        public List<String> calls() {
            return List.copyOf(calls);
        }
    }

    @Test
    void hooks_runInOrder_andIdleRunsWhenNothingHappens() {
        Proxy agent = Agents.runAgent("Hooked", AgentOptions.builder(Hooked.class)
                .idlePeriod(Duration.ofMillis(20)).build());

        // Watch a counter outside the agent: polling the agent itself would keep it busy, never idle.
        Hooked.IDLES.set(0);
        Await.until(() -> Hooked.IDLES.get() >= 3, "idle() to run three times");
        assertEquals(List.of("onInit", "beforeLoop"), agent.call("calls"));
    }

    @Test
    void close_socketAlias_removesOnlyThatSocket() {
        Proxy agent = Agents.runAgent("Closer");
        agent.bind(Pattern.PUB, "connection");
        agent.bind(Pattern.PULL, "other");

        agent.close("connection");

        assertFalse(agent.hasSocket("connection"));
        assertTrue(agent.hasSocket("other"));
        assertThrows(UnknownAliasException.class, () -> agent.close("connection"));
    }

    @Test
    void closeAll_closesEverySocket_andAliasesCanBeReused() {
        Proxy agent = Agents.runAgent("Closer");
        agent.bind(Pattern.PUB, "a");
        agent.bind(Pattern.PULL, "b");

        agent.closeAll();

        assertEquals(Map.of(), agent.sockets());
        agent.bind(Pattern.PUSH, "a");
        assertTrue(agent.hasSocket("a"));
    }

    @Test
    void close_pullSocket_stopsReceivingButSenderSurvives() {
        Proxy alice = Agents.runAgent("Alice");
        AgentAddress addr = alice.bind(Pattern.PUSH, "main");
        Proxy bob = Agents.runAgent("Bob");
        Inbox<String> inbox = new Inbox<>();
        bob.connect(addr, "main", String.class, (agent, msg) -> inbox.add(msg));
        alice.send("main", "one");
        inbox.await(1);

        bob.close("main");

        assertTrue(alice.isRunning());
        assertFalse(bob.hasSocket("main"));
    }

    @Test
    void handler_throws_agentLogsAndHandlesNextMessage() {
        Proxy alice = Agents.runAgent("Alice");
        AgentAddress addr = alice.bind(Pattern.PUSH, "main");
        Proxy bob = Agents.runAgent("Bob");
        Inbox<String> handled = new Inbox<>();
        bob.connect(addr, "main", String.class, (agent, msg) -> {
            if (msg.equals("bad")) {
                throw new IllegalStateException("handler failure on purpose");
            }
            handled.add(msg);
        });

        alice.send("main", "bad");
        alice.send("main", "good");

        assertEquals(List.of("good"), handled.await(1));
        assertTrue(bob.isRunning());
    }

    @Test
    void handler_throwsWithStopOnHandlerError_stopsTheAgent() {
        Proxy alice = Agents.runAgent("Alice");
        AgentAddress addr = alice.bind(Pattern.PUSH, "main");
        Proxy strict = Agents.runAgent("Strict", AgentOptions.builder().stopOnHandlerError(true).build());
        strict.connect(addr, "main", String.class, (agent, msg) -> {
            throw new IllegalStateException("stop me");
        });

        alice.send("main", "anything");

        Await.until(() -> !strict.isRunning(), "the strict agent to stop");
        Await.until(() -> !ns.nameServer().agents().contains("Strict"), "its name to be released");
    }

    @Test
    void shutdown_fromItsOwnHandler_stopsAfterTheHandler() {
        Proxy agent = Agents.runAgent("SelfStopper");

        agent.after(Duration.ZERO, self -> self.shutdown());

        Await.until(() -> !agent.isRunning(), "the agent to stop itself");
    }

    @Test
    void call_blockedLoop_timesOutWithClearError() {
        Proxy agent = Agents.runAgent("Sleepy", AgentOptions.builder().timeout(Duration.ofMillis(300)).build());
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        agent.oneway().setMethod("block", (self, args) -> {
            release.await();
            return null;
        });
        agent.oneway().call("block");

        AgentTimeoutException timeout = assertThrows(AgentTimeoutException.class, agent::ping);

        assertTrue(timeout.getMessage().contains("'Sleepy'"), timeout.getMessage());
        release.countDown();
        assertEquals("pong", agent.ping());
    }
}
