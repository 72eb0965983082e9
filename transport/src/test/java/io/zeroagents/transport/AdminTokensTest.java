package io.zeroagents.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server's admin token: written owner-only under a name made of its kind and port, read back by
 * clients for servers of this machine only, deleted when the server closes.
 */
class AdminTokensTest {
    @TempDir
    Path dir;

    @Test
    void issue_writesTheTokenOwnerOnly_andCloseDeletesIt() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX only");
        Path tokens = dir.resolve("tokens");
        Path file = AdminTokens.file(tokens, "control", 4711);
        try (AdminTokens.Issued issued = AdminTokens.issue(tokens, "control", 4711, "Test server")) {
            assertEquals(Optional.of(file), issued.file());
            assertEquals(tokens.resolve("control-4711.token"), file);
            assertEquals(Optional.of(issued.token()), AdminTokens.read(file));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokens)));
            assertEquals(AdminTokens.TOKEN_BYTES, AdminTokens.bytes(issued.token()).length);
            try (AdminTokens.Issued next = AdminTokens.issue(null, "control", 4711, "Test server")) {
                assertNotEquals(issued.token(), next.token());
                assertEquals(Optional.empty(), next.file());
            }
        }
        assertFalse(Files.exists(file), "the token outlived its server");
    }

    @Test
    void forThisMachine_readsTheTokenOfAServerOfThisMachineOnly() throws Exception {
        Path tokens = dir.resolve("tokens");
        try (AdminTokens.Issued issued = AdminTokens.issue(tokens, "control", 4712, "Test server")) {
            Optional<String> token = Optional.of(issued.token());

            assertEquals(token, AdminTokens.forThisMachine(tokens, "control", "tcp://127.0.0.1:4712"));
            assertEquals(token, AdminTokens.forThisMachine(tokens, "control", "tcp://localhost:4712"));
            assertEquals(token, AdminTokens.forThisMachine(tokens, "control", "tcp://[::1]:4712"));
            assertEquals(Optional.empty(), AdminTokens.forThisMachine(tokens, "nameserver", "tcp://127.0.0.1:4712"),
                    "another kind of server's file");
            assertEquals(Optional.empty(), AdminTokens.forThisMachine(tokens, "control", "tcp://192.0.2.7:4712"),
                    "another machine's server must not get this one's token");
            assertEquals(Optional.empty(), AdminTokens.forThisMachine(tokens, "control", "tcp://example.com:4712"),
                    "a name proves nothing about where it points");
            assertEquals(Optional.empty(), AdminTokens.forThisMachine(tokens, "control", "tcp://0.0.0.0:4712"));
            assertEquals(Optional.empty(), AdminTokens.forThisMachine(tokens, "control", "ipc://control"));
        }
    }

    @Test
    void onThisMachine_anAddressOfOneOfItsInterfaces_isThisMachineButNoLoopback() throws Exception {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                List<InetAddress> addresses = Collections.list(nic.getInetAddresses());
                for (InetAddress address : addresses) {
                    if (address instanceof Inet4Address) {
                        assertTrue(AdminTokens.onThisMachine(address.getHostAddress()), address.toString());
                        assertFalse(AdminTokens.loopback(address.getHostAddress()), address.toString());
                    }
                }
            }
        }
        assertTrue(AdminTokens.loopback("localhost") && AdminTokens.loopback("[::1]") && AdminTokens.loopback("127.0.0.1"));
        assertFalse(AdminTokens.loopback("example.com"));
        assertTrue(AdminTokens.onThisMachine("127.0.0.2"));
        assertFalse(AdminTokens.onThisMachine("203.0.113.66"));
        assertFalse(AdminTokens.onThisMachine(""));
    }

    @Test
    void matches_comparesWholeTokens_andNothingMatchesNothing() {
        String token = AdminTokens.generate();

        assertTrue(AdminTokens.matches(token, token));
        assertFalse(AdminTokens.matches(token, token.substring(1)));
        assertFalse(AdminTokens.matches(token, ""));
        assertFalse(AdminTokens.matches(token, null));
    }
}
