package io.zeroagents.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentAddress;
import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.BaseAgent;
import io.zeroagents.DuplicateAgentNameException;
import io.zeroagents.NameServer;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.RequestOptions;
import io.zeroagents.SocketHandler;
import io.zeroagents.it.support.Inbox;
import io.zeroagents.testing.AgentAwait;
import io.zeroagents.testsupport.Await;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** osBrain's model: an agent in a JVM of its own, reached through a proxy, ended with it or its name server. */
@Timeout(120)
class OwnProcessTest {

    /** Reports where it runs and adds with an initial attribute. */
    public static class Isolated extends BaseAgent {
        int offset;
        String token = "";

        public String token() {
            return token;
        }

        public long pid() {
            return ProcessHandle.current().pid();
        }

        public int plusOffset(int value) {
            return value + offset;
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void ownProcess_runsAgentInAnotherJvm_endedByItsShutdown() {
        NameServer ns = Agents.runNameServer();
        try {
            Proxy isolated = Agents.runAgent("Isolated", AgentOptions.builder(Isolated.class).attribute("offset", 10)
                    .ownProcess(true).build());

            long pid = isolated.call(Long.class, "pid");
            assertNotEquals(ProcessHandle.current().pid(), pid);
            assertEquals(15, isolated.call(Integer.class, "plusOffset", 5));
            assertEquals(List.of("Isolated"), ns.agents());
            assertThrows(DuplicateAgentNameException.class, () -> Agents.runAgent("Isolated",
                    AgentOptions.builder(Isolated.class).ownProcess(true).build()));

            isolated.shutdown();

            Await.until(Duration.ofSeconds(20), () -> !alive(pid), () -> "the agent's process to end");
            Await.until(() -> ns.agents().isEmpty(), "its name to be released");
        } finally {
            ns.shutdown();
        }
    }

    @Test
    void ownProcess_attributes_areNotOnTheChildsCommandLine() throws Exception {
        String token = "attribute-secret-" + java.util.UUID.randomUUID();
        NameServer ns = Agents.runNameServer();
        try {
            Proxy isolated = Agents.runAgent("Keeper", AgentOptions.builder(Isolated.class).attribute("token", token)
                    .ownProcess(true).build());
            long pid = isolated.call(Long.class, "pid");

            assertEquals(token, isolated.call(String.class, "token"), "the attribute still reaches the agent");
            List<String> arguments = commandLine(pid);
            assertTrue(arguments.stream().anyMatch(a -> a.endsWith("AgentProcessMain")), arguments.toString());
            for (String argument : arguments) {
                // Every user of the machine can read a process's command line (ps, /proc/PID/cmdline).
                assertFalse(argument.contains(token), argument);
                assertFalse(decodedBase64(argument).contains(token), "an argument encodes the attribute: " + argument);
            }
            isolated.shutdown();
        } finally {
            ns.shutdown();
        }
    }

    /** A process's arguments as other users see them: /proc/PID/cmdline where there is one. */
    private static List<String> commandLine(long pid) throws java.io.IOException {
        java.nio.file.Path proc = java.nio.file.Path.of("/proc", String.valueOf(pid), "cmdline");
        if (java.nio.file.Files.exists(proc)) {
            return List.of(new String(java.nio.file.Files.readAllBytes(proc), java.nio.charset.StandardCharsets.UTF_8)
                    .split("\u0000"));
        }
        ProcessHandle.Info info = ProcessHandle.of(pid).orElseThrow().info();
        List<String> arguments = new java.util.ArrayList<>();
        info.command().ifPresent(arguments::add);
        info.arguments().ifPresent(given -> arguments.addAll(List.of(given)));
        return arguments;
    }

    private static String decodedBase64(String argument) {
        try {
            return new String(java.util.Base64.getDecoder().decode(argument), java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    @Test
    void ownProcess_endsWhenItsNameServerShutsDown() {
        NameServer ns = Agents.runNameServer();
        long pid;
        try {
            Proxy isolated = Agents.runAgent("Worker", AgentOptions.builder(Isolated.class).ownProcess(true).build());
            pid = isolated.call(Long.class, "pid");
            assertTrue(alive(pid));
        } finally {
            ns.shutdown();
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        Await.until(Duration.ofSeconds(20), () -> !alive(pid), () -> "process " + process + " to end with its name server");
    }

    @Test
    void ownProcess_channelsStopResumeAndKill_workThroughRemoteProxy() {
        NameServer ns = Agents.runNameServer();
        try {
            Proxy isolated = Agents.runAgent("Remote", AgentOptions.builder(Isolated.class).attribute("offset", 100)
                    .ownProcess(true).build());
            long pid = isolated.call(Long.class, "pid");

            // Channels bound in the other process, with its methods as handlers; addresses cross back intact.
            AgentAddress async = isolated.bind(Pattern.ASYNC_REP, "async", SocketHandler.method("plusOffset"));
            AgentAddress sync = isolated.bind(Pattern.SYNC_PUB, "sync", SocketHandler.method("plusOffset"));
            assertEquals(sync, ns.addr("Remote", "sync"));
            Proxy client = Agents.runAgent("Client");
            Inbox<Integer> replies = new Inbox<>();
            client.connect(async, "async", Integer.class, (agent, reply) -> replies.add(reply));
            client.send("async", 1);
            assertEquals(List.of(101), replies.await(1));
            Inbox<Integer> publications = new Inbox<>();
            client.connect(sync, "sync", Integer.class, (agent, n) -> publications.add(n));
            client.request("sync", 2, RequestOptions.builder().handler(Integer.class, (agent, reply) -> replies.add(reply))
                    .build());
            assertEquals(List.of(101, 102), replies.await(2));
            assertTrue(AgentAwait.until(() -> {
                isolated.send("sync", "", 7);
                return publications.size() > 0;
            }, Duration.ofSeconds(10)), "publications reach the subscriber");

            isolated.stop();
            assertFalse(isolated.isRunning());
            assertEquals("pong", isolated.ping());
            isolated.resume();
            assertTrue(isolated.isRunning());

            isolated.kill();
            Await.until(Duration.ofSeconds(20), () -> !alive(pid), () -> "the killed agent's process to end");
            Await.until(() -> !ns.agents().contains("Remote"), "its name to be released");
        } finally {
            ns.shutdown();
        }
    }
}
