package io.zeroagents.it.acceptance;

import static io.zeroagents.it.acceptance.support.AcceptanceAgents.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentAddress;
import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.BindOptions;
import io.zeroagents.NameServer;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.it.support.IpcNames;
import io.zeroagents.testkit.NameServerExtension;
import io.zeroagents.testing.AgentAwait;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Ports osBrain's {@code osbrain/tests/test_agent_ipc_sockets.py}: an agent's ipc sockets are
 * released however the agent ends (shutdown, kill, its name server shutting down while it is
 * blocked, crashed or idle).
 *
 * <p>osBrain checks that the socket file disappears. JeroMQ emulates ipc over loopback tcp, so
 * there is no file: these tests check instead that the endpoint is taken while the agent lives and
 * that a plain ZeroMQ socket can bind it once the agent has ended.
 */
@Timeout(60)
class AgentIpcSocketsTest {
    @RegisterExtension
    final NameServerExtension ns = new NameServerExtension();

    private static String ipcEndpoint() {
        return IpcNames.freeEndpoint();
    }

    private static boolean free(String endpoint) {
        return IpcNames.free(endpoint);
    }

    private static AgentAddress bindIpcPush(Proxy agent, String alias) {
        String endpoint = ipcEndpoint();
        AgentAddress address = agent.bind(Pattern.PUSH, alias, BindOptions.builder().address(endpoint).build());
        assertEquals(endpoint, address.endpoint());
        assertFalse(free(endpoint), "the agent's endpoint should be taken while it lives");
        return address;
    }

    @Test
    void shutdown_agentWithIpcSocket_releasesTheEndpoint() {
        Proxy agent = Agents.runAgent("name");
        AgentAddress address = bindIpcPush(agent, "push");

        agent.shutdown();

        assertTrue(AgentAwait.death(agent, WAIT));
        assertTrue(AgentAwait.until(() -> free(address.endpoint()), WAIT));
    }

    @Test
    void kill_agentWithIpcSocket_releasesTheEndpoint() {
        Proxy agent = Agents.runAgent("name");
        AgentAddress address = bindIpcPush(agent, "push");

        agent.oneway().kill();

        assertTrue(AgentAwait.death(agent, WAIT));
        assertTrue(AgentAwait.until(() -> free(address.endpoint()), WAIT));
    }

    @Test
    void nameServerShutdown_agentBlockedSending_releasesTheEndpoint() {
        NameServer own = Agents.runNameServer();
        Proxy blocker = Agents.runAgent("blocker", AgentOptions.builder().nameServer(own.address()).build());
        blocker.setMethod("block", (self, args) -> {
            self.send("out", "blocking...");
            return null;
        });
        AgentAddress address = bindIpcPush(blocker, "out");
        blocker.after(Duration.ZERO, "block");

        long t0 = System.nanoTime();
        own.shutdown();

        assertTrue(AgentAwait.until(() -> free(address.endpoint()), WAIT));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
        assertTrue(elapsed.compareTo(WAIT) < 0, "the blocked agent's endpoint was released only after " + elapsed);
    }

    @Test
    void nameServerShutdown_agentStoppedByAHandlerError_releasesTheEndpoint() {
        NameServer own = Agents.runNameServer();
        Proxy agent = Agents.runAgent("agent", AgentOptions.builder().nameServer(own.address())
                .stopOnHandlerError(true).build());
        AgentAddress address = bindIpcPush(agent, "main");
        AgentAddress crash = agent.bind(Pattern.PULL, "crash", String.class, (self, message) -> {
            throw new IllegalStateException("User raised an exception");
        });
        Proxy sender = Agents.runAgent("sender", AgentOptions.builder().nameServer(own.address()).build());
        sender.connect(crash, "push");
        sender.send("push", "boom");
        assertTrue(AgentAwait.until(() -> !agent.isRunning(), WAIT));

        own.shutdown();

        assertTrue(AgentAwait.until(() -> free(address.endpoint()), WAIT));
    }

    @Test
    void nameServerShutdown_idleAgent_releasesTheEndpoint() {
        NameServer own = Agents.runNameServer();
        Proxy agent = Agents.runAgent("agent", AgentOptions.builder().nameServer(own.address()).build());
        AgentAddress address = bindIpcPush(agent, "main");

        own.shutdown();

        assertTrue(AgentAwait.until(() -> free(address.endpoint()), WAIT));
    }
}
