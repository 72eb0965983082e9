package io.zeroagents.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.Agents;
import io.zeroagents.NameServer;
import io.zeroagents.it.support.AgentProcesses;
import io.zeroagents.it.support.Await;
import io.zeroagents.it.support.ChildProcess;
import io.zeroagents.it.support.JavaProcess;
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
        return ChildProcess.jar("nameserver", ChildProcess.nameServerJar(), args.toArray(String[]::new));
    }

    private static String addressOf(ChildProcess daemon) {
        String line = daemon.awaitLine("Name server listening on ");
        return line.substring("Name server listening on ".length()).split(" ")[0];
    }

    private static ChildProcess agent(String name, Class<?> program, String nameServer) throws IOException {
        return ChildProcess.main(name, program, List.of("-Dzeroagents.nameserver=" + nameServer));
    }

    private static JavaProcess.Result cli(String... args) throws IOException, InterruptedException {
        return ChildProcess.runJar(ChildProcess.nameServerJar(), args);
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
    void cli_listsPingsAddrsAndShutsDown_withExitCodes() throws Exception {
        try (ChildProcess ns = daemon("tcp://127.0.0.1:*")) {
            String address = addressOf(ns);
            try (ChildProcess hub = agent("hub", AgentProcesses.Hub.class, address)) {
                hub.awaitLine("READY Hub");

                JavaProcess.Result list = cli("agents", "list", "--ns", address);
                assertEquals(0, list.exitCode(), list.output());
                assertTrue(list.output().contains("NAME") && list.output().contains("Hub")
                        && list.output().contains("in=tcp://127.0.0.1:"), list.output());

                JavaProcess.Result ping = cli("agents", "ping", "--ns", address);
                assertEquals(0, ping.exitCode(), ping.output());
                assertTrue(ping.output().contains("pong from name server"), ping.output());

                JavaProcess.Result addr = cli("agents", "addr", "--ns", address, "Hub", "rep");
                assertEquals(0, addr.exitCode(), addr.output());
                assertTrue(addr.output().matches("(?s).*tcp://127\\.0\\.0\\.1:\\d+ REP .*"), addr.output());

                JavaProcess.Result unknown = cli("agents", "addr", "--ns", address, "Nobody", "rep");
                assertEquals(3, unknown.exitCode(), unknown.output());
                assertTrue(unknown.output().contains("'Nobody'"), unknown.output());

                JavaProcess.Result shutdown = cli("agents", "shutdown", "--ns", address, "Hub");
                assertEquals(0, shutdown.exitCode(), shutdown.output());
                assertTrue(shutdown.output().contains("Stopped 1 agent(s): [Hub]"), shutdown.output());
                assertEquals(0, hub.awaitExit(Duration.ofSeconds(20)), hub.output());
            }
            JavaProcess.Result unreachable = cli("agents", "list", "--ns", "tcp://127.0.0.1:1", "--timeout", "300");
            assertEquals(1, unreachable.exitCode(), unreachable.output());
            assertTrue(unreachable.output().contains("did not answer"), unreachable.output());
        }
    }
}
