package io.zeroagents.nameserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.zeroagents.nameserver.registry.LocalRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A name server that starts deletes the admin token files killed name servers left behind (their
 * port is free), and keeps those of name servers still running, or of ports something still holds.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StaleTokensTest {
    @TempDir
    Path tokens;

    private NameServerService start() {
        return NameServerService.builder().registry(new LocalRegistry(Duration.ofSeconds(30)))
                .adminTokenDirectory(tokens).start();
    }

    /** A port nothing listens on any more, as a killed name server leaves it. */
    private static int freedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void start_tokenOfAPortNothingListensOn_isDeleted() throws Exception {
        Path stale = AdminToken.file(tokens, freedPort());
        AdminToken.write(stale, "left-by-a-killed-name-server");

        try (NameServerService service = start()) {
            assertFalse(Files.exists(stale), "the killed name server's token is gone");
            assertEquals(service.adminToken(), AdminToken.read(service.adminTokenFile().orElseThrow()).orElseThrow());
        }
    }

    @Test
    void start_tokenOfARunningNameServer_isKept() throws Exception {
        try (NameServerService first = start(); NameServerService second = start()) {
            Path firstFile = first.adminTokenFile().orElseThrow();

            assertEquals(Optional.of(first.adminToken()), AdminToken.read(firstFile));
            assertEquals(Optional.of(second.adminToken()), AdminToken.read(second.adminTokenFile().orElseThrow()));
        }
    }

    @Test
    void start_tokenOfAPortHeldOnAnotherLoopbackAddress_isKept() throws Exception {
        // Something holds the port on one address only (not the wildcard, not 127.0.0.1): it counts.
        try (ServerSocket holder = new ServerSocket()) {
            try {
                holder.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
            } catch (IOException e) {
                assumeTrue(false, "127.0.0.2 is not a loopback address here: " + e.getMessage());
            }
            Path held = AdminToken.file(tokens, holder.getLocalPort());
            AdminToken.write(held, "maybe-alive");

            try (NameServerService service = start()) {
                assertEquals(Optional.of("maybe-alive"), AdminToken.read(held));
                assertTrue(service.adminTokenFile().isPresent());
            }
        }
    }

    @Test
    void start_temporaryFileOfAWriteCutShort_isDeletedOnceAMinuteOld() throws Exception {
        Files.createDirectories(tokens);
        Path old = Files.writeString(tokens.resolve("nameserver-1234.token5678.new"), "half");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(StaleTokens.TEMPORARY_AGE).minusSeconds(5)));
        Path fresh = Files.writeString(tokens.resolve("nameserver-1235.token9012.new"), "being written");

        try (NameServerService service = start()) {
            assertFalse(Files.exists(old));
            assertTrue(Files.exists(fresh), "a write may still be under way");
            assertTrue(service.adminTokenFile().isPresent());
        }
    }
}
