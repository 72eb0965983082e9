package io.zeroagents.it.contract;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentAddress;
import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.BaseAgent;
import io.zeroagents.NameServer;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.RemoteAgentException;
import io.zeroagents.SocketHandler;
import io.zeroagents.UnknownAliasException;
import io.zeroagents.testsupport.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * What every kind of proxy does, whichever it is: safe, unsafe, one-way, or to an agent in
 * another process. Each kind's test class extends this contract and says how it makes its proxy
 * and whether its calls wait for their outcome; a new kind of proxy (or a new runtime) passes the
 * same contract.
 *
 * <p>Effects are checked through an observer, a safe proxy of this JVM found by name, so a
 * one-way proxy is held to everything but returning values and throwing.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ProxyContract {
    /** How long an effect may take to show. */
    static final Duration EFFECT = Duration.ofSeconds(20);

    /** The agent every contract test talks to; public, so another process can make one. */
    public static class ContractAgent extends BaseAgent {
        public int received;
        public String mark = "";

        public int add(int a, int b) {
            return a + b;
        }

        public String fail(String why) {
            throw new IllegalStateException(why);
        }

        public void count(String message) {
            received++;
        }

        public void mark(String value) {
            mark = value;
        }
    }

    private NameServer nameServer;
    /** The proxy under test. */
    private Proxy subject;
    /** A safe proxy found by name, which checks what the subject's calls did. */
    private Proxy observer;
    private Proxy sender;

    /**
     * Runs an agent of {@code options} named {@code name} with the name server this class started,
     * and returns the proxy the contract is about.
     */
    protected abstract Proxy proxyTo(String name, AgentOptions.Builder options);

    /** Whether the subject's calls return their outcome (all but one-way proxies). */
    protected boolean waitsForOutcome() {
        return true;
    }

    @BeforeAll
    void startAgents() {
        nameServer = Agents.runNameServer();
        subject = proxyTo("Subject", AgentOptions.builder(ContractAgent.class));
        observer = nameServer.proxy("Subject").safe();
        sender = Agents.runAgent("Sender");
    }

    @AfterAll
    void stopAgents() {
        if (nameServer != null) {
            nameServer.shutdown();
        }
    }

    private static void eventually(java.util.function.BooleanSupplier done, String what) {
        Await.until(EFFECT, done, () -> what);
    }

    @Nested
    class Identity {
        @Test
        void ping_runningAgent_answersPong() {
            assertEquals("pong", subject.ping());
        }

        @Test
        void name_anyProxy_isTheAgentsName() {
            assertEquals("Subject", subject.name());
        }

        @Test
        void isRunning_runningAgent_isTrue() {
            assertTrue(observer.isRunning());
            if (waitsForOutcome()) {
                assertTrue(subject.isRunning());
            }
        }
    }

    @Nested
    class Attributes {
        @Test
        void setAttr_anyProxy_agentHoldsTheValue() {
            subject.setAttr("mark", "set-by-proxy");

            eventually(() -> "set-by-proxy".equals(observer.getAttr("mark")), "the attribute to be set");
        }

        @Test
        void getAttr_value_returnedWhenTheProxyWaits() {
            observer.setAttr("received", 0);
            observer.setAttr("mark", "read-me");

            Object read = subject.getAttr("mark");

            if (waitsForOutcome()) {
                assertEquals("read-me", read);
            } else {
                assertNull(read, "a one-way proxy returns before the value is read");
            }
        }
    }

    @Nested
    class Methods {
        @Test
        void call_method_returnsItsResultWhenTheProxyWaits() {
            Integer sum = subject.call(Integer.class, "add", 2, 3);

            if (waitsForOutcome()) {
                assertEquals(5, sum);
            } else {
                assertNull(sum);
            }
        }

        @Test
        void call_methodThrows_callerGetsRemoteAgentExceptionAndTheAgentCarriesOn() {
            if (waitsForOutcome()) {
                RemoteAgentException e = assertThrows(RemoteAgentException.class,
                        () -> subject.call("fail", "on purpose"));
                assertTrue(String.valueOf(e.getMessage()).contains("Subject"), e.getMessage());
                assertTrue(String.valueOf(e.getMessage()).contains("on purpose"), e.getMessage());
            } else {
                assertDoesNotThrow(() -> subject.call("fail", "on purpose"));
            }
            assertEquals("pong", observer.ping(), "the agent still answers");
        }
    }

    @Nested
    class Sockets {
        @Test
        void bind_pullWithMethodHandler_messagesSentThereReachIt() {
            int before = Objects.requireNonNull(observer.getAttr("received", Integer.class));

            subject.bind(Pattern.PULL, "in", SocketHandler.method("count"));
            eventually(() -> observer.hasSocket("in"), "the socket to be bound");
            AgentAddress address = observer.addr("in");
            sender.connect(address, "to-subject");
            sender.send("to-subject", "one");
            sender.send("to-subject", "two");

            eventually(() -> Objects.equals(observer.getAttr("received", Integer.class), before + 2),
                    "both messages to be handled");
            subject.close("in");
            eventually(() -> !observer.hasSocket("in"), "the socket to be closed");
        }

        @Test
        void send_toTheAddressTheAgentConnectedTo_reachesThePeerThere() {
            List<String> got = new java.util.concurrent.CopyOnWriteArrayList<>();
            AgentAddress address = sender.bind(Pattern.PULL, "from-subject", String.class,
                    (agent, message) -> got.add(message));
            subject.connect(address, "to-sender");
            eventually(() -> observer.hasSocket("to-sender"), "the socket to be connected");

            subject.send(address, "by address");

            eventually(() -> got.contains("by address"), "the message sent by address to arrive");
            subject.close("to-sender");
            eventually(() -> !observer.hasSocket("to-sender"), "the socket to be closed");
            sender.close("from-subject");
        }

        @Test
        void send_unknownAlias_refusedWhenTheProxyWaits() {
            if (waitsForOutcome()) {
                UnknownAliasException e = assertThrows(UnknownAliasException.class,
                        () -> subject.send("no-such-alias", "x"));
                assertTrue(e.getMessage().contains("no-such-alias"), e.getMessage());
            } else {
                assertDoesNotThrow(() -> subject.send("no-such-alias", "x"));
            }
            assertEquals("pong", observer.ping(), "the agent still answers");
        }
    }

    @Nested
    class Timers {
        @Test
        void after_methodByName_runsOnTheAgent() {
            subject.after(Duration.ofMillis(20), "mark", "timer-ran");

            eventually(() -> "timer-ran".equals(observer.getAttr("mark")), "the timer to run its method");
        }

        @Test
        void each_methodByNameUnderAnAlias_runsAndStopsByThatAlias() {
            String returned = subject.each("marker", Duration.ofMillis(20), "mark", "named-timer-ran");

            eventually(() -> "named-timer-ran".equals(observer.getAttr("mark")), "the named timer to run");
            assertTrue(observer.listTimers().contains("marker"), observer.listTimers().toString());
            if (waitsForOutcome()) {
                assertEquals("marker", returned);
            }
            subject.stopTimer("marker");
            eventually(() -> !observer.listTimers().contains("marker"), "the named timer to be stopped");
        }

        @Test
        void after_methodByNameUnderAnAlias_isListedByThatAliasUntilStopped() {
            String returned = subject.after("later", Duration.ofSeconds(30), "mark", "never");

            eventually(() -> observer.listTimers().contains("later"), "the timer to be listed by its alias");
            if (waitsForOutcome()) {
                assertEquals("later", returned);
            }
            subject.stopTimer("later");
            eventually(() -> !observer.listTimers().contains("later"), "the timer to be stopped");
        }

        @Test
        void each_thenStopTimer_timerListedThenGone() {
            List<String> before = observer.listTimers();

            String returned = subject.each(Duration.ofSeconds(30), "mark", "never");
            eventually(() -> observer.listTimers().size() == before.size() + 1, "the timer to be listed");
            List<String> added = new ArrayList<>(observer.listTimers());
            added.removeAll(before);
            String alias = added.get(0);
            if (waitsForOutcome()) {
                assertEquals(alias, returned);
            }
            subject.stopTimer(alias);

            eventually(() -> !observer.listTimers().contains(alias), "the timer to be stopped");
        }
    }
}
