package io.zeroagents.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.zeromq.ZCert;
import org.zeromq.ZConfig;

/**
 * A key directory's secrets stay its owner's: {@code init} makes them so from the start, and
 * {@code load} refuses secrets other users could read; the directory of the earlier layout (one
 * server key shared by every host) is refused, and {@code init} migrates it. POSIX file systems only.
 */
class CurveKeysTest {
    @TempDir
    Path parent;

    @BeforeEach
    void requirePosix() {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
                "POSIX permissions are not supported by this file system");
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void init_newDirectory_makesSecretsOwnerOnlyAndDirectoriesOwnersAlone() throws IOException {
        Path keys = parent.resolve("keys");

        CurveKeys.init(keys, "alpha");

        assertEquals("rw-------", permissions(keys.resolve(CurveKeys.HOST_FILE)));
        assertEquals("rwx------", permissions(keys));
        assertEquals("rwx------", permissions(keys.resolve(CurveKeys.AUTHORIZED_DIR)));
        assertEquals("rwx------", permissions(keys.resolve(CurveKeys.SERVERS_DIR)));
        assertTrue(Files.exists(keys.resolve(CurveKeys.AUTHORIZED_DIR).resolve("alpha.public")));
    }

    @ParameterizedTest
    @CsvSource({"host.secret, rw-r-----", "host.secret, rw-r--r--", "host.secret, rw----r--",
            "host.secret, rw--w----"})
    void load_secretOpenToGroupOrOthers_isRefusedNamingTheFileAndTheFix(String file, String open) throws IOException {
        Path keys = parent.resolve("keys");
        CurveKeys.init(keys, "alpha");
        Path secret = keys.resolve(file);
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString(open));

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> CurveKeys.load(keys));

        assertTrue(refused.getMessage().contains(secret.toString()), refused.getMessage());
        assertTrue(refused.getMessage().contains("chmod 600 " + secret), refused.getMessage());
    }

    @Test
    void load_secretsOwnerOnly_loadsTheKeysInitMade() throws IOException {
        Path keys = parent.resolve("keys");
        CurveKeys made = CurveKeys.init(keys, "alpha");

        assertEquals(made.publicKey(), CurveKeys.load(keys).publicKey());
    }

    @Test
    void init_twoHosts_eachGetsAKeyPairOfItsOwn() throws IOException {
        CurveKeys a = CurveKeys.init(parent.resolve("a"), "alpha");
        CurveKeys b = CurveKeys.init(parent.resolve("b"), "beta");

        assertNotEquals(a.publicKey(), b.publicKey());
        assertEquals(a.publicKey(), CurveKeys.init(parent.resolve("a"), "alpha").publicKey(), "init keeps a key it finds");
    }

    @Test
    void load_directoryOfTheSharedServerKeyLayout_isRefusedNamingTheMigration() throws IOException {
        Path keys = oldLayout();

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> CurveKeys.load(keys));

        for (String named : new String[] {keys.toString(), "server.secret", "keys init " + keys, "host.secret"}) {
            assertTrue(refused.getMessage().contains(named), () -> "missing '" + named + "' in: " + refused.getMessage());
        }
    }

    @Test
    void init_directoryOfTheSharedServerKeyLayout_keepsTheHostsKeyPairAndDeletesTheSharedOne() throws IOException {
        Path keys = oldLayout();
        String clientKey = ZConfig.load(keys.resolve("client.secret").toString()).getValue("curve/public-key");

        CurveKeys migrated = CurveKeys.init(keys, "alpha");

        assertEquals(clientKey, migrated.publicKey(), "the host's own key pair is kept, so allow-lists stay valid");
        assertFalse(Files.exists(keys.resolve("server.secret")), "the shared server key is gone");
        assertFalse(Files.exists(keys.resolve("client.secret")));
        assertEquals("rw-------", permissions(keys.resolve(CurveKeys.HOST_FILE)));
        assertEquals(clientKey, CurveKeys.load(keys).publicKey());
    }

    /** A key directory as the earlier {@code keys init} made it: a shared server key and the host's client key. */
    private Path oldLayout() throws IOException {
        Path keys = parent.resolve("old");
        Files.createDirectories(keys.resolve("authorized"));
        for (String file : new String[] {"server.secret", "client.secret"}) {
            Path path = keys.resolve(file);
            Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (java.io.Writer out = Files.newBufferedWriter(path)) {
                new ZCert().saveSecret(out);
            }
        }
        return keys;
    }

    @Test
    void serverKeyFor_endpointATrustedCertificateNames_isThatServersKey() throws IOException {
        CurveKeys here = CurveKeys.init(parent.resolve("here"), "here");
        CurveKeys server = CurveKeys.init(parent.resolve("server"), "ns-a");
        Path exported = exported(server);

        Path written = CurveKeys.trust(here.directory(), exported, List.of("tcp://10.0.0.5:9091", "tcp://ns-a:*"));

        assertEquals(here.directory().resolve(CurveKeys.SERVERS_DIR).resolve("ns-a.public"), written);
        assertEquals(server.publicKey(), here.serverKeyFor("tcp://10.0.0.5:9091"));
        assertEquals(server.publicKey(), here.serverKeyFor("tcp://NS-A:40123"), "any port of a host given with *");
    }

    @Test
    void serverKeyFor_endpointOnThisMachine_isThisHostsOwnKey() throws IOException {
        CurveKeys here = CurveKeys.init(parent.resolve("here"), "here");

        assertEquals(here.publicKey(), here.serverKeyFor("tcp://127.0.0.1:9091"));
        assertEquals(here.publicKey(), here.serverKeyFor("tcp://localhost:9091"));
    }

    @Test
    void serverKeyFor_unknownEndpointElsewhere_isRefusedNamingTheAddressAndWhatToAdd() throws IOException {
        CurveKeys here = CurveKeys.init(parent.resolve("here"), "here");

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> here.serverKeyFor("tcp://192.0.2.7:9091"));

        for (String named : new String[] {"tcp://192.0.2.7:9091", here.directory().resolve("servers").toString(),
                "keys export", "keys trust " + here.directory() + " FILE --endpoint tcp://192.0.2.7:9091"}) {
            assertTrue(refused.getMessage().contains(named), () -> "missing '" + named + "' in: " + refused.getMessage());
        }
    }

    @Test
    void serverKeyFor_twoCertificatesWithDifferentKeysForOneEndpoint_isRefusedNamingBoth() throws IOException {
        CurveKeys here = CurveKeys.init(parent.resolve("here"), "here");
        CurveKeys.trust(here.directory(), exported(CurveKeys.init(parent.resolve("a"), "a")), List.of("tcp://ns:9091"));
        CurveKeys.trust(here.directory(), exported(CurveKeys.init(parent.resolve("b"), "b")), List.of("tcp://ns:9091"));

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> here.serverKeyFor("tcp://ns:9091"));

        assertTrue(refused.getMessage().contains("a.public") && refused.getMessage().contains("b.public"),
                refused.getMessage());
    }

    @Test
    void trust_endpointThatIsNotTcp_isRefused() throws IOException {
        CurveKeys here = CurveKeys.init(parent.resolve("here"), "here");
        Path exported = exported(CurveKeys.init(parent.resolve("a"), "a"));

        assertThrows(IllegalArgumentException.class, () -> CurveKeys.trust(here.directory(), exported,
                List.of("10.0.0.5:9091")));
        assertThrows(IllegalArgumentException.class, () -> CurveKeys.trust(here.directory(), exported, List.of()));
    }

    @Test
    void publicCertificate_holdsTheNameAndPublicKeyButNoSecret() throws IOException {
        CurveKeys keys = CurveKeys.init(parent.resolve("keys"), "alpha");
        String secret = ZConfig.load(keys.directory().resolve(CurveKeys.HOST_FILE).toString())
                .getValue("curve/secret-key");

        String certificate = keys.publicCertificate();

        assertTrue(certificate.contains(keys.publicKey()) && certificate.contains("alpha"), certificate);
        assertFalse(certificate.contains(secret), "the secret key stays home");
    }

    private Path exported(CurveKeys keys) throws IOException {
        Path file = parent.resolve(keys.directory().getFileName() + "-export.public");
        Files.writeString(file, keys.publicCertificate());
        return file;
    }
}
