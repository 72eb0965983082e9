package io.zeroagents.nameserver.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.nameserver.AdminToken;
import io.zeroagents.nameserver.NameServerClient;
import io.zeroagents.nameserver.NameServerService;
import io.zeroagents.testsupport.Await;
import io.zeroagents.testsupport.SystemProperties;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import picocli.CommandLine;

/** The daemon's {@code --http} and {@code --admin} options, and how it refuses a bad setting. */
@Timeout(30)
class ConsoleDaemonTest {
    @TempDir
    Path tokens;

    @Test
    void http_servesTheConsoleOnAPortItPrints_untilTheNameServerShutsDown() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new NameServerDaemon());
        cli.setOut(new PrintWriter(out, true));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() ->
                cli.execute("--bind", "tcp://127.0.0.1:*", "--http", "0", "--token-dir", tokens.toString()));
        Await.until(Duration.ofSeconds(20), () -> out.toString().contains("Console on "),
                "the daemon to print its console's address");
        Matcher console = java.util.regex.Pattern.compile("Console on (http://\\S+) \\(read-only\\)").matcher(out.toString());
        Matcher nameServer = java.util.regex.Pattern.compile("listening on (tcp://\\S+)").matcher(out.toString());
        assertTrue(console.find() && nameServer.find(), out.toString());

        HttpResponse<String> snapshot = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(console.group(1)).resolve("/api/snapshot")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, snapshot.statusCode());
        assertTrue(snapshot.body().contains("\"nameServer\":\"" + nameServer.group(1) + "\""), snapshot.body());

        try (NameServerClient client = new NameServerClient(nameServer.group(1), Duration.ofSeconds(5))) {
            client.shutdownServer(AdminToken.forAddress(tokens, nameServer.group(1)).orElseThrow());
        }
        assertEquals(0, exit.get());
    }

    @Test
    void admin_withoutHttp_isBadUsage() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new NameServerDaemon());
        cli.setErr(new PrintWriter(err, true));

        int code = cli.execute("--bind", "tcp://127.0.0.1:*", "--admin");

        assertEquals(2, code);
        assertTrue(err.toString().contains("--admin needs --http"), err.toString());
    }

    @Test
    @ResourceLock(Resources.SYSTEM_PROPERTIES)
    void start_badSpinProperty_isBadUsageNamingTheProperty() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new NameServerDaemon());
        cli.setErr(new PrintWriter(err, true));
        int code = SystemProperties.with(NameServerService.SPIN_PROPERTY, "fast",
                () -> cli.execute("--bind", "tcp://127.0.0.1:*"));

        assertEquals(2, code);
        assertTrue(err.toString().contains("Bad value 'fast' for " + NameServerService.SPIN_PROPERTY), err.toString());
    }
}
