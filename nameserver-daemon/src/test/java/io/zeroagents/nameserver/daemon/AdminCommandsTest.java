package io.zeroagents.nameserver.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.nameserver.AdminToken;
import io.zeroagents.nameserver.NameServerClient;
import io.zeroagents.nameserver.TestEntries;
import io.zeroagents.testsupport.Await;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The command line's admin commands against a running daemon: {@code agents shutdown} and
 * {@code agents evict} read the daemon's admin token from its file, and without it they are refused
 * with the path of the file they need.
 */
@Timeout(60)
class AdminCommandsTest {
    @TempDir
    Path tokens;

    private final StringWriter daemonOut = new StringWriter();
    private CompletableFuture<Integer> daemon;
    private String address;

    @BeforeEach
    void startDaemon() {
        CommandLine cli = new CommandLine(new NameServerDaemon());
        cli.setOut(new PrintWriter(daemonOut, true));
        daemon = CompletableFuture.supplyAsync(() ->
                cli.execute("--bind", "tcp://127.0.0.1:*", "--token-dir", tokens.toString()));
        Await.until(Duration.ofSeconds(20), () -> daemonOut.toString().contains("Admin token in "),
                "the daemon to start and print where its admin token is");
        Matcher listening = java.util.regex.Pattern.compile("listening on (tcp://\\S+)").matcher(daemonOut.toString());
        assertTrue(listening.find(), daemonOut.toString());
        address = listening.group(1);
    }

    @AfterEach
    void stopDaemon() throws Exception {
        if (!daemon.isDone()) {
            try (NameServerClient client = new NameServerClient(address, Duration.ofSeconds(5))) {
                client.shutdownServer(AdminToken.forAddress(tokens, address).orElseThrow());
            }
        }
        assertEquals(0, daemon.get(20, TimeUnit.SECONDS));
    }

    private record Run(int exitCode, String out, String err) {
    }

    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new NameServerDaemon());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void agentsShutdown_withTheTokenFile_stopsTheAgentThroughItsHost() throws Exception {
        try (NameServerClient host = new NameServerClient(address, Duration.ofSeconds(5))) {
            host.register(TestEntries.agent("Alice", "h1"), TestEntries.secret("h1"));
            CompletableFuture<Run> shutdown = CompletableFuture.supplyAsync(() -> cli("agents", "shutdown", "--ns",
                    address, "--token-dir", tokens.toString(), "--wait", "10000", "Alice"));

            // The host's part: its next heartbeat hands it the stop, and it unregisters the agent.
            Await.until(Duration.ofSeconds(10), () -> host.heartbeat("h1", TestEntries.secret("h1"),
                    List.of("Alice")).getStopNamesList().contains("Alice"), "the stop to reach the host");
            host.unregister("Alice", TestEntries.secret("h1"));

            Run run = shutdown.get(20, TimeUnit.SECONDS);
            assertEquals(0, run.exitCode(), run.err());
            assertTrue(run.out().contains("Stopped 1 agent(s): [Alice]"), run.out());
        }
    }

    @Test
    void agentsShutdownAndEvict_withoutTheToken_refusedNamingTheFile() throws Exception {
        Path elsewhere = Files.createDirectories(tokens.resolve("empty"));
        String file = AdminToken.file(tokens, Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)))
                .toString();
        try (NameServerClient host = new NameServerClient(address, Duration.ofSeconds(5))) {
            host.register(TestEntries.agent("Alice", "h1"), TestEntries.secret("h1"));

            Run stop = cli("agents", "shutdown", "--ns", address, "--token-dir", elsewhere.toString(), "--nameserver");
            Run evict = cli("agents", "evict", "--ns", address, "--token-dir", elsewhere.toString(), "Alice");

            assertEquals(NameServerDaemon.EXIT_FAILURE, stop.exitCode(), stop.out());
            assertTrue(stop.err().contains("stop_agents needs the admin token; the CLI reads it from " + file),
                    stop.err());
            assertEquals(NameServerDaemon.EXIT_FAILURE, evict.exitCode(), evict.out());
            assertTrue(evict.err().contains("evict needs the admin token; the CLI reads it from " + file), evict.err());
            assertEquals("h1", host.lookup("Alice").getHostId(), "Alice was touched");
            assertEquals(List.of(), host.heartbeat("h1", TestEntries.secret("h1"), List.of("Alice"))
                    .getStopNamesList());
        }
    }

    @Test
    void agentsEvict_thenShutdownWithNameserver_evictsTheNameAndEndsTheDaemon() throws Exception {
        try (NameServerClient host = new NameServerClient(address, Duration.ofSeconds(5))) {
            host.register(TestEntries.agent("Bob", "h2"), TestEntries.secret("h2"));

            Run evict = cli("agents", "evict", "--ns", address, "--token-dir", tokens.toString(), "Bob");
            assertEquals(0, evict.exitCode(), evict.err());
            assertTrue(evict.out().contains("Evicted agent 'Bob' of host h2"), evict.out());
            assertTrue(host.list().isEmpty());

            Run shutdown = cli("agents", "shutdown", "--ns", address, "--token-dir", tokens.toString(),
                    "--nameserver");
            assertEquals(0, shutdown.exitCode(), shutdown.err());
            assertTrue(shutdown.out().contains("Name server " + address + " is shutting down"), shutdown.out());
        }
        assertEquals(0, daemon.get(20, TimeUnit.SECONDS));
        assertTrue(Files.notExists(AdminToken.file(tokens,
                Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)))), "the token file outlived the daemon");
    }
}
