package io.zeroagents.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.Agent;
import io.zeroagents.AgentAddress;
import io.zeroagents.AgentNotRunningException;
import io.zeroagents.AgentOptions;
import io.zeroagents.AgentTimeoutException;
import io.zeroagents.BindOptions;
import io.zeroagents.SocketHandler;
import io.zeroagents.Agents;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.RemoteAgentException;
import io.zeroagents.it.support.Inbox;
import io.zeroagents.it.support.Rebind;
import io.zeroagents.testkit.NameServerExtension;
import io.zeroagents.testing.AgentAwait;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Configuring a running agent through its proxy: methods from method references, functions run
 * inside it, and the three ways to end its work: stop (pause), shutdown (clean end), kill.
 */
@Timeout(30)
class AgentControlTest {
    @RegisterExtension
    final NameServerExtension ns = new NameServerExtension();

    static Object setX(Agent self, Object... args) {
        self.setAttr("x", args[0]);
        return null;
    }

    static Object setY(Agent self, Object... args) {
        self.setAttr("y", args[0]);
        return null;
    }

    static Object addXy(Agent self, Object... args) {
        return self.getAttr("x", Integer.class) + self.getAttr("y", Integer.class);
    }

    @Test
    void setMethod_methodReferences_areNamedAfterTheirMethods() {
        Proxy agent = Agents.runAgent("Example");
        agent.setMethod(AgentControlTest::setX, AgentControlTest::setY);
        agent.setMethods(java.util.Map.of("add", AgentControlTest::addXy));

        agent.call("setX", 10);
        agent.call("setY", 2);
        assertEquals(12, agent.call(Integer.class, "add"));
    }

    @Test
    void setMethod_unnamedLambda_isRefusedWithAHint() {
        Proxy agent = Agents.runAgent("Example");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> agent.setMethod((self, args) -> 1));
        assertTrue(error.getMessage().contains("setMethod(\"name\", lambda)"), error.getMessage());
    }

    @Test
    void executeAsFunction_andAsMethod_runInsideTheAgent() {
        Proxy agent = Agents.runAgent("Example", AgentOptions.builder().attributes(java.util.Map.of("x", 5)).build());

        assertEquals(7, agent.executeAsFunction(args -> (Integer) args[0] + (Integer) args[1], 3, 4));
        assertEquals(15, agent.executeAsMethod((self, args) -> self.getAttr("x", Integer.class) * (Integer) args[0], 3));
        assertEquals("agent-Example", agent.executeAsFunction(args -> Thread.currentThread().getName()),
                "safe calls run on the agent's own loop");
    }

    @Test
    void executeAsFunction_functionThrows_callerGetsRemoteAgentExceptionWithCause() {
        Proxy agent = Agents.runAgent("Example");
        RemoteAgentException error = assertThrows(RemoteAgentException.class, () -> agent.executeAsFunction(args -> {
            throw new java.io.IOException("disk gone");
        }));
        assertInstanceOf(java.io.IOException.class, error.getCause());
        assertTrue(error.getMessage().contains("'Example'"), error.getMessage());
    }

    @Test
    void stop_pausesHandlersAndTimers_resumeDeliversWhatWaited() {
        Proxy receiver = Agents.runAgent("Receiver");
        Inbox<String> inbox = new Inbox<>();
        AgentAddress addr = receiver.bind(Pattern.PULL, "in", String.class, (agent, msg) -> inbox.add(msg));
        Proxy sender = Agents.runAgent("Sender");
        sender.connect(addr, "out");
        sender.send("out", "before");
        assertEquals("before", inbox.await(1).get(0));

        receiver.stop();
        assertFalse(receiver.isRunning());
        assertEquals("pong", receiver.ping(), "a stopped agent still answers its proxies");
        sender.send("out", "while stopped");
        assertFalse(AgentAwait.until(() -> inbox.size() > 1, Duration.ofMillis(300)), "no handler runs while stopped");
        assertTrue(Agents.nameServer(ns.nameServer().address()).agents().contains("Receiver"),
                "a stopped agent keeps its name");

        receiver.resume();
        assertTrue(receiver.isRunning());
        assertEquals("while stopped", inbox.await(2).get(1), "the message waited in its socket");
    }

    @Test
    void kill_handlerBlockedForever_releasesNameAtOnce() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        Proxy stuck = Agents.runAgent("Stuck", AgentOptions.builder().timeout(Duration.ofMillis(500)).build());
        stuck.after(Duration.ZERO, agent -> {
            entered.countDown();
            never.await();
        });
        assertTrue(entered.await(5, TimeUnit.SECONDS));
        assertThrows(AgentTimeoutException.class, stuck::ping, "its loop is blocked");

        stuck.kill();

        assertFalse(stuck.isRunning());
        assertFalse(Agents.nameServer(ns.nameServer().address()).agents().contains("Stuck"),
                "killing releases the name without waiting for the handler");
        Proxy again = Agents.runAgent("Stuck");
        assertEquals("pong", again.ping(), "the name can be used again");
        never.countDown();
        assertTrue(AgentAwait.until(() -> {
            try {
                stuck.ping();
                return false;
            } catch (AgentNotRunningException e) {
                return true;
            }
        }, Duration.ofSeconds(5)), "the killed agent's loop ends when its handler returns");
    }

    @Test
    void close_withLinger_queuedMessageStillLeaves() {
        Inbox<String> inbox = new Inbox<>();
        String endpoint = lingerScenario("Kept", Duration.ofSeconds(5), inbox);
        assertEquals(List.of("queued"), inbox.await(1), "sent to " + endpoint + " after the sender closed");
    }

    @Test
    void close_withZeroLinger_queuedMessageIsDropped() {
        Inbox<String> inbox = new Inbox<>();
        lingerScenario("Dropped", Duration.ZERO, inbox);
        assertFalse(AgentAwait.until(() -> inbox.size() > 0, Duration.ofMillis(700)));
        assertThrows(IllegalArgumentException.class,
                () -> Agents.runAgent("Other").closeAll(Duration.ofMillis(-1)));
    }

    /** An agent whose attribute is a final field. */
    public static class Keeper extends io.zeroagents.BaseAgent {
        public final java.util.List<String> kept = new java.util.concurrent.CopyOnWriteArrayList<>(List.of("first"));
    }

    @Test
    void getAttr_finalField_isReadAndSettingItFailsClearly() {
        Proxy keeper = Agents.runAgent("Keeper", AgentOptions.builder(Keeper.class).build());
        assertEquals(List.of("first"), keeper.getAttr("kept"));
        io.zeroagents.AgentException error = assertThrows(io.zeroagents.AgentException.class,
                () -> keeper.setAttr("kept", List.of()));
        assertTrue(error.getMessage().contains("final field"), error.getMessage());
    }

    @Test
    void bind_ipcWithABareName_usesTheName() {
        String name = "zeroagents-test-" + java.util.UUID.randomUUID();
        AgentAddress addr = Agents.runAgent("Named").bind(Pattern.PULL, "in",
                BindOptions.builder().transport(io.zeroagents.Transport.IPC).address(name).build());
        assertEquals("ipc://" + name, addr.endpoint());
    }

    /**
     * Queues a message for a receiver that is not there yet, closes the sender with a linger, and
     * only then binds the receiver: what arrives is what the linger let out.
     */
    private static String lingerScenario(String name, Duration linger, Inbox<String> inbox) {
        Proxy receiver = Agents.runAgent(name + "Receiver");
        AgentAddress probe = receiver.bind(Pattern.PULL, "probe");
        receiver.close("probe");
        Proxy sender = Agents.runAgent(name + "Sender");
        sender.connect(probe, "out");
        sender.send("out", "queued");
        sender.close("out", linger);
        Rebind.whenFree(receiver, Pattern.PULL, "in", probe.endpoint(),
                SocketHandler.onMessage(String.class, (agent, msg) -> inbox.add(msg)));
        return probe.endpoint();
    }
}
