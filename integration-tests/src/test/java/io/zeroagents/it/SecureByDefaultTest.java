package io.zeroagents.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.Agents;
import io.zeroagents.it.support.AgentProcesses;
import io.zeroagents.testkit.NameServerExtension;
import io.zeroagents.it.support.NameServerJar;
import io.zeroagents.it.support.Ports;
import io.zeroagents.testsupport.ChildProcess;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every port is assumed reachable by someone hostile: the daemon (nameserver.jar) and an agent
 * host refuse to serve plain text on an address other machines reach, say how to switch CURVE on,
 * start with CURVE, and start with the explicit consent to plain text, warning about it. Each side
 * in a JVM of its own, as users run them; strangers are plain clients with no key.
 */
@Timeout(120)
class SecureByDefaultTest {
    private static final Duration EXIT = Duration.ofSeconds(20);
    private static final String INSECURE_SETTING = "zeroagents.insecure.no.curve";

    @RegisterExtension
    final NameServerExtension ns = new NameServerExtension();

    @TempDir
    Path dir;

    /** This machine's address on its first network interface that is up: where strangers come from. */
    private static String networkAddress() throws SocketException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        return address.getHostAddress();
                    }
                }
            }
        }
        return "127.0.0.1"; // no network: the wildcard still includes loopback
    }

    private static ChildProcess daemon(String... args) throws IOException {
        return ChildProcess.jar("nameserver", NameServerJar.path(), args);
    }

    private static ChildProcess.Result cli(String... args) throws IOException, InterruptedException {
        return ChildProcess.runJar(NameServerJar.path(), args);
    }

    private Path keys() throws IOException, InterruptedException {
        Path keys = dir.resolve("keys");
        cli("keys", "init", keys.toString(), "--name", "it-host").assertSucceededPrinting("host 'it-host'");
        return keys;
    }

    private ChildProcess binder(List<String> jvmArgs, String agent, String address) throws IOException {
        return ChildProcess.main(agent, AgentProcesses.TcpBinder.class, jvmArgs, agent, address);
    }

    @Test
    void daemon_wildcardBindWithoutCurve_exitsNonZeroNamingTheFlagAndTheCurveRecipe() throws Exception {
        try (ChildProcess daemon = daemon("--bind", "tcp://0.0.0.0:" + Ports.free())) {
            ChildProcess.Result result = daemon.awaitEnd(EXIT);

            assertNotEquals(0, result.exitCode(), result.output());
            assertFalse(result.output().contains("Name server listening"), result.output());
            for (String named : List.of("--insecure-no-curve", "keys init DIR", "--curve DIR", "zeroagents.curve.dir")) {
                assertTrue(result.output().contains(named), () -> "missing '" + named + "' in:\n" + result.output());
            }
        }
    }

    @Test
    void daemon_wildcardBindWithCurve_startsAndServesOnlyKeyHolders() throws Exception {
        Path keys = keys();
        int port = Ports.free();
        String fromNetwork = "tcp://" + networkAddress() + ":" + port;
        try (ChildProcess daemon = daemon("--bind", "tcp://0.0.0.0:" + port, "--curve", keys.toString())) {
            daemon.awaitLine("Name server listening on ");

            cli("agents", "list", "--ns", fromNetwork, "--curve", keys.toString())
                    .assertSucceededPrinting("No agents registered");
            ChildProcess.Result stranger = cli("agents", "shutdown", "--ns", fromNetwork, "--timeout", "2000");

            assertEquals(1, stranger.exitCode(), stranger.output());
            assertTrue(daemon.isAlive(), daemon.output());
        }
    }

    @Test
    void daemon_wildcardBindWithInsecureFlag_startsWarnedAndAnswersStrangersButNotTheirShutdown() throws Exception {
        int port = Ports.free();
        try (ChildProcess daemon = daemon("--bind", "tcp://0.0.0.0:" + port, "--insecure-no-curve")) {
            daemon.awaitLine("Name server listening on ");
            daemon.awaitLine(line -> line.contains("WARN") && line.contains("plain text")
                    && line.contains(INSECURE_SETTING), Duration.ofSeconds(5));
            String fromNetwork = "tcp://" + networkAddress() + ":" + port;

            // What the flag costs: a plain client with no key, coming from the network, is answered...
            cli("agents", "list", "--ns", fromNetwork).assertSucceededPrinting("No agents registered");
            // ...though ending the daemon still takes the admin token, which only its user can read.
            ChildProcess.Result stranger = cli("agents", "shutdown", "--nameserver", "--ns", fromNetwork,
                    "--timeout", "2000");
            assertEquals(1, stranger.exitCode(), stranger.output());
            assertTrue(stranger.output().contains("admin token"), stranger.output());
            assertTrue(daemon.isAlive(), daemon.output());

            ChildProcess.Result admin = cli("agents", "shutdown", "--nameserver", "--ns", "tcp://127.0.0.1:" + port);
            assertEquals(0, admin.exitCode(), admin.output());
            assertEquals(0, daemon.awaitExit(EXIT), daemon.output());
        }
    }

    @Test
    void bind_wildcardWithoutCurve_isRefusedNamingAgentAliasAddressAndSettings() throws Exception {
        try (ChildProcess agent = binder(List.of("-Dzeroagents.nameserver=" + ns.nameServer().address()),
                "Probe", "0.0.0.0")) {
            ChildProcess.Result result = agent.awaitEnd(EXIT);

            assertEquals(1, result.exitCode(), result.output());
            String refusal = result.linesWith("REFUSED ").stream().findFirst().orElse(result.output());
            for (String named : List.of("'Probe'", "'in'", "tcp://0.0.0.0:*", "zeroagents.curve.dir", INSECURE_SETTING)) {
                assertTrue(refusal.contains(named), () -> "missing '" + named + "' in: " + refusal);
            }
        }
    }

    @Test
    void runAgent_wildcardDefaultHostWithoutCurve_isRefusedNamingTheControlEndpoint() throws Exception {
        try (ChildProcess agent = binder(List.of("-Dzeroagents.nameserver=" + ns.nameServer().address(),
                "-Dzeroagents.default.host=0.0.0.0"), "Probe", "0.0.0.0")) {
            ChildProcess.Result result = agent.awaitEnd(EXIT);

            assertEquals(1, result.exitCode(), result.output());
            String refusal = result.linesWith("REFUSED ").stream().findFirst().orElse(result.output());
            for (String named : List.of("'Probe'", "control endpoint", "tcp://0.0.0.0:*", "zeroagents.curve.dir",
                    INSECURE_SETTING)) {
                assertTrue(refusal.contains(named), () -> "missing '" + named + "' in: " + refusal);
            }
            assertTrue(ns.nameServer().agents().isEmpty(), () -> "registered: " + ns.nameServer().agents());
        }
    }

    @Test
    void bind_wildcardWithInsecureSetting_bindsAndWarnsAtStart() throws Exception {
        try (ChildProcess agent = binder(List.of("-Dzeroagents.nameserver=" + ns.nameServer().address(),
                "-Dzeroagents.default.host=0.0.0.0", "-D" + INSECURE_SETTING + "=true"), "Probe", "*")) {
            agent.awaitLine("BOUND ");

            assertTrue(agent.output().lines().anyMatch(line -> line.contains("WARN") && line.contains(INSECURE_SETTING)),
                    agent.output());
            assertEquals(List.of("Probe"), ns.nameServer().agents());
            ns.nameServer().shutdownAgents();
        }
    }

    @Test
    void bind_wildcardWithCurve_bindsAndRegistersWithACurveNameServer() throws Exception {
        Path keys = keys();
        int port = Ports.free();
        String nameServer = "tcp://127.0.0.1:" + port;
        try (ChildProcess daemon = daemon("--bind", nameServer, "--curve", keys.toString())) {
            daemon.awaitLine("Name server listening on ");
            try (ChildProcess agent = binder(List.of("-Dzeroagents.nameserver=" + nameServer,
                    "-Dzeroagents.default.host=0.0.0.0", "-Dzeroagents.curve.dir=" + keys), "Probe", "*")) {
                String bound = agent.awaitLine("BOUND ").substring("BOUND ".length());

                cli("agents", "addr", "--ns", nameServer, "--curve", keys.toString(), "Probe", "in")
                        .assertSucceededPrinting(bound);
                assertFalse(agent.output().contains(INSECURE_SETTING), agent.output());
            }
        }
    }
}
