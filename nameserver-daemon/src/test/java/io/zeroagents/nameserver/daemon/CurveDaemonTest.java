package io.zeroagents.nameserver.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * {@code keys init} makes a host's key directory; a name server started with it answers only clients
 * it lets in, clients of other hosts reach it by address once they trust its exported certificate,
 * and without keys the daemon refuses to serve beyond loopback.
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
        assertTrue(Files.exists(dir.resolve(CurveKeys.HOST_FILE))
                && Files.exists(dir.resolve(CurveKeys.AUTHORIZED_DIR).resolve("alpha.public")), out.toString());
        assertTrue(out.toString().contains("host 'alpha'"), out.toString());

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
    void keysInit_twice_keepsTheHostsKeyPair() throws Exception {
        CurveKeys first = CurveKeys.init(dir, "alpha");
        String host = Files.readString(dir.resolve(CurveKeys.HOST_FILE));
        CurveKeys second = CurveKeys.init(dir, "alpha");
        assertEquals(host, Files.readString(dir.resolve(CurveKeys.HOST_FILE)));
        assertEquals(first.publicKey(), second.publicKey());
    }

    @Test
    void keysExportAndTrust_anotherHostsNameServer_isReachedByAddressWithItsOwnKey() throws Exception {
        Path serverDir = dir.resolve("ns-host");
        Path clientDir = dir.resolve("cli-host");
        Path exported = dir.resolve("ns-host.public");
        assertEquals(0, cli().execute("keys", "init", serverDir.toString(), "--name", "ns-host"));
        assertEquals(0, cli().execute("keys", "init", clientDir.toString(), "--name", "cli-host"));
        assertEquals(0, cli().execute("keys", "export", serverDir.toString(), "--output", exported.toString()));
        StringWriter printed = new StringWriter();
        CommandLine export = cli();
        export.setOut(new PrintWriter(printed, true));
        assertEquals(0, export.execute("keys", "export", clientDir.toString()));
        // Each host hands the other only its public certificate.
        Files.writeString(serverDir.resolve(CurveKeys.AUTHORIZED_DIR).resolve("cli-host.public"), printed.toString());
        assertFalse(printed.toString().contains("secret-key"), printed.toString());

        CurveKeys server = CurveKeys.load(serverDir);
        try (NameServerService service = NameServerService.builder()
                .registry(new LocalRegistry(Duration.ofSeconds(5))).curve(server).start()) {
            StringWriter trusted = new StringWriter();
            CommandLine trust = cli();
            trust.setOut(new PrintWriter(trusted, true));
            assertEquals(0, trust.execute("keys", "trust", clientDir.toString(), exported.toString(),
                    "--endpoint", service.address()));
            assertTrue(trusted.toString().contains("ns-host.public"), trusted.toString());

            try (NameServerClient client = new NameServerClient(service.address(), Duration.ofSeconds(3),
                    CurveKeys.load(clientDir))) {
                assertTrue(client.list().isEmpty());
            }
        }
    }

    @Test
    void curve_directoryOfTheSharedServerKeyLayout_isBadUsageNamingTheMigration() throws Exception {
        Files.createDirectories(dir.resolve("old"));
        try (java.io.Writer out = Files.newBufferedWriter(Files.createFile(dir.resolve("old").resolve("server.secret"),
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"))))) {
            new org.zeromq.ZCert().saveSecret(out);
        }
        StringWriter err = new StringWriter();
        CommandLine cli = cli();
        cli.setErr(new PrintWriter(err, true));

        int code = cli.execute("--curve", dir.resolve("old").toString());

        assertEquals(2, code);
        assertTrue(err.toString().contains("keys init " + dir.resolve("old")), err.toString());
    }

    private static CommandLine cli() {
        return new CommandLine(new NameServerDaemon());
    }
}
