package io.zeroagents.nameserver.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zeroagents.nameserver.NameServerClient;
import io.zeroagents.nameserver.NameServerService;
import io.zeroagents.nameserver.TestEntries;
import io.zeroagents.nameserver.console.ConsoleServer;
import io.zeroagents.nameserver.protocol.AgentReport;
import io.zeroagents.nameserver.protocol.HostReport;
import io.zeroagents.nameserver.protocol.SocketReport;
import io.zeroagents.testsupport.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The console of one name server of a federation lists the agents registered through the others. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FederatedConsoleTest {

    @Test
    void console_listsAgentsOfEveryFederatedNameServer_withTheNameServerHostTheyCameThrough() throws Exception {
        try (TestFederation federation = TestFederation.start(2, Duration.ofSeconds(30));
             NameServerService here = NameServerService.builder().registry(federation.member(0)).start();
             NameServerService there = NameServerService.builder().registry(federation.member(1)).start();
             NameServerClient hostHere = new NameServerClient(here.address(), Duration.ofSeconds(10));
             NameServerClient hostThere = new NameServerClient(there.address(), Duration.ofSeconds(10));
             ConsoleServer console = ConsoleServer.start(new InetSocketAddress("127.0.0.1", 0), here, false, null)) {
            hostHere.register(TestEntries.agent("Local", "host-a"), TestEntries.secret("host-a"));
            hostHere.heartbeat("host-a", TestEntries.secret("host-a"), List.of("Local"), HostReport.newBuilder()
                    .setTimeMs(1).setProcess("1@a")
                    .addAgents(AgentReport.newBuilder().setName("Local").setRunning(true)
                            .addSockets(SocketReport.newBuilder().setAlias("in").setPattern("PULL")
                                    .setEndpoint("tcp://127.0.0.1:6000"))).build());
            hostThere.register(TestEntries.agent("Remote", "host-b").toBuilder()
                    .addAddresses(TestEntries.address("out", "tcp://127.0.0.1:6000")).build(),
                    TestEntries.secret("host-b"));
            HttpClient http = HttpClient.newHttpClient();
            Await.until(Duration.ofSeconds(30), () -> {
                try {
                    String body = http.send(HttpRequest.newBuilder(console.uri().resolve("/api/snapshot")).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                    return body.contains("\"name\":\"Local\"") && body.contains("\"name\":\"Remote\"");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }, "both agents on the console");

            JsonNode snapshot = new ObjectMapper()
                    .readTree(http.send(HttpRequest.newBuilder(console.uri().resolve("/api/snapshot")).build(),
                            HttpResponse.BodyHandlers.ofString()).body());
            JsonNode local = snapshot.get("agents").get(0);
            JsonNode remote = snapshot.get("agents").get(1);
            assertEquals("Local", local.get("name").asText());
            assertTrue(local.get("reported").asBoolean());
            assertEquals(TestFederation.hostId(0), local.get("nameServerHost").asText());
            assertEquals("Remote", remote.get("name").asText());
            assertFalse(remote.get("reported").asBoolean(), "its host reports to the other name server");
            assertEquals(TestFederation.hostId(1), remote.get("nameServerHost").asText());
            assertEquals("tcp://127.0.0.1:6000", remote.get("sockets").get(0).get("endpoint").asText());
            assertEquals("Local/in->Remote/out", snapshot.get("links").get(0).get("id").asText(),
                    "a local agent's connected socket links to the remote agent that bound it");
        }
    }
}
