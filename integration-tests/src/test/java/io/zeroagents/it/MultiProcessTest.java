package io.zeroagents.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentAddress;
import io.zeroagents.AgentException;
import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.NameServer;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.RemoteAgentException;
import io.zeroagents.SocketHandler;
import io.zeroagents.UnknownAliasException;
import io.zeroagents.it.support.AgentProcesses;
import io.zeroagents.it.support.NameServerJar;
import io.zeroagents.testsupport.Await;
import io.zeroagents.testsupport.ChildProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The name-server daemon (nameserver.jar) and agents in separate JVMs on loopback: addresses found
 * by name, leases that expire when a process is killed, re-registration after a name-server
 * restart, and a name-server shutdown that ends every agent process.
 */
@Timeout(120)
class MultiProcessTest {

    private static ChildProcess daemon(String bind, String... more) throws IOException {
        List<String> args = new java.util.ArrayList<>(List.of("--bind", bind));
        args.addAll(List.of(more));
        return ChildProcess.jar("nameserver", NameServerJar.path(), args.toArray(String[]::new));
    }

    private static String addressOf(ChildProcess daemon) {
        String line = daemon.awaitLine("Name server listening on ");
        return line.substring("Name server listening on ".length()).split(" ")[0];
    }

    private static ChildProcess agent(String name, Class<?> program, String nameServer) throws IOException {
        return ChildProcess.main(name, program, List.of("-Dzeroagents.nameserver=" + nameServer));
    }

    private static ChildProcess.Result cli(String... args) throws IOException, InterruptedException {
        return ChildProcess.runJar(NameServerJar.path(), args);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void agentsInThreeJvms_talkThroughAddressesFoundByName_andNameServerShutdownEndsThemAll() throws Exception {
        try (ChildProcess ns = daemon("tcp://127.0.0.1:*")) {
            String address = addressOf(ns);
            try (ChildProcess hub = agent("hub", AgentProcesses.Hub.class, address)) {
                // The others look the hub's addresses up by name, so it must have bound them first.
                hub.awaitLine("READY Hub");
                try (ChildProcess listener = agent("listener", AgentProcesses.Listener.class, address);
                     ChildProcess pusher = agent("pusher", AgentProcesses.Pusher.class, address)) {
                    listener.awaitLine("NEWS tick");
                    pusher.awaitLine("REPLY echo ping");
                    hub.awaitLine("RECEIVED hello from pusher");
                    NameServer attached = Agents.nameServer(address);
                    Await.until(() -> attached.agents().equals(List.of("Hub", "Listener", "Pusher")),
                            "all three agents registered");

                    attached.shutdown();

                    for (ChildProcess process : List.of(hub, listener, pusher)) {
                        assertEquals(0, process.awaitExit(Duration.ofSeconds(20)), process.output());
                        assertTrue(process.output().contains("STOPPED"), process.output());
                    }
                    assertEquals(0, ns.awaitExit(Duration.ofSeconds(20)), ns.output());
                }
            }
        }
    }

    /** A typed view of the hub's added method. */
    public interface HubApi {
        int add(int a, int b);
    }

    @Test
    void proxyFromAnotherJvm_configuresAndCallsAnAgent() throws Exception {
        try (ChildProcess ns = daemon("tcp://127.0.0.1:*")) {
            String address = addressOf(ns);
            try (ChildProcess hub = agent("hub", AgentProcesses.Hub.class, address)) {
                hub.awaitLine("READY Hub");
                Proxy remote = Agents.nameServer(address).proxy("Hub");

                assertEquals("pong", remote.ping());
                remote.setAttr("color", "blue");
                assertEquals("blue", remote.getAttr("color"));
                assertEquals(5, remote.call(Integer.class, "add", 2, 3));
                assertEquals(7, remote.as(HubApi.class).add(3, 4));
                RemoteAgentException failure = assertThrows(RemoteAgentException.class, () -> remote.call("fail"));
                assertTrue(failure.getMessage().contains("'Hub'") && failure.getCause().getMessage()
                        .contains("remote failure on purpose"), failure + " / " + failure.getCause());
                UnknownAliasException unknown = assertThrows(UnknownAliasException.class, () -> remote.addr("nope"));
                assertTrue(unknown.getMessage().contains("(aliases: [in, rep, news])"), unknown.getMessage());
                assertThrows(UnsupportedOperationException.class, () -> remote.each(Duration.ofSeconds(1), agent -> { }));
                AgentException noMethod = assertThrows(AgentException.class, () -> remote.call("nope", 1));
                assertTrue(noMethod.getMessage().contains("'Hub'") && noMethod.getMessage().contains("'nope'"),
                        noMethod.getMessage());
                assertEquals("agent-Hub", remote.call("thread"));
                assertNotEquals("agent-Hub", remote.unsafe().call("thread"));
                remote.oneway().setAttr("late", 42);
                Await.until(() -> Integer.valueOf(42).equals(remote.getAttr("late")), "the one-way setAttr to run");

                String timer = remote.each(Duration.ofMillis(50), "log", "tick from a remote timer");
                hub.awaitLine("LOGGED tick from a remote timer");
                assertTrue(remote.listTimers().contains(timer), remote.listTimers().toString());
                remote.stopTimer(timer);
                assertTrue(!remote.listTimers().contains(timer));

                AgentAddress logged = remote.bind(Pattern.PULL, "remote-in", SocketHandler.method("log"));
                AgentAddress inbox = remote.bind(Pattern.PULL, "inbox");
                Proxy local = Agents.runAgent("Local", AgentOptions.builder().nameServer(address).build());
                local.connect(logged, "to-log");
                local.connect(inbox, "to-inbox");
                local.send("to-log", "configured remotely");
                local.send("to-inbox", new Note("from the test JVM", 3));

                hub.awaitLine("LOGGED configured remotely");
                assertEquals(new Note("from the test JVM", 3), remote.recv("inbox", Note.class, Duration.ofSeconds(10)));
                assertTrue(remote.sockets().containsKey("inbox"));

                remote.shutdown();
                assertEquals(0, hub.awaitExit(Duration.ofSeconds(20)), hub.output());
                local.shutdown();
            }
        }
    }

    /** A record the hub's process never sees as a class: it travels as JSON and back. */
    public record Note(String text, int priority) {
    }

    @Test
    void agentProcessKilled_leaseExpiresAndAgentDisappears() throws Exception {
        try (ChildProcess ns = daemon("tcp://127.0.0.1:*", "--lease", "1500")) {
            String address = addressOf(ns);
            NameServer attached = Agents.nameServer(address);
            try (ChildProcess hub = agent("hub", AgentProcesses.Hub.class, address)) {
                hub.awaitLine("READY Hub");
                assertEquals(List.of("Hub"), attached.agents());

                hub.kill();

                Await.until(Duration.ofSeconds(10), () -> attached.agents().isEmpty(),
                        () -> "the killed agent's lease to run out; still registered: " + attached.agents());
            }
        }
    }

    @Test
    void nameServerRestarted_livingAgentsRegisterAgain() throws Exception {
        String bind = "tcp://127.0.0.1:" + freePort();
        ChildProcess first = daemon(bind);
        String address = addressOf(first);
        try (ChildProcess hub = agent("hub", AgentProcesses.Hub.class, address)) {
            hub.awaitLine("READY Hub");
            first.kill();

            try (ChildProcess second = daemon(bind)) {
                addressOf(second);
                NameServer restarted = Agents.nameServer(address);
                Await.until(Duration.ofSeconds(15), () -> restarted.agents().contains("Hub"),
                        () -> "Hub to register again with the restarted name server");
                assertTrue(restarted.addr("Hub", "in").endpoint().startsWith("tcp://127.0.0.1:"));
            }
        } finally {
            first.close();
        }
    }

    @Test
    void daemon_sigterm_closesCleanlyAndFreesItsPort() throws Exception {
        int port = freePort();
        try (ChildProcess ns = daemon("tcp://127.0.0.1:" + port)) {
            addressOf(ns);

            ns.terminate();

            assertEquals(143, ns.awaitExit(Duration.ofSeconds(20)), ns.output());
            Await.until(Duration.ofSeconds(10), () -> ns.output().contains("stopped"),
                    () -> "the daemon's last log line; output:\n" + ns.output());
            try (ChildProcess again = daemon("tcp://127.0.0.1:" + port)) {
                addressOf(again);
            }
        }
    }

    @Test
    void cli_listsPingsAddrsAndShutsDown_withExitCodes() throws Exception {
        try (ChildProcess ns = daemon("tcp://127.0.0.1:*")) {
            String address = addressOf(ns);
            try (ChildProcess hub = agent("hub", AgentProcesses.Hub.class, address)) {
                hub.awaitLine("READY Hub");

                ChildProcess.Result list = cli("agents", "list", "--ns", address);
                assertEquals(0, list.exitCode(), list.output());
                assertTrue(list.output().contains("NAME") && list.output().contains("Hub")
                        && list.output().contains("in=tcp://127.0.0.1:"), list.output());

                ChildProcess.Result ping = cli("agents", "ping", "--ns", address);
                assertEquals(0, ping.exitCode(), ping.output());
                assertTrue(ping.output().contains("pong from name server"), ping.output());

                ChildProcess.Result addr = cli("agents", "addr", "--ns", address, "Hub", "rep");
                assertEquals(0, addr.exitCode(), addr.output());
                assertTrue(addr.output().matches("(?s).*tcp://127\\.0\\.0\\.1:\\d+ REP .*"), addr.output());

                ChildProcess.Result unknown = cli("agents", "addr", "--ns", address, "Nobody", "rep");
                assertEquals(3, unknown.exitCode(), unknown.output());
                assertTrue(unknown.output().contains("'Nobody'"), unknown.output());

                ChildProcess.Result shutdown = cli("agents", "shutdown", "--ns", address, "Hub");
                assertEquals(0, shutdown.exitCode(), shutdown.output());
                assertTrue(shutdown.output().contains("Stopped 1 agent(s): [Hub]"), shutdown.output());
                assertEquals(0, hub.awaitExit(Duration.ofSeconds(20)), hub.output());
            }
            ChildProcess.Result unreachable = cli("agents", "list", "--ns", "tcp://127.0.0.1:1", "--timeout", "300");
            assertEquals(1, unreachable.exitCode(), unreachable.output());
            assertTrue(unreachable.output().contains("did not answer"), unreachable.output());
        }
    }
}
