package io.zeroagents.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A key directory's secrets stay its owner's: {@code init} makes them so from the start, and
 * {@code load} refuses secrets other users could read. POSIX file systems only.
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

        assertEquals("rw-------", permissions(keys.resolve(CurveKeys.SERVER_FILE)));
        assertEquals("rw-------", permissions(keys.resolve(CurveKeys.CLIENT_FILE)));
        assertEquals("rwx------", permissions(keys));
        assertEquals("rwx------", permissions(keys.resolve(CurveKeys.AUTHORIZED_DIR)));
        assertTrue(Files.exists(keys.resolve(CurveKeys.AUTHORIZED_DIR).resolve("alpha.public")));
    }

    @ParameterizedTest
    @CsvSource({"server.secret, rw-r-----", "server.secret, rw-r--r--", "client.secret, rw----r--",
            "client.secret, rw--w----"})
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

        assertEquals(made.clientPublicKey(), CurveKeys.load(keys).clientPublicKey());
    }
}
