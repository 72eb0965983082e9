package io.zeroagents.nameserver.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zeroagents.nameserver.NameServerClient;
import io.zeroagents.nameserver.NameServerService;
import io.zeroagents.nameserver.TestEntries;
import io.zeroagents.nameserver.protocol.AgentReport;
import io.zeroagents.nameserver.protocol.HostReport;
import io.zeroagents.nameserver.protocol.SocketReport;
import io.zeroagents.nameserver.registry.LocalRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The console's JSON API and admin mode, over real HTTP and a real name server: agents registered
 * and reported through the name-server protocol as agent hosts do.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConsoleServerTest {
    private static final String HOST_A = "host-a";
    private static final String HOST_B = "host-b";
    private static final String ENDPOINT = "tcp://127.0.0.1:5555";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private NameServerService service;
    private NameServerClient client;
    private ConsoleServer console;

    @BeforeEach
    void start() {
        service = NameServerService.builder().registry(new LocalRegistry(Duration.ofSeconds(30))).start();
        client = new NameServerClient(service.address(), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        if (console != null) {
            console.close();
        }
        client.close();
        service.close();
    }

    private void startConsole(boolean admin) {
        console = ConsoleServer.start(new InetSocketAddress("127.0.0.1", 0), service, admin, null);
    }

    /** Alice binds PUSH 'out' on host A; Bob, on host B, connects PULL 'in' to it; both report twice. */
    private void aliceAndBobTalk() {
        client.register(TestEntries.agent("Alice", HOST_A).toBuilder()
                .addAddresses(TestEntries.address("out", ENDPOINT)).build(), TestEntries.secret(HOST_A));
        client.register(TestEntries.agent("Bob", HOST_B), TestEntries.secret(HOST_B));
        for (int i = 0; i < 2; i++) {
            long time = 10_000 + i * 1000L;
            client.heartbeat(HOST_A, TestEntries.secret(HOST_A), List.of("Alice"), HostReport.newBuilder()
                    .setTimeMs(time).setProcess("1@a")
                    .addAgents(AgentReport.newBuilder().setName("Alice").setRunning(true).setTimerTicks(3)
                            .setTimerLagMaxNanos(2_000_000).addSockets(SocketReport.newBuilder().setAlias("out")
                                    .setPattern("PUSH").setBound(true).setEndpoint(ENDPOINT).setSent(10 + 40L * i)))
                    .build());
            client.heartbeat(HOST_B, TestEntries.secret(HOST_B), List.of("Bob"), HostReport.newBuilder()
                    .setTimeMs(time).setProcess("2@b")
                    .addAgents(AgentReport.newBuilder().setName("Bob").setRunning(true).setErrors(1)
                            .addSockets(SocketReport.newBuilder().setAlias("in").setPattern("PULL").setBound(false)
                                    .setEndpoint(ENDPOINT).setReceived(10 + 40L * i).setHandled(10 + 40L * i)
                                    .setHandlerNanos((10 + 40L * i) * 500_000).setHandlerErrors(1)))
                    .build());
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(console.uri().resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The token the page carries for admin requests. */
    private String token() throws IOException, InterruptedException {
        Matcher token = Pattern.compile("name=\"zeroagents-token\" content=\"([^\"]+)\"").matcher(get("/").body());
        assertTrue(token.find(), "no token in the page");
        return token.group(1);
    }

    private HttpResponse<String> post(String path, boolean withToken) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(console.uri().resolve(path))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (withToken) {
            request.header(ConsoleServer.ADMIN_HEADER, token());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode agent(JsonNode snapshot, String name) {
        for (JsonNode agent : snapshot.get("agents")) {
            if (agent.get("name").asText().equals(name)) {
                return agent;
            }
        }
        throw new AssertionError("No agent " + name + " in " + snapshot);
    }

    @Test
    void snapshot_listsAgentsTheirSocketsRatesAndTheLinkFoundByEndpoint() throws Exception {
        aliceAndBobTalk();
        startConsole(false);

        HttpResponse<String> response = get("/api/snapshot");

        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        JsonNode snapshot = json.readTree(response.body());
        assertEquals(service.address(), snapshot.get("nameServer").asText());
        assertFalse(snapshot.get("admin").asBoolean());
        assertEquals(List.of("Alice", "Bob"), snapshot.get("agents").findValuesAsText("name").subList(0, 2));
        JsonNode alice = agent(snapshot, "Alice");
        assertEquals("1@a", alice.get("process").asText());
        assertFalse(alice.has("hostId"), "host ids stay inside the name server");
        assertFalse(alice.get("host").asText().isBlank() || alice.get("host").asText().contains(HOST_A));
        assertFalse(alice.get("host").asText().equals(agent(snapshot, "Bob").get("host").asText()),
                "two hosts, two tags");
        assertTrue(alice.get("reported").asBoolean());
        assertEquals(40.0, alice.get("sentPerSecond").asDouble(), 1e-9);
        assertEquals(2.0, alice.get("timerLagMaxMs").asDouble(), 1e-9);
        assertTrue(alice.get("leaseAgeMs").asLong() >= 0 && alice.get("leaseRemainingMs").asLong() > 0, alice.toString());
        JsonNode bob = agent(snapshot, "Bob");
        assertEquals(1, bob.get("errors").asLong());
        assertEquals(0.5, bob.get("handlerMeanMs").asDouble(), 1e-9);
        JsonNode socket = bob.get("sockets").get(0);
        assertEquals("in", socket.get("alias").asText());
        assertEquals("connected", socket.get("role").asText());
        assertEquals(ENDPOINT, socket.get("endpoint").asText());
        assertEquals(40.0, socket.get("receivedPerSecond").asDouble(), 1e-9);
        JsonNode link = snapshot.get("links").get(0);
        assertEquals(1, snapshot.get("links").size(), snapshot.get("links").toString());
        assertEquals("Bob/in->Alice/out", link.get("id").asText());
        assertEquals("to-client", link.get("flow").asText());
        assertEquals("PULL/PUSH", link.get("pattern").asText());
        assertEquals(40.0, link.get("perSecond").asDouble(), 1e-9);
    }

    @Test
    void anAgentThatLeaves_leavesTheSnapshotAndTakesItsLinksAlong() throws Exception {
        aliceAndBobTalk();
        startConsole(false);

        client.unregister("Alice", TestEntries.secret(HOST_A));

        JsonNode snapshot = json.readTree(get("/api/snapshot").body());
        assertEquals(List.of("Bob"), snapshot.get("agents").findValuesAsText("name").subList(0, 1));
        assertEquals(1, snapshot.get("agents").size());
        assertEquals(0, snapshot.get("links").size());
    }

    @Test
    void anAgentWithoutReport_showsItsRegisteredSocketsUnreported() throws Exception {
        client.register(TestEntries.agent("Carol", HOST_A).toBuilder()
                .addAddresses(TestEntries.address("out", ENDPOINT)).build(), TestEntries.secret(HOST_A));
        startConsole(false);

        JsonNode carol = agent(json.readTree(get("/api/snapshot").body()), "Carol");

        assertFalse(carol.get("reported").asBoolean());
        assertTrue(carol.get("process").isNull());
        assertEquals("bound", carol.get("sockets").get(0).get("role").asText());
        assertEquals(ENDPOINT, carol.get("sockets").get(0).get("endpoint").asText());
    }

    @Test
    void oneAgent_byName_or404() throws Exception {
        aliceAndBobTalk();
        startConsole(false);

        HttpResponse<String> found = get("/api/agents/Alice");
        HttpResponse<String> missing = get("/api/agents/Nobody");

        assertEquals(200, found.statusCode());
        assertEquals("Alice", json.readTree(found.body()).get("name").asText());
        assertEquals(404, missing.statusCode());
        assertTrue(json.readTree(missing.body()).get("error").asText().contains("'Nobody'"), missing.body());
    }

    @Test
    void page_scriptsAndTheGraphLibrary_areServed() throws Exception {
        startConsole(false);

        HttpResponse<String> page = get("/");
        HttpResponse<String> script = get("/console.js");
        HttpResponse<String> library = get("/vendor/cytoscape.min.js");
        HttpResponse<String> nothing = get("/nothing-here");

        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<title>ZeroAgents console</title>"), page.body());
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElseThrow().contains("default-src 'self'"));
        assertEquals(200, script.statusCode());
        assertTrue(script.body().contains("api/snapshot"));
        assertEquals(200, library.statusCode());
        assertTrue(library.body().length() > 100_000 && library.body().contains("cytoscape"));
        assertEquals(404, nothing.statusCode());
    }

    @Test
    void readOnlyConsole_refusesShutdown_andTheAgentIsNotAskedToStop() throws Exception {
        aliceAndBobTalk();
        startConsole(false);

        HttpResponse<String> refused = post("/api/agents/Alice/shutdown", true);

        assertEquals(403, refused.statusCode());
        assertTrue(refused.body().contains("--admin"), refused.body());
        assertTrue(client.heartbeat(HOST_A, TestEntries.secret(HOST_A), List.of("Alice")).getStopNamesList().isEmpty());
        assertEquals(405, http.send(HttpRequest.newBuilder(console.uri().resolve("/api/snapshot"))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void adminConsole_shutsAnAgentDown_throughItsHostsNextHeartbeat() throws Exception {
        aliceAndBobTalk();
        startConsole(true);

        HttpResponse<String> accepted = post("/api/agents/Alice/shutdown", true);

        assertEquals(202, accepted.statusCode(), accepted.body());
        assertEquals(List.of("Alice"),
                client.heartbeat(HOST_A, TestEntries.secret(HOST_A), List.of("Alice")).getStopNamesList());
        assertTrue(json.readTree(get("/api/snapshot").body()).get("admin").asBoolean());
    }

    @Test
    void adminConsole_refusesRequestsWithoutItsTokenOrFromAnotherOrigin_andUnknownAgents() throws Exception {
        aliceAndBobTalk();
        startConsole(true);

        HttpResponse<String> withoutHeader = post("/api/agents/Alice/shutdown", false);
        HttpResponse<String> otherOrigin = http.send(HttpRequest.newBuilder(console.uri()
                        .resolve("/api/agents/Alice/shutdown")).header(ConsoleServer.ADMIN_HEADER, token())
                .header("Origin", "http://evil.example").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> unknown = post("/api/agents/Nobody/shutdown", true);

        assertEquals(403, withoutHeader.statusCode());
        assertEquals(403, otherOrigin.statusCode());
        assertEquals(404, unknown.statusCode());
        assertTrue(client.heartbeat(HOST_A, TestEntries.secret(HOST_A), List.of("Alice")).getStopNamesList().isEmpty());
    }

    @Test
    void agentNamesAreDecodedFromThePath() throws Exception {
        client.register(TestEntries.agent("a b/c+d", HOST_A), TestEntries.secret(HOST_A));
        startConsole(false);

        HttpResponse<String> found = get("/api/agents/" + "a%20b%2Fc%2Bd");

        assertEquals(200, found.statusCode(), found.body());
        assertEquals("a b/c+d", json.readTree(found.body()).get("name").asText());
        assertTrue(URI.create(console.uri().toString()).getPort() > 0);
    }
}
