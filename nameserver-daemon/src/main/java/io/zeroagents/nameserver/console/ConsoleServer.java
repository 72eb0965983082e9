package io.zeroagents.nameserver.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.zeroagents.NameServerException;
import io.zeroagents.nameserver.NameServerClient;
import io.zeroagents.nameserver.NameServerService;
import io.zeroagents.transport.CurveKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The name server's web console: a page that shows the agents, their sockets, the links between
 * them as a graph, their message rates and errors, refreshing itself; and the JSON API it reads.
 *
 * <p>It serves, over the JDK's own HTTP server:
 * <ul>
 *   <li>{@code GET /}: the page (with {@code /console.js}, {@code /console.css} and the graph
 *       library, Cytoscape.js from its WebJar, at {@code /vendor/cytoscape.min.js});</li>
 *   <li>{@code GET /api/snapshot}: a {@link ConsoleSnapshot} as JSON;</li>
 *   <li>{@code GET /api/agents/NAME}: one {@link ConsoleSnapshot.Agent}, or 404;</li>
 *   <li>{@code POST /api/agents/NAME/shutdown}: asks the agent's host to shut it down, through
 *       the name server's own stop request; only when started with {@code admin}, else 403. The
 *       request must carry the header {@value #ADMIN_HEADER} with the token the page holds (new
 *       at every start), and come from the console's own origin when it says where it comes
 *       from; else 403.</li>
 * </ul>
 *
 * <p>What keeps other sites and slow clients out:
 * <ul>
 *   <li>Every request must name the console in {@code Host} (the name it was bound with, its
 *       literal address, {@code localhost} on loopback), else 421: a page of another site that
 *       points its own name at the console (DNS rebinding) reads and changes nothing.</li>
 *   <li>Admin requests need the page's token, which only a page of the console's origin can read.</li>
 *   <li>Host ids, which agent hosts prove themselves with, are never shown (a tag stands for them).</li>
 *   <li>A bounded pool serves the requests, and a client gets a time limit to send its request and
 *       another to read the answer, so slow or stuck clients cannot hold the console.</li>
 * </ul>
 *
 * <p>The console reads the name server in the same process and changes nothing but through the
 * name-server protocol. It has no login: bind it to loopback (the daemon's default) or put it
 * behind a proxy that authenticates, above all in admin mode.
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 *
 * @since 0.1
 */
public final class ConsoleServer implements AutoCloseable {
    /** The header an admin request must carry, with the page's token. */
    public static final String ADMIN_HEADER = "X-ZeroAgents-Console";
    /** How long a client may take to send a request, and again to read the answer. */
    public static final Duration REQUEST_TIME_LIMIT = Duration.ofSeconds(10);

    private static final Logger LOG = LogManager.getLogger(ConsoleServer.class);
    private static final String RESOURCES = "io/zeroagents/nameserver/console/";
    private static final String WEBJAR_POM = "META-INF/maven/org.webjars.npm/cytoscape/pom.properties";
    private static final String JSON = "application/json; charset=utf-8";
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(5);
    // Enough that a handful of slow clients leave room for the others; each is cut off after the limit.
    private static final int THREADS = 16;
    private static final int QUEUED = 64;
    // Where the page's token goes (index.html); the page reads it back for admin requests.
    private static final String TOKEN_PLACEHOLDER = "@ZEROAGENTS_TOKEN@";

    private final NameServerService service;
    private final boolean admin;
    private final HttpServer server;
    private final ExchangeGuard guard;
    private final @Nullable NameServerClient adminClient;
    private final Map<String, Asset> assets;
    private final AllowedHosts allowedHosts;
    private final byte[] token;
    private final Snapshots.HostTags hostTags = new Snapshots.HostTags();
    private final ObjectMapper json = new ObjectMapper();
    private final OperatorEndpoints operator;
    private final URI uri;
    private boolean closed; // guarded by this

    /** A file the console serves, read once at start. */
    private record Asset(String contentType, byte[] bytes, boolean cacheable) {
    }

    private ConsoleServer(NameServerService service, boolean admin, HttpServer server, ExchangeGuard guard,
                          @Nullable NameServerClient adminClient, Map<String, Asset> assets, AllowedHosts allowedHosts,
                          String token) {
        this.service = service;
        this.admin = admin;
        this.server = server;
        this.guard = guard;
        this.adminClient = adminClient;
        this.assets = assets;
        this.allowedHosts = allowedHosts;
        this.token = token.getBytes(StandardCharsets.US_ASCII);
        this.operator = new OperatorEndpoints(service);
        InetSocketAddress bound = server.getAddress();
        String host = bound.getAddress().isAnyLocalAddress() ? "127.0.0.1" : bound.getAddress().getHostAddress();
        this.uri = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + bound.getPort() + "/");
    }

    /**
     * Starts serving the console of a name server.
     *
     * @param bind    where to listen; port 0 takes a free one, read it back with {@link #uri()}
     * @param service the name server whose agents it shows
     * @param admin   whether it may shut agents down
     * @param curve   the name server's CURVE keys, or {@code null}; admin requests go through the
     *                name-server protocol and need them
     * @return the running console
     * @throws UncheckedIOException  if the address cannot be bound
     * @throws IllegalStateException if the page or the graph library is missing from the class path
     */
    public static ConsoleServer start(InetSocketAddress bind, NameServerService service, boolean admin,
                                      @Nullable CurveKeys curve) {
        return start(bind, service, admin, curve, REQUEST_TIME_LIMIT);
    }

    /** Starts with another time limit on clients: tests use a short one. */
    static ConsoleServer start(InetSocketAddress bind, NameServerService service, boolean admin,
                               @Nullable CurveKeys curve, Duration requestTimeLimit) {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(service, "service");
        String token = newToken();
        Map<String, Asset> assets = loadAssets(token);
        HttpServer server;
        try {
            server = HttpServer.create(bind, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot serve the console on " + bind + ": " + e.getMessage()
                    + "; is the port in use or the address not on this host?", e);
        }
        ExchangeGuard guard = new ExchangeGuard(THREADS, QUEUED, requestTimeLimit);
        NameServerClient client = admin ? new NameServerClient(service.address(), ADMIN_TIMEOUT, curve) : null;
        ConsoleServer console = new ConsoleServer(service, admin, server, guard, client, assets,
                AllowedHosts.of(bind), token);
        server.createContext("/", console::handle);
        server.setExecutor(guard);
        server.start();
        if (admin && !bind.getAddress().isLoopbackAddress()) {
            LOG.warn("Console on {} is in admin mode and reachable from other machines: anyone who reaches it"
                    + " can shut agents down", console.uri);
        }
        LOG.info("Console of name server {} on {} ({})", service.address(), console.uri, admin ? "admin" : "read-only");
        return console;
    }

    /**
     * Returns the page's address, with the port actually bound; {@code 127.0.0.1} when bound to
     * every interface.
     *
     * @return such as {@code http://127.0.0.1:8080/}
     */
    public URI uri() {
        return uri;
    }

    /**
     * Returns whether the console may shut agents down.
     *
     * @return the {@code admin} given to {@link #start}
     */
    public boolean admin() {
        return admin;
    }

    /** Stops serving, at once: requests in progress are cut off. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.stop(0);
        guard.close();
        if (adminClient != null) {
            adminClient.close();
        }
    }

    @Override
    public String toString() {
        return "ConsoleServer[" + uri + ", " + (admin ? "admin" : "read-only") + "]";
    }

    /** A token no one can guess: 32 random bytes, URL-safe Base64. */
    private static String newToken() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static Map<String, Asset> loadAssets(String token) {
        Map<String, Asset> assets = new LinkedHashMap<>();
        String page = new String(resource(RESOURCES + "index.html"), StandardCharsets.UTF_8);
        if (!page.contains(TOKEN_PLACEHOLDER)) {
            throw new IllegalStateException("The console's page has no place for its token (" + TOKEN_PLACEHOLDER + ")");
        }
        assets.put("/", new Asset("text/html; charset=utf-8",
                page.replace(TOKEN_PLACEHOLDER, token).getBytes(StandardCharsets.UTF_8), false));
        assets.put("/console.js", new Asset("text/javascript; charset=utf-8", resource(RESOURCES + "console.js"), false));
        assets.put("/console.css", new Asset("text/css; charset=utf-8", resource(RESOURCES + "console.css"), false));
        Properties webjar = new Properties();
        try {
            webjar.load(new java.io.ByteArrayInputStream(resource(WEBJAR_POM)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String library = "META-INF/resources/webjars/cytoscape/" + webjar.getProperty("version") + "/dist/cytoscape.min.js";
        assets.put("/vendor/cytoscape.min.js", new Asset("text/javascript; charset=utf-8", resource(library), true));
        return Map.copyOf(assets);
    }

    private static byte[] resource(String path) {
        try (InputStream in = ConsoleServer.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("The console's file " + path + " is not on the class path; the"
                        + " console needs the nameserver jar's resources and org.webjars.npm:cytoscape");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the console's file " + path, e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Headers headers = exchange.getResponseHeaders();
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("Referrer-Policy", "no-referrer");
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            try {
                if (!allowedHosts.allows(exchange.getRequestHeaders().getFirst("Host"))) {
                    // Another name for this address: a rebinding page, or a mistake. Say nothing of the right names.
                    error(exchange, 421, "This console does not answer to the host name in this request; use the"
                            + " address the name server printed for it");
                } else if (path.equals("/healthz") || path.equals("/metrics")) {
                    operator(exchange, method, path);
                } else if (path.startsWith("/api/")) {
                    api(exchange, method, path);
                } else {
                    asset(exchange, method, path);
                }
            } catch (UncheckedIOException e) {
                // The browser went away while the answer was written: nothing left to tell it.
                LOG.debug("Console could not answer {} {}: {}", method, path, e.getMessage());
            } catch (NameServerException e) {
                error(exchange, 502, "The name server did not take the request: " + e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("Console failed to serve {} {}", method, path, e);
                error(exchange, 500, "The console failed: " + e);
            }
        }
    }

    private void operator(HttpExchange exchange, String method, String path) throws IOException {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            methodNotAllowed(exchange, "GET, HEAD");
            return;
        }
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (path.equals("/healthz")) {
            boolean healthy = operator.healthy();
            send(exchange, healthy ? 200 : 503, "text/plain; charset=utf-8",
                    (healthy ? "ok\n" : "the name server does not answer\n").getBytes(StandardCharsets.UTF_8));
        } else {
            send(exchange, 200, OperatorEndpoints.METRICS_TYPE, operator.metrics());
        }
    }

    private void asset(HttpExchange exchange, String method, String path) throws IOException {
        Asset asset = assets.get(path.equals("/index.html") ? "/" : path);
        if (asset == null) {
            error(exchange, 404, "Nothing at " + path + "; the console is at /, its API at /api/snapshot,"
                    + " probes at /healthz and /metrics");
            return;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            methodNotAllowed(exchange, "GET, HEAD");
            return;
        }
        Headers headers = exchange.getResponseHeaders();
        // The page holds this start's token: never kept by a cache.
        headers.set("Cache-Control", asset.cacheable() ? "public, max-age=86400"
                : asset == assets.get("/") ? "no-store" : "no-cache");
        if (path.equals("/") || path.equals("/index.html")) {
            // Only this origin's scripts run; Cytoscape sets element styles from script, which needs no exception.
            headers.set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self';"
                    + " frame-ancestors 'none'");
        }
        send(exchange, 200, asset.contentType(), asset.bytes());
    }

    private void api(HttpExchange exchange, String method, String path) throws IOException {
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        List<String> segments = segments(path.substring("/api/".length()));
        if (segments.equals(List.of("snapshot"))) {
            if (readOnly(exchange, method)) {
                sendJson(exchange, 200, snapshot());
            }
        } else if (segments.size() == 2 && segments.get(0).equals("agents")) {
            if (readOnly(exchange, method)) {
                String name = segments.get(1);
                snapshot().agents().stream().filter(a -> a.name().equals(name)).findFirst()
                        .ifPresentOrElse(agent -> sendJson(exchange, 200, agent),
                                () -> error(exchange, 404, "No agent named '" + name + "' is registered"));
            }
        } else if (segments.size() == 3 && segments.get(0).equals("agents") && segments.get(2).equals("shutdown")) {
            shutdown(exchange, method, segments.get(1));
        } else {
            error(exchange, 404, "No API at " + path + "; try /api/snapshot, /api/agents/NAME or"
                    + " POST /api/agents/NAME/shutdown");
        }
    }

    private ConsoleSnapshot snapshot() throws IOException {
        return ExchangeGuard.work(() -> Snapshots.take(service, admin, hostTags));
    }

    private boolean readOnly(HttpExchange exchange, String method) throws IOException {
        if (method.equals("GET") || method.equals("HEAD")) {
            return true;
        }
        methodNotAllowed(exchange, "GET, HEAD");
        return false;
    }

    private void shutdown(HttpExchange exchange, String method, String name) throws IOException {
        if (!method.equals("POST")) {
            methodNotAllowed(exchange, "POST");
            return;
        }
        NameServerClient client = adminClient;
        if (client == null) {
            error(exchange, 403, "This console is read-only; start the name server with --admin to shut agents"
                    + " down from it");
            return;
        }
        String given = exchange.getRequestHeaders().getFirst(ADMIN_HEADER);
        // Compared in constant time: how long a wrong token takes to refuse says nothing of the right one.
        if (given == null || !MessageDigest.isEqual(token, given.getBytes(StandardCharsets.US_ASCII))) {
            error(exchange, 403, "An admin request must carry the header " + ADMIN_HEADER + " with the token of"
                    + " this console's page (new at every start), which pages of other sites cannot read");
            return;
        }
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (origin != null && !allowedHosts.allowsOrigin(origin)) {
            error(exchange, 403, "An admin request must come from the console's own page, not from " + origin);
            return;
        }
        // The console runs beside the service, so it is an admin with the service's own token.
        List<String> marked = ExchangeGuard.work(() -> client.stopAgents(List.of(name), service.adminToken()));
        if (marked.isEmpty()) {
            error(exchange, 404, "No agent named '" + name + "' is registered here (in a federation, shut it"
                    + " down through the name server its host talks to)");
            return;
        }
        LOG.info("Console on {} asked agent '{}' to shut down", uri, name);
        sendJson(exchange, 202, Map.of("stopping", marked,
                "note", "the agent's host stops it with its next heartbeat"));
    }

    /** Splits a raw path into percent-decoded segments; an encoded '/' stays inside its segment. */
    private static List<String> segments(String rawPath) {
        return java.util.Arrays.stream(rawPath.split("/", -1))
                .map(segment -> URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8))
                .toList();
    }

    private void methodNotAllowed(HttpExchange exchange, String allowed) throws IOException {
        exchange.getResponseHeaders().set("Allow", allowed);
        error(exchange, 405, exchange.getRequestMethod() + " is not allowed here; use " + allowed);
    }

    private void error(HttpExchange exchange, int status, String message) {
        sendJson(exchange, status, Map.of("error", message));
    }

    private void sendJson(HttpExchange exchange, int status, Object body) {
        try {
            send(exchange, status, JSON, json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Console cannot write " + body.getClass().getSimpleName() + " as JSON", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }
}
