package io.zeroagents.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentNotRunningException;
import io.zeroagents.Agents;
import io.zeroagents.Proxy;
import io.zeroagents.UnknownAliasException;
import io.zeroagents.testkit.NameServerExtension;
import io.zeroagents.testsupport.Await;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class ProxyTest {
    @RegisterExtension
    final NameServerExtension ns = new NameServerExtension();

    @Test
    void call_safeByDefault_runsOnAgentThread_unsafeRunsOnCaller() {
        Proxy agent = Agents.runAgent("Worker");
        agent.setMethod("thread", (self, args) -> Thread.currentThread().getName());

        assertEquals("agent-Worker", agent.call("thread"));
        assertEquals(Thread.currentThread().getName(), agent.unsafe().call("thread"));
        assertEquals("agent-Worker", agent.unsafe().safe().call("thread"));
    }

    @Test
    void oneway_returnsAtOnceAndStillRuns() {
        Proxy agent = Agents.runAgent("Worker");

        agent.oneway().setAttr("x", 42);

        Await.until(() -> Integer.valueOf(42).equals(agent.getAttr("x")), "the one-way setAttr to run");
    }

    @Test
    void setAttr_fromManyThreads_allUpdatesLand() throws Exception {
        Proxy agent = Agents.runAgent("Counter");
        agent.setAttr("count", 0);
        agent.setMethod("increment", (self, args) -> {
            self.setAttr("count", self.getAttr("count", Integer.class) + 1);
            return null;
        });
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                calls.add(pool.submit(() -> agent.call("increment")));
            }
            for (Future<?> call : calls) {
                call.get();
            }
        } finally {
            pool.shutdown();
        }

        assertEquals(400, agent.getAttr("count", Integer.class));
    }

    @Test
    void addr_unknownAlias_namesAgentAndKnownAliases() {
        Proxy agent = Agents.runAgent("Bob");
        agent.bind(io.zeroagents.Pattern.PULL, "in");
        agent.bind(io.zeroagents.Pattern.PUSH, "out");

        UnknownAliasException failure = assertThrows(UnknownAliasException.class, () -> agent.addr("main"));

        assertEquals("Agent 'Bob' has no socket with alias 'main' (aliases: [in, out])", failure.getMessage());
    }

    @Test
    void anyCall_afterShutdown_throwsAgentNotRunning() {
        Proxy agent = Agents.runAgent("Gone");
        assertEquals("pong", agent.ping());

        agent.shutdown();
        agent.shutdown();

        assertTrue(!agent.isRunning());
        AgentNotRunningException failure = assertThrows(AgentNotRunningException.class, agent::ping);
        assertTrue(failure.getMessage().contains("'Gone'"), failure.getMessage());
    }

    @Test
    void proxy_fromNameServer_reachesSameAgent() {
        Proxy direct = Agents.runAgent("Alice");
        direct.setAttr("token", "abc");

        Proxy found = ns.nameServer().proxy("Alice");

        assertEquals("abc", found.getAttr("token"));
    }
}
