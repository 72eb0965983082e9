package io.zeroagents.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentException;
import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.BaseAgent;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.RemoteAgentException;
import io.zeroagents.SocketHandler;
import io.zeroagents.testkit.NameServerExtension;
import io.zeroagents.testsupport.Await;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class OopAgentTest {
    @RegisterExtension
    final NameServerExtension ns = new NameServerExtension();

    static final List<String> RECEIVED = new CopyOnWriteArrayList<>();

    /** osBrain's OOP tutorial: binds in onInit, sends from a method called through a proxy. */
    public static class Greeter extends BaseAgent {
        @Override
        protected void onInit() {
            bind(Pattern.PUSH, "main");
        }

        public void hello(String name) {
            send("main", "Hello, " + name + "!");
        }
    }

    /** Handles messages with a method named in {@link SocketHandler#method(String)}. */
    public static class Bob extends BaseAgent {
        public void customLog(String message) {
            RECEIVED.add(name() + " received: " + message);
        }
    }

    /** Initial attributes land in fields before onInit runs. */
    public static class Configured extends BaseAgent {
        int x;
        String label = "unset";
        String seenInInit;

        @Override
        protected void onInit() {
            seenInInit = label + "/" + x;
        }

        public int sum(int a, int b) {
            return a + b + x;
        }

        public void fail() {
            throw new IllegalArgumentException("deliberate");
        }
    }

    /** A typed view of {@link Configured}. */
    public interface Summer {
        int sum(int a, int b);
    }

    @Test
    void call_methodOfUserClass_sendsThroughSocketBoundInOnInit() throws Exception {
        RECEIVED.clear();
        Proxy alice = Agents.runAgent("Alice", AgentOptions.of(Greeter.class));
        Proxy bob = Agents.runAgent("Bob", AgentOptions.of(Bob.class));
        bob.connect(alice.addr("main"), "main", SocketHandler.method("customLog"));

        for (int i = 0; i < 3; i++) {
            alice.call("hello", "Bob");
        }

        Await.until(() -> RECEIVED.size() == 3, "three greetings");
        assertEquals(List.of("Bob received: Hello, Bob!", "Bob received: Hello, Bob!", "Bob received: Hello, Bob!"),
                RECEIVED);
    }

    @Test
    void runAgent_withAttributes_setsFieldsBeforeOnInitAndMapEntriesForTheRest() {
        Proxy agent = Agents.runAgent("Configured", AgentOptions.builder(Configured.class)
                .attributes(Map.of("x", 1, "label", "hello", "extra", List.of(1, 2))).build());

        assertEquals("hello/1", agent.getAttr("seenInInit"));
        assertEquals(1, agent.getAttr("x", Integer.class));
        assertEquals(List.of(1, 2), agent.getAttr("extra"));
        assertNull(agent.getAttr("missing"));
    }

    @Test
    void setAttr_wrongTypeForField_isRefusedNamingAttribute() {
        Proxy agent = Agents.runAgent("Configured", AgentOptions.of(Configured.class));

        AgentException refused = assertThrows(AgentException.class, () -> agent.setAttr("x", "not a number"));
        assertTrue(refused.getMessage().contains("'x'") && refused.getMessage().contains("Configured"),
                refused.getMessage());
    }

    @Test
    void as_typedInterface_callsAgentMethod() {
        Proxy agent = Agents.runAgent("Configured", AgentOptions.builder(Configured.class).attribute("x", 10).build());

        Summer summer = agent.as(Summer.class);

        assertEquals(13, summer.sum(1, 2));
    }

    @Test
    void call_methodThrows_rethrownWithAgentNameAndOriginalCause() {
        Proxy agent = Agents.runAgent("Configured", AgentOptions.of(Configured.class));

        RemoteAgentException failure = assertThrows(RemoteAgentException.class, () -> agent.call("fail"));

        assertTrue(failure.getMessage().contains("'Configured'"), failure.getMessage());
        assertTrue(failure.getCause() instanceof IllegalArgumentException);
        assertEquals("deliberate", failure.getCause().getMessage());
        assertTrue(agent.isRunning());
    }

    @Test
    void call_unknownMethod_listsAvailableMethods() {
        Proxy agent = Agents.runAgent("Configured", AgentOptions.of(Configured.class));

        AgentException failure = assertThrows(AgentException.class, () -> agent.call("nope", 1));

        assertTrue(failure.getMessage().contains("'nope'") && failure.getMessage().contains("sum"), failure.getMessage());
    }

    @Test
    void setMethod_namedLambda_isCallableByName() {
        Proxy agent = Agents.runAgent("Example");
        agent.setMethod("setX", (self, args) -> {
            self.setAttr("x", args[0]);
            return null;
        });
        agent.setMethod("setY", (self, args) -> {
            self.setAttr("y", args[0]);
            return null;
        });
        agent.setMethod("add", (self, args) -> self.getAttr("x", Integer.class) + self.getAttr("y", Integer.class));

        agent.call("setX", 10);
        agent.call("setY", 2);

        assertEquals(12, agent.call(Integer.class, "add"));
    }

    @Test
    void onInit_throws_runAgentFailsAndNameIsFree() {
        assertThrows(RemoteAgentException.class, () -> Agents.runAgent("Broken", AgentOptions.of(BrokenInit.class)));

        assertEquals(List.of(), ns.nameServer().agents());
        Agents.runAgent("Broken").ping();
    }

    /** Fails in onInit. */
    public static class BrokenInit extends BaseAgent {
        @Override
        protected void onInit() {
            throw new IllegalStateException("no");
        }
    }

    @Test
    void newBaseAgent_outsideRuntime_explainsHowToCreateAgents() {
        IllegalStateException refused = assertThrows(IllegalStateException.class, Greeter::new);

        assertTrue(refused.getMessage().contains("Agents.runAgent"), refused.getMessage());
    }
}
