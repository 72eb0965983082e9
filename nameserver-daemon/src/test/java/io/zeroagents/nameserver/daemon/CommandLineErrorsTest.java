package io.zeroagents.nameserver.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.zeroagents.nameserver.NameServerClient;
import io.zeroagents.nameserver.NameServerService;
import io.zeroagents.nameserver.TestEntries;
import io.zeroagents.nameserver.registry.LocalRegistry;
import io.zeroagents.testsupport.ChildProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the command line says when something is wrong: one line a person can act on and an exit
 * code scripts can test (2 bad usage, 1 a failure at run time), never the whole usage or a stack
 * trace.
 */
@Timeout(60)
class CommandLineErrorsTest {
    @TempDir
    Path tokens;

    private record Run(int exitCode, String out, String err) {
    }

    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cli = NameServerDaemon.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void execute_unknownOption_saysItAndPointsAtHelpWithExitTwo() {
        Run run = cli("--bogus");

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("Unknown option: '--bogus'"), run.err());
        assertTrue(run.err().contains("Try 'nameserver --help' for more information."), run.err());
        assertFalse(run.err().contains("Usage:"), run.err());
    }

    @Test
    void execute_subcommandMistake_pointsAtThatSubcommandsHelp() {
        Run run = cli("agents", "list", "--timeout", "soon");

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("Try 'nameserver agents list --help'"), run.err());
    }

    @Test
    void execute_bindThatIsNoEndpoint_isBadUsage() {
        Run run = cli("--bind", "nonsense");

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--bind takes an endpoint such as tcp://127.0.0.1:9091"), run.err());
    }

    @Test
    void execute_unknownLogLevel_isBadUsage() {
        Run run = cli("--log-level", "loud", "--bind", "tcp://127.0.0.1:*");

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("'loud' is not a log level"), run.err());
    }

    @Test
    void execute_portInUse_failsInOneLineWithExitOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run run = cli("--bind", "tcp://127.0.0.1:" + taken.getLocalPort(), "--token-dir", tokens.toString());

            assertEquals(1, run.exitCode(), run.err());
            assertTrue(run.err().startsWith("nameserver: "), run.err());
            assertTrue(run.err().contains(String.valueOf(taken.getLocalPort())), run.err());
            assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
        }
    }

    @Test
    void agentsList_withoutNs_talksToTheNameServerTheEnvironmentNames() throws Exception {
        NameServerService service = NameServerService.builder().registry(new LocalRegistry(Duration.ofSeconds(30)))
                .start();
        try (service; NameServerClient host = new NameServerClient(service.address(), Duration.ofSeconds(5))) {
            host.register(TestEntries.agent("Alice", "host-a"), TestEntries.secret("host-a"));

            ChildProcess.Result result;
            try (ChildProcess child = ChildProcess.main("agents-list", NameServerDaemon.class, List.of(),
                    Map.of(AgentsCommand.NAMESERVER_ENV, service.address()), entry -> true, "agents", "list", "--json")) {
                result = child.awaitEnd(Duration.ofSeconds(30));
            }

            result.assertSucceededPrinting("\"name\" : \"Alice\"", "\"host\" : \"host-a\"");
        }
    }

    @Test
    void agentsList_withoutNsOrEnvironment_namesTheDefaultNameServer() {
        assumeTrue(System.getenv(AgentsCommand.NAMESERVER_ENV) == null, "the environment names a name server");
        picocli.CommandLine list = NameServerDaemon.commandLine().getSubcommands().get("agents").getSubcommands()
                .get("list");

        String defaultValue = list.getCommandSpec().findOption("--ns").defaultValue();

        assertEquals(AgentsCommand.DEFAULT_NAMESERVER, defaultValue);
    }
}
