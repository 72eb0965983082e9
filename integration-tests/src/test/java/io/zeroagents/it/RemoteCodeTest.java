package io.zeroagents.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.Agent;
import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.BaseAgent;
import io.zeroagents.NameServer;
import io.zeroagents.Proxy;
import io.zeroagents.testsupport.ChildProcess;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * osBrain configures agents of other processes with code (cloudpickle); here code travels only as
 * Java serialization, which both processes must allow class by class. The program runs in a JVM
 * of its own with an allow-list, and its agent in another JVM that inherits it.
 */
@Timeout(120)
class RemoteCodeTest {

    /** The remote agent. */
    public static class Worker extends BaseAgent {
        int base = 10;
    }

    static Object twice(Agent self, Object... args) {
        return 2 * (Integer) args[0];
    }

    /** A class outside the allow-list: code that captures one is refused by the agent's process. */
    public record Stranger(int value) implements java.io.Serializable {
    }

    /** Configures an agent of another JVM with lambdas and method references, and tries a stranger. */
    public static final class Program {
        public static void main(String[] args) {
            NameServer ns = Agents.runNameServer();
            try {
                Proxy worker = Agents.runAgent("Worker", AgentOptions.builder(Worker.class).ownProcess(true).build());
                int offset = 5;
                worker.setMethod("plusBase", (self, a) -> (Integer) a[0] + self.getAttr("base", Integer.class) + offset);
                worker.setMethod(RemoteCodeTest::twice);
                System.out.println("plusBase(1) = " + worker.call("plusBase", 1));
                System.out.println("twice(21) = " + worker.call("twice", 21));
                System.out.println("function = " + worker.executeAsFunction(a -> "pid " + (ProcessHandle.current().pid()
                        != Long.parseLong(String.valueOf(a[0]))), ProcessHandle.current().pid()));
                System.out.println("method = " + worker.executeAsMethod((self, a) -> self.name() + " " + a[0], "hi"));
                Stranger stranger = new Stranger(7);
                try {
                    worker.executeAsFunction(a -> stranger.value());
                    System.out.println("stranger = ACCEPTED");
                } catch (RuntimeException e) {
                    System.out.println("stranger = REFUSED " + e.getClass().getSimpleName() + ": " + e.getMessage());
                }
                System.out.println("after = " + worker.call("twice", 4));
            } finally {
                ns.shutdown();
            }
        }
    }

    @Test
    void setMethodAndExecute_acrossProcesses_runTheCodeOnlyForAllowedClasses() throws Exception {
        String allow = "java.lang.invoke.SerializedLambda;java.lang.*;" + RemoteCodeTest.class.getName() + ";"
                + Program.class.getName() + ";" + Worker.class.getName();
        ChildProcess.Result result = ChildProcess.run(Program.class,
                List.of("-Dzeroagents.serialization.java.allow=" + allow), Map.of(), entry -> true);
        String out = result.output();
        assertEquals(0, result.exitCode(), out);
        assertTrue(out.contains("plusBase(1) = 16"), out);
        assertTrue(out.contains("twice(21) = 42"), out);
        assertTrue(out.contains("function = pid true"), "the function ran in the agent's own process: " + out);
        assertTrue(out.contains("method = Worker hi"), out);
        assertTrue(out.contains("stranger = REFUSED") && out.contains("class " + Stranger.class.getName()), out);
        assertTrue(out.contains("after = 8"), "the agent kept working: " + out);
    }
}
