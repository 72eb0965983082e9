package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentException;
import io.zeroagents.AgentOptions;
import io.zeroagents.NameServer;
import io.zeroagents.NameServerOptions;
import io.zeroagents.Proxy;
import io.zeroagents.nameserver.NameServerClient;
import io.zeroagents.nameserver.protocol.AgentEntry;
import io.zeroagents.runtime.internal.control.Mode;
import io.zeroagents.transport.AdminTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a proxy's admin token comes from: the host's token file on this machine, read again when
 * the host refuses the one it had; this JVM's own host's token in memory; none at all, which makes
 * it a member whose admin operations fail with a message saying how to become an admin.
 */
@Timeout(60)
class ControlClientTokenTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private final TestRuntime runtime = new TestRuntime();

    @AfterEach
    void close() {
        runtime.close();
    }

    private static int port(String endpoint) {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }

    private ControlClient clientReadingTokensFrom(Path directory, String endpoint) {
        return new ControlClient(endpoint, runtime.context, Duration.ofSeconds(1),
                ControlEndpoint.maxMessageBytes(TestRuntime.MAX_FRAME_BYTES), null, directory);
    }

    @Test
    void remoteProxy_withoutTheToken_isAMember_andAdminOperationsThrowSayingWhy() {
        runtime.agent("Target").setAttr("x", 7);
        try (ControlEndpoint endpoint = runtime.controlEndpoint(Duration.ZERO);
             ControlClient client = clientReadingTokensFrom(dir, endpoint.endpoint())) {
            Proxy member = new RemoteProxy("Target", client, Mode.SAFE, runtime.codecs, WAIT);

            assertEquals("pong", member.ping());
            AgentException refused = assertThrows(AgentException.class, () -> member.setAttr("x", 8));
            assertEquals(AgentException.class, refused.getClass());
            for (String named : new String[] {"'set_attr'", "'Target'", endpoint.endpoint(), "admin token",
                ControlAccess.defaultDirectory().resolve("control-" + port(endpoint.endpoint()) + ".token").toString()}) {
                assertTrue(refused.getMessage().contains(named), "'" + named + "' missing: " + refused.getMessage());
            }
            assertThrows(AgentException.class, member::shutdown);
            assertEquals(7, runtime.core("Target").attributes().get("x"));
            assertEquals(2, endpoint.refusedRequests());
        }
    }

    @Test
    void call_tokenFileReplacedSinceTheClientReadIt_isSentAgainWithTheNewToken() throws Exception {
        runtime.agent("Target").setAttr("x", 7);
        try (ControlEndpoint endpoint = runtime.controlEndpoint(Duration.ZERO)) {
            Path file = AdminTokens.file(dir, ControlAccess.PREFIX, port(endpoint.endpoint()));
            AdminTokens.write(file, AdminTokens.generate());
            try (ControlClient client = clientReadingTokensFrom(dir, endpoint.endpoint())) {
                // The host restarted on the port since: its file holds its new token.
                AdminTokens.write(file, endpoint.adminToken());
                Proxy admin = new RemoteProxy("Target", client, Mode.SAFE, runtime.codecs, WAIT);

                admin.setAttr("x", 8);

                assertEquals(8, admin.getAttr("x", Integer.class));
                assertEquals(1, endpoint.refusedRequests(), "the stale token was refused once, then not sent again");
            }
        }
    }

    @Test
    void remoteProxy_toThisJvmsOwnHost_usesItsTokenWithoutTheFile() throws Exception {
        JeroMqRuntime jvm = new JeroMqRuntime(Settings.from(Map.of("zeroagents.default.timeout", "5000")::get, Map.of()));
        try {
            NameServer ns = jvm.runNameServer(NameServerOptions.defaults());
            jvm.runAgent("Own", AgentOptions.builder().nameServer(ns.address()).build()).setAttr("x", 1);
            AgentEntry entry;
            try (NameServerClient names = new NameServerClient(ns.address(), WAIT)) {
                entry = names.lookup("Own");
            }
            Path file = AdminTokens.file(ControlAccess.defaultDirectory(), ControlAccess.PREFIX,
                    port(entry.getControlEndpoint()));
            assertTrue(Files.exists(file), "the host wrote no token file");
            Files.delete(file);

            Proxy remote = jvm.remoteProxy("Own", entry);
            remote.setAttr("x", 2);

            assertTrue(remote instanceof RemoteProxy, remote.toString());
            assertEquals(2, remote.getAttr("x", Integer.class));
        } finally {
            jvm.close();
        }
    }
}
