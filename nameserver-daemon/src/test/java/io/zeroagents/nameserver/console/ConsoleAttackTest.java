package io.zeroagents.nameserver.console;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.nameserver.NameServerClient;
import io.zeroagents.nameserver.NameServerService;
import io.zeroagents.nameserver.TestEntries;
import io.zeroagents.nameserver.registry.LocalRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The attacks reported on the console, made as an attacker makes them: raw HTTP requests with
 * forged headers (the JDK's client will not forge {@code Host}), a page of another site's token
 * guessed, and clients that open connections and then send their headers a byte at a time, or
 * nothing. The agent is registered through the name-server protocol, as an agent host does; it
 * "keeps running" while its host's heartbeat is not told to stop it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsoleAttackTest {
    private static final String HOST_A = "host-a-7f3e9c";
    private static final Duration TIME_LIMIT = Duration.ofSeconds(2);
    private static final Pattern TOKEN = Pattern.compile("name=\"zeroagents-token\" content=\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private NameServerService service;
    private NameServerClient host;
    private ConsoleServer console;

    @BeforeEach
    void start() {
        service = NameServerService.builder().registry(new LocalRegistry(Duration.ofSeconds(30))).start();
        host = new NameServerClient(service.address(), Duration.ofSeconds(5));
        host.register(TestEntries.agent("Alice", HOST_A), TestEntries.secret(HOST_A));
        console = ConsoleServer.start(new InetSocketAddress("127.0.0.1", 0), service, true, null, TIME_LIMIT);
    }

    @AfterEach
    void stop() {
        console.close();
        host.close();
        service.close();
    }

    private boolean aliceAskedToStop() {
        return !host.heartbeat(HOST_A, TestEntries.secret(HOST_A), List.of("Alice")).getStopNamesList().isEmpty();
    }

    /** A raw HTTP/1.1 exchange, headers as given (Host included), the connection closed after. */
    private RawResponse raw(String method, String path, Map<String, String> headers) throws IOException {
        StringBuilder request = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        request.append("Content-Length: 0\r\nConnection: close\r\n\r\n");
        try (Socket socket = new Socket(console.uri().getHost(), console.uri().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.toString().getBytes(US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), UTF_8);
            return new RawResponse(Integer.parseInt(answer.substring(9, 12)),
                    answer.substring(answer.indexOf("\r\n\r\n") + 4));
        }
    }

    private record RawResponse(int status, String body) {
    }

    private String hostHeader(String name) {
        return name + ":" + console.uri().getPort();
    }

    private String pageToken() throws IOException, InterruptedException {
        String page = http.send(HttpRequest.newBuilder(console.uri()).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher token = TOKEN.matcher(page);
        assertTrue(token.find(), "the page carries no token for admin requests");
        return token.group(1);
    }

    private int shutdownAlice(Map<String, String> headers) throws IOException {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Host", hostHeader("127.0.0.1"));
        all.putAll(headers);
        return raw("POST", "/api/agents/Alice/shutdown", all).status();
    }

    @Test
    void dnsRebinding_forgedHostWithMatchingOrigin_isRefused_andTheAgentKeepsRunning() throws Exception {
        String evil = hostHeader("rebind.attacker.example");

        RawResponse answer = raw("POST", "/api/agents/Alice/shutdown", Map.of("Host", evil,
                "Origin", "http://" + evil, ConsoleServer.ADMIN_HEADER, "shutdown"));

        assertTrue(answer.status() == 421 || answer.status() == 403, answer.status() + " " + answer.body());
        assertFalse(aliceAskedToStop(), "the console asked Alice's host to stop her");
    }

    @Test
    void dnsRebinding_readingThePageOrTheApiUnderAForgedHost_isRefused() throws Exception {
        String evil = hostHeader("rebind.attacker.example");

        for (String path : List.of("/", "/api/snapshot", "/api/agents/Alice")) {
            RawResponse answer = raw("GET", path, Map.of("Host", evil));
            assertEquals(421, answer.status(), path + ": " + answer.body());
        }
        assertEquals(200, raw("GET", "/api/snapshot", Map.of("Host", hostHeader("127.0.0.1"))).status());
    }

    @Test
    void namesOfTheConsole_localhostAndTheLiteralAddress_areAnswered() throws Exception {
        for (String name : List.of("127.0.0.1", "localhost", "LOCALHOST", "localhost.")) {
            assertEquals(200, raw("GET", "/api/snapshot", Map.of("Host", hostHeader(name))).status(), name);
        }
        assertEquals(200, raw("GET", "/api/snapshot", Map.of("Host", "127.0.0.1")).status(), "without a port");
        for (String name : List.of("127.0.0.1.attacker.example", "10.0.0.1", "[::2]", "")) {
            assertEquals(421, raw("GET", "/api/snapshot", Map.of("Host", hostHeader(name))).status(), name);
        }
        int withoutHost = raw("GET", "/api/snapshot", Map.of()).status();
        assertTrue(withoutHost == 421 || withoutHost == 400, "no Host at all: " + withoutHost);
    }

    @Test
    void adminRequest_fromAnotherOrigin_withTheRightTokenAndHost_isRefused() throws Exception {
        String token = pageToken();

        assertEquals(403, shutdownAlice(Map.of(ConsoleServer.ADMIN_HEADER, token,
                "Origin", "http://attacker.example")));
        assertFalse(aliceAskedToStop());
        assertEquals(202, shutdownAlice(Map.of(ConsoleServer.ADMIN_HEADER, token,
                "Origin", "http://" + hostHeader("localhost"))));
    }

    @Test
    void adminRequest_withoutTheTokenOrWithAWrongOne_isRefused_andWithThePagesTokenAccepted() throws Exception {
        String token = pageToken();

        assertEquals(403, shutdownAlice(Map.of()));
        assertEquals(403, shutdownAlice(Map.of(ConsoleServer.ADMIN_HEADER, "shutdown")));
        assertEquals(403, shutdownAlice(Map.of(ConsoleServer.ADMIN_HEADER, token + "x")));
        assertFalse(aliceAskedToStop());

        assertEquals(202, shutdownAlice(Map.of(ConsoleServer.ADMIN_HEADER, token)));
        assertTrue(aliceAskedToStop());
    }

    @Test
    void snapshotAndPage_showNoHostId() throws Exception {
        for (String path : List.of("/", "/api/snapshot", "/api/agents/Alice")) {
            String body = http.send(HttpRequest.newBuilder(console.uri().resolve(path)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertFalse(body.contains(HOST_A), path + " shows the host id: " + body);
        }
    }

    @Test
    void stuckClient_isCutOffAfterTheTimeLimit() throws Exception {
        try (Socket stuck = new Socket(console.uri().getHost(), console.uri().getPort())) {
            stuck.setSoTimeout((int) TIME_LIMIT.multipliedBy(5).toMillis());
            stuck.getOutputStream().write("GET /api/snapshot HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(US_ASCII));
            long start = System.nanoTime();

            // The console closes the connection (end of stream, or a reset) instead of waiting for the rest.
            try {
                assertEquals(-1, stuck.getInputStream().read());
            } catch (SocketException reset) {
                // Closed while bytes were unread: as good.
            }
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(waited.compareTo(TIME_LIMIT.multipliedBy(3)) < 0, "cut off after " + waited);
        }
    }

    @Test
    void slowClients_sendingHeadersByteByByteOrNothing_doNotBlockAnotherClientsRequest() throws Exception {
        List<Socket> slow = new ArrayList<>();
        Thread trickle = null;
        try {
            for (int i = 0; i < 24; i++) {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress(console.uri().getHost(), console.uri().getPort()), 5_000);
                slow.add(socket);
                // Half send nothing at all; the other half start a request and then trickle.
                if (i % 2 == 1) {
                    socket.getOutputStream().write("GET /api/snapshot HTTP/1.1\r\nHo".getBytes(US_ASCII));
                }
            }
            List<Socket> trickling = slow.stream().filter(s -> slow.indexOf(s) % 2 == 1).toList();
            trickle = Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        for (Socket socket : trickling) {
                            OutputStream out = socket.getOutputStream();
                            out.write('x');
                            out.flush();
                        }
                        Thread.sleep(200);
                    }
                } catch (IOException | InterruptedException e) {
                    // Cut off by the console, or the test is over.
                }
            });
            Thread.sleep(500);

            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(console.uri().resolve("/api/snapshot"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(200, answer.statusCode(), answer.body());
        } finally {
            if (trickle != null) {
                trickle.interrupt();
            }
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }
}
