package io.zeroagents.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentAddress;
import io.zeroagents.Agents;
import io.zeroagents.NameServer;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.RuntimeNotFoundException;
import io.zeroagents.testsupport.ChildProcess;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * This module compiles against agent-api alone (agent-runtime is a runtime-scope dependency), so
 * the programs below prove the split: they run when the runtime is added at run time, and fail
 * with an error naming the artifact when it is not.
 */
@Timeout(60)
class RuntimeDiscoveryTest {

    /** Tries to start a name server and prints the outcome. */
    public static final class NoRuntimeProgram {
        public static void main(String[] args) {
            try {
                Agents.runNameServer();
                System.out.println("UNEXPECTED: a runtime was found");
            } catch (RuntimeNotFoundException e) {
                System.out.println("REFUSED: " + e.getMessage());
            }
        }
    }

    /** Runs two agents over PUSH/PULL and prints what arrived. */
    public static final class TwoAgentsProgram {
        public static void main(String[] args) throws InterruptedException {
            NameServer ns = Agents.runNameServer();
            BlockingQueue<String> received = new ArrayBlockingQueue<>(1);
            Proxy alice = Agents.runAgent("Alice");
            AgentAddress addr = alice.bind(Pattern.PUSH, "main");
            Agents.runAgent("Bob").connect(addr, "main", String.class, (agent, msg) -> received.add(msg));
            alice.send("main", "Hello, Bob!");
            System.out.println("RECEIVED: " + received.poll(10, TimeUnit.SECONDS));
            ns.shutdown();
        }
    }

    private static boolean apiOnly(String entry) {
        return entry.contains("agent-api") || entry.contains("jspecify") || entry.endsWith("test-classes");
    }

    @Test
    void runNameServer_withoutRuntimeOnClassPath_failsNamingTheArtifact() throws Exception {
        ChildProcess.Result result = ChildProcess.run(NoRuntimeProgram.class, java.util.List.of(), Map.of(),
                RuntimeDiscoveryTest::apiOnly);

        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("REFUSED: ") && result.output().contains("io.zeroagents:agent-runtime"),
                result.output());
    }

    @Test
    void programCompiledAgainstApi_runsWithRuntimeAddedAtRunTime() throws Exception {
        ChildProcess.Result result = ChildProcess.run(TwoAgentsProgram.class, java.util.List.of(), Map.of(),
                entry -> true);

        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("RECEIVED: Hello, Bob!"), result.output());
    }
}
