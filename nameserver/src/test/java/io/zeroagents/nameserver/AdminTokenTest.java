package io.zeroagents.nameserver;

import static io.zeroagents.nameserver.TestEntries.agent;
import static io.zeroagents.nameserver.TestEntries.secret;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.NameServerException;
import io.zeroagents.UnknownAgentException;
import io.zeroagents.nameserver.registry.LocalRegistry;
import io.zeroagents.transport.CurveKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin of a name server: whoever holds its token (written owner-only where the command line
 * finds it) or, with CURVE, a key the key directory's admins file lists. Members may read and
 * change their own entries, nothing more.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AdminTokenTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private NameServerServiceBuilder server() {
        return NameServerService.builder().registry(new LocalRegistry(Duration.ofSeconds(30)))
                .adminTokenDirectory(dir.resolve("tokens"));
    }

    private static int port(NameServerService service) {
        return Integer.parseInt(service.address().substring(service.address().lastIndexOf(':') + 1));
    }

    @Test
    void start_writesTheTokenOwnerOnly_andCloseDeletesIt() throws Exception {
        NameServerService service = server().start();
        Path file = AdminToken.file(dir.resolve("tokens"), port(service));
        try {
            assertEquals(Optional.of(file), service.adminTokenFile());
            assertEquals(service.adminToken(), Files.readString(file).strip());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
            try (var listed = Files.list(file.getParent())) {
                assertEquals(List.of(file), listed.toList(), "no temporary file left behind");
            }
        } finally {
            service.close();
        }
        assertFalse(Files.exists(file), "the token outlived its name server");
    }

    @Test
    void start_twice_makesANewTokenEachTime() {
        try (NameServerService first = server().start(); NameServerService second = server().start()) {
            assertNotEquals(first.adminToken(), second.adminToken());
            assertTrue(first.adminToken().length() >= 40, first.adminToken());
        }
    }

    @Test
    void noTokenDirectory_noFile_andTheRefusalSaysOnlyTheProgramHoldsTheToken() {
        try (NameServerService service = server().adminTokenDirectory(null).start();
             NameServerClient client = new NameServerClient(service.address(), TIMEOUT)) {
            NameServerException refused = assertThrows(NameServerException.class,
                    () -> client.stopAgents(List.of(), null));

            assertEquals(Optional.empty(), service.adminTokenFile());
            assertTrue(refused.getMessage().contains("stop_agents needs the admin token; only the program that runs"
                    + " this name server holds it"), refused.getMessage());
        }
    }

    @Test
    void forAddress_readsTheTokenOfALoopbackNameServerOnly() throws Exception {
        try (NameServerService service = server().start()) {
            Path tokens = dir.resolve("tokens");
            int port = port(service);

            assertEquals(Optional.of(service.adminToken()), AdminToken.forAddress(tokens, service.address()));
            assertEquals(Optional.of(service.adminToken()), AdminToken.forAddress(tokens, "tcp://localhost:" + port));
            assertEquals(Optional.empty(), AdminToken.forAddress(tokens, "tcp://192.0.2.7:" + port),
                    "another machine's name server must not get this one's token");
            assertEquals(Optional.empty(), AdminToken.forAddress(tokens, "tcp://127.0.0.1:1"));
        }
    }

    @Test
    void adminToken_stopsAgentsEvictsAndShutsDown() throws Exception {
        try (NameServerService service = server().acceptsShutdown(true).start();
             NameServerClient client = new NameServerClient(service.address(), TIMEOUT)) {
            client.register(agent("Alice", "h1"), secret("h1"));
            client.register(agent("Bob", "h2"), secret("h2"));
            String token = AdminToken.forAddress(dir.resolve("tokens"), service.address()).orElseThrow();

            assertEquals(List.of("Alice"), client.stopAgents(List.of("Alice"), token));
            assertEquals("h2", client.evict("Bob", token).getHostId());
            assertThrows(UnknownAgentException.class, () -> client.evict("Bob", token));
            assertEquals(List.of("Alice"), client.list().stream().map(e -> e.getName()).toList());
            assertEquals(List.of("Bob"), client.heartbeat("h2", secret("h2"), List.of("Bob")).getUnknownNamesList(),
                    "an evicted host learns that its name is gone");
            client.shutdownServer(token);

            service.shutdownRequested().get(5, TimeUnit.SECONDS);
            assertEquals(0, service.refusedRequests());
        }
    }

    @Test
    void curveAdminKey_isAnAdminWithoutToken_andAMembersKeyIsNot() throws Exception {
        Path serverDir = dir.resolve("server");
        Path memberDir = dir.resolve("member");
        // Two hosts, each with its own key pair: the name server's, which is also the admin's key, and
        // a member's, whom the name server lets in and who trusts the name server's key.
        CurveKeys admin = CurveKeys.init(serverDir, "admin");
        CurveKeys member = CurveKeys.init(memberDir, "member");
        Files.writeString(serverDir.resolve(CurveKeys.AUTHORIZED_DIR).resolve("member.public"),
                member.publicCertificate());
        Files.writeString(serverDir.resolve(AdminToken.ADMINS_FILE),
                "# the admins of this system\n" + admin.publicKey() + "  # alice's laptop\n");
        Path serverCertificate = dir.resolve("server.public");
        Files.writeString(serverCertificate, admin.publicCertificate());

        try (NameServerService service = server().curve(CurveKeys.load(serverDir)).start();
             NameServerClient asAdmin = new NameServerClient(service.address(), TIMEOUT, admin);
             NameServerClient asMember = new NameServerClient(trusted(memberDir, serverCertificate, service.address()),
                     TIMEOUT, member)) {
            asMember.register(agent("Alice", "h1"), secret("h1"));

            NameServerException refused = assertThrows(NameServerException.class,
                    () -> asMember.stopAgents(List.of(), null));
            assertTrue(refused.getMessage().contains("or a CURVE key listed in "
                    + serverDir.resolve(AdminToken.ADMINS_FILE) + " (this client's key "
                    + member.publicKey() + " is not)"), refused.getMessage());
            assertEquals(List.of("Alice"), asMember.list().stream().map(e -> e.getName()).toList(),
                    "a member still reads");

            assertEquals(List.of("Alice"), asAdmin.stopAgents(List.of(), null));
            assertEquals(List.of("Alice"), asMember.stopAgents(List.of(), service.adminToken()),
                    "the token works over CURVE too");
        }
    }

    /** Trusts a server's certificate at its address, in a key directory; returns the address. */
    private static String trusted(Path keys, Path certificate, String address) throws java.io.IOException {
        CurveKeys.trust(keys, certificate, List.of(address));
        return address;
    }
}
