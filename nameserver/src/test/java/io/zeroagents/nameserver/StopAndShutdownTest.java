package io.zeroagents.nameserver;

import static io.zeroagents.nameserver.TestEntries.secret;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.NameServerException;
import io.zeroagents.nameserver.registry.LocalRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Stop requests travel to hosts in heartbeat answers; only a daemon accepts a shutdown request. Both
 * come from an admin here, with the service's token; {@link NameServerAttackTest} and
 * {@link AdminTokenTest} try them without.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StopAndShutdownTest {

    @Test
    void stopAgents_namedAgent_isHandedToItsHostWithTheNextHeartbeatOnly() {
        try (NameServerService service = NameServerService.builder()
                .registry(new LocalRegistry(Duration.ofSeconds(5))).start();
             NameServerClient client = new NameServerClient(service.address(), Duration.ofSeconds(5))) {
            client.register(TestEntries.agent("Alice", "h1"), secret("h1"));
            client.register(TestEntries.agent("Bob", "h2"), secret("h2"));

            assertEquals(List.of("Alice"), client.stopAgents(List.of("Alice", "Nobody"), service.adminToken()));

            assertEquals(List.of("Alice"), client.heartbeat("h1", secret("h1"), List.of("Alice")).getStopNamesList());
            assertEquals(List.of(), client.heartbeat("h2", secret("h2"), List.of("Bob")).getStopNamesList());
            client.unregister("Alice", secret("h1"));
            client.register(TestEntries.agent("Alice", "h1"), secret("h1"));
            assertEquals(List.of(), client.heartbeat("h1", secret("h1"), List.of("Alice")).getStopNamesList(),
                    "a stop request ends with the agent it was for");
        }
    }

    @Test
    void stopAgents_noNames_marksEveryAgent() {
        try (NameServerService service = NameServerService.builder()
                .registry(new LocalRegistry(Duration.ofSeconds(5))).start();
             NameServerClient client = new NameServerClient(service.address(), Duration.ofSeconds(5))) {
            client.register(TestEntries.agent("Alice", "h1"), secret("h1"));
            client.register(TestEntries.agent("Bob", "h2"), secret("h2"));

            assertEquals(List.of("Alice", "Bob"), client.stopAgents(List.of(), service.adminToken()));
        }
    }

    @Test
    void shutdownServer_embeddedService_refusesAndKeepsServing() {
        try (NameServerService service = NameServerService.builder()
                .registry(new LocalRegistry(Duration.ofSeconds(5))).start();
             NameServerClient client = new NameServerClient(service.address(), Duration.ofSeconds(5))) {
            NameServerException refused = assertThrows(NameServerException.class,
                    () -> client.shutdownServer(service.adminToken()));

            assertTrue(refused.getMessage().contains("embedded"), refused.getMessage());
            assertFalse(service.shutdownRequested().isDone());
            assertEquals(service.serverId(), client.ping());
        }
    }

    @Test
    void shutdownServer_daemonService_completesShutdownRequested() throws Exception {
        try (NameServerService service = NameServerService.builder()
                .registry(new LocalRegistry(Duration.ofSeconds(5))).acceptsShutdown(true).start();
             NameServerClient client = new NameServerClient(service.address(), Duration.ofSeconds(5))) {
            client.shutdownServer(service.adminToken());

            service.shutdownRequested().get(5, TimeUnit.SECONDS);
        }
    }
}
