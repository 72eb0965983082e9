package io.zeroagents.nameserver.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.nameserver.NameServerClient;
import io.zeroagents.nameserver.NameServerService;
import io.zeroagents.nameserver.TestEntries;
import io.zeroagents.nameserver.registry.LocalRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The console port's probes for machines, over real HTTP: {@code /healthz} and Prometheus' {@code /metrics}. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OperatorEndpointsTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private NameServerService service;
    private ConsoleServer console;

    @BeforeEach
    void start() {
        service = NameServerService.builder().registry(new LocalRegistry(Duration.ofSeconds(30))).start();
        console = ConsoleServer.start(new InetSocketAddress("127.0.0.1", 0), service, false, null);
    }

    @AfterEach
    void stop() {
        console.close();
        service.close();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(console.uri() + path.substring(1))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthz_servingNameServer_answersOk() throws Exception {
        HttpResponse<String> response = get("/healthz");

        assertEquals(200, response.statusCode());
        assertEquals("ok\n", response.body());
    }

    @Test
    void metrics_afterARegistration_countsTheAgentInPrometheusFormat() throws Exception {
        try (NameServerClient client = new NameServerClient(service.address(), Duration.ofSeconds(5))) {
            client.register(TestEntries.agent("Alice", "host-a"), TestEntries.secret("host-a"));
        }

        HttpResponse<String> response = get("/metrics");

        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        String body = response.body();
        assertTrue(body.contains("# TYPE zeroagents_nameserver_agents gauge\nzeroagents_nameserver_agents 1\n"), body);
        assertTrue(body.contains("\nzeroagents_nameserver_up 1\n") || body.startsWith("# HELP zeroagents_nameserver_up"),
                body);
        assertTrue(body.contains("zeroagents_nameserver_requests_dropped_total 0\n"), body);
        assertFalse(body.contains("Alice") || body.contains("host-a"), "no names or host ids: " + body);
    }

    @Test
    void metrics_post_isNotAllowed() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(console.uri() + "metrics"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(405, response.statusCode());
    }
}
