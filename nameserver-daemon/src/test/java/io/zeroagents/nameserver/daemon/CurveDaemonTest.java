package io.zeroagents.nameserver.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.NameServerException;
import io.zeroagents.nameserver.NameServerClient;
import io.zeroagents.nameserver.NameServerService;
import io.zeroagents.nameserver.registry.LocalRegistry;
import io.zeroagents.transport.CurveKeys;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code keys init} makes a key directory; a name server started with it answers only clients with the
 * keys, and without it the daemon refuses to serve beyond loopback.
 */
@Timeout(30)
class CurveDaemonTest {
    @TempDir
    Path dir;

    @Test
    void keysInit_thenCurveNameServer_servesKeyHoldersAndRefusesOthers() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new NameServerDaemon());
        cli.setOut(new PrintWriter(out, true));
        assertEquals(0, cli.execute("keys", "init", dir.toString(), "--name", "alpha"));
        assertTrue(Files.exists(dir.resolve(CurveKeys.SERVER_FILE)) && Files.exists(dir.resolve(CurveKeys.CLIENT_FILE))
                && Files.exists(dir.resolve(CurveKeys.AUTHORIZED_DIR).resolve("alpha.public")), out.toString());
        assertTrue(out.toString().contains("client 'alpha'"), out.toString());

        CurveKeys keys = CurveKeys.load(dir);
        try (NameServerService service = NameServerService.builder()
                .registry(new LocalRegistry(Duration.ofSeconds(5))).curve(keys).start();
             NameServerClient holder = new NameServerClient(service.address(), Duration.ofSeconds(3), keys);
             NameServerClient stranger = new NameServerClient(service.address(), Duration.ofSeconds(1))) {
            assertTrue(holder.list().isEmpty());
            assertThrows(NameServerException.class, stranger::list);
        }
    }

    @Test
    void bind_wildcardWithoutCurve_isBadUsageNamingTheFlagAndTheRecipe() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new NameServerDaemon());
        cli.setErr(new PrintWriter(err, true));

        int code = cli.execute("--bind", "tcp://0.0.0.0:0");

        assertEquals(2, code);
        for (String named : new String[] {"tcp://0.0.0.0:0", "--insecure-no-curve", "keys init DIR", "--curve DIR"}) {
            assertTrue(err.toString().contains(named), () -> "missing '" + named + "' in: " + err);
        }
    }

    @Test
    void keysInit_twice_keepsTheSystemServerKey() throws Exception {
        CurveKeys first = CurveKeys.init(dir, "alpha");
        String server = Files.readString(dir.resolve(CurveKeys.SERVER_FILE));
        CurveKeys second = CurveKeys.init(dir, "alpha");
        assertEquals(server, Files.readString(dir.resolve(CurveKeys.SERVER_FILE)));
        assertEquals(first.clientPublicKey(), second.clientPublicKey());
    }
}
