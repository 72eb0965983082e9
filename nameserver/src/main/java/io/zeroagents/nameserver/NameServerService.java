package io.zeroagents.nameserver;

import io.zeroagents.NameServerException;
import io.zeroagents.settings.ConfigSource;
import io.zeroagents.settings.ZeroAgentsSettings;
import io.zeroagents.nameserver.protocol.AgentEntry;
import io.zeroagents.nameserver.protocol.Request;
import io.zeroagents.nameserver.protocol.Status;
import io.zeroagents.nameserver.registry.Registry;
import io.zeroagents.transport.CurveKeys;
import io.zeroagents.transport.Endpoints;
import io.zeroagents.transport.InputCounters;
import io.zeroagents.transport.InsecureBindException;
import io.zeroagents.transport.PollingWindow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;
import org.zeromq.ZAuth;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A running name server: a ZeroMQ ROUTER socket answering the protocol of
 * {@link io.zeroagents.nameserver.protocol} from a {@link Registry}, on a thread of its own.
 * {@link #builder()} describes one and starts it.
 *
 * <p>Clients are DEALER sockets that send each {@link Request} as one frame; the service answers
 * each with one {@link io.zeroagents.nameserver.protocol.Response} carrying the same request id.
 * Input it cannot serve (bytes that are not a {@code Request}, another number of frames, a protocol
 * version other than {@value NameServerClient#PROTOCOL_VERSION}, a request without a body) is
 * dropped, counted in {@link #droppedRequests()} and logged, at most one line per client address
 * every ten seconds; when the request id could be read the client still gets a
 * {@link Status#BAD_REQUEST} answer, so it does not wait for nothing. A failing request never stops
 * the service.
 *
 * <p>What a stranger can send is bounded before it is buffered: a request is one frame of at most
 * 1 MiB (a message of more frames is dropped as it arrives, a bigger frame costs its connection), a
 * connection has 5 s for its handshake and is pinged every 5 s, and the service keeps at most
 * {@code zeroagents.max.connections} connections, {@code zeroagents.max.connections.per.peer} from
 * one address ({@link #inputCounters()}).
 *
 * <p>The service calls {@link Registry#expire()} at least every quarter lease and logs the agents
 * whose lease ran out.
 *
 * <p>After answering a request that came less than 1 ms after the answer before, the serving
 * thread keeps polling its socket before it sleeps, for {@link #DEFAULT_SPIN_MICROS} µs unless the
 * setting {@code zeroagents.nameserver.spin.micros} or {@link NameServerServiceBuilder#spin(Duration)} says otherwise
 * (see {@link #configuredSpin()}).
 * It yields the processor between polls. A client's next request then finds it awake, as when a
 * host registers its agents one after another: waking a sleeping thread costs tens of microseconds
 * on a virtual machine, as much as the rest of a request. Requests that come now and then, such as
 * hosts' heartbeats every second, are answered without polling; 0 turns polling off.
 *
 * <p>Who may do what: any client that reaches the port (with CURVE, any authorized key) may ping,
 * list, look up, and register, renew, change and remove its own entries, proven by its host's
 * secret ({@link io.zeroagents.nameserver.registry.OwnerKey}). Stopping agents, shutting down and
 * evicting need an admin: the {@linkplain #adminToken() admin token}, written owner-only to a
 * {@linkplain #adminTokenFile() file} ({@link AdminToken}), or, with CURVE, a key listed in the key
 * directory's {@value AdminToken#ADMINS_FILE} file. Refusals say what is missing and are counted
 * ({@link #refusedRequests()}); the service keeps serving.
 *
 * <p>The service owns its registry: when the registry is {@link AutoCloseable} (a federated one,
 * which must leave its federation), the service closes it when the service closes or fails to
 * start.
 *
 * <p>The serving thread, {@code zeroagents-nameserver-<port>}, is not a daemon: the JVM runs until
 * {@link #close()}. All methods are thread-safe.
 *
 * @since 0.1
 */
public final class NameServerService implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(NameServerService.class);
    // Bounds how long close() waits for the serving thread to notice the stop flag.
    private static final long MAX_POLL_MILLIS = 100;
    private static final String THREAD_PREFIX = "zeroagents-nameserver-";
    /** The system property that sets how long the serving thread polls after a request, in microseconds. */
    public static final String SPIN_PROPERTY = ZeroAgentsSettings.NAMESERVER_SPIN.property();
    /** How long the serving thread polls after a request unless {@link #SPIN_PROPERTY} says otherwise. */
    public static final long DEFAULT_SPIN_MICROS =
            ZeroAgentsSettings.NAMESERVER_SPIN.defaultValue().orElseThrow().toNanos() / 1000;
    // How many leases of silence before a host no longer counts as one of this server's (AgentHosts).
    private static final long HOST_MEMORY_LEASES = 10;

    private final Registry registry;
    private final ZContext context;
    // Checks CURVE clients' keys on this context's server socket; closed before the context.
    private final @Nullable ZAuth authenticator;
    // Owned by the serving thread from Thread.start() on, which closes it on its way out.
    private final RequestSocket socket;
    private final String address;
    private final String serverId = UUID.randomUUID().toString();
    private final long expiryPeriodNanos;
    private final long spinNanos;
    private final Thread thread;
    /** How many times the serving thread went to a blocking receive; written by that thread only. */
    private volatile long sleeps;
    // The agent hosts that talk to this server and the stop requests for their agents. Serving thread only.
    private final AgentHosts hosts;
    // What each request means; the serving thread's.
    private final RequestDispatcher requests;
    // What hosts report with their heartbeats, for the console; kept for a few leases.
    private final TrafficReports reports;
    private final CompletableFuture<Void> shutdownRequested = new CompletableFuture<>();
    // Who is an admin: the token (and its file), the CURVE admins.
    private final AdminAccess admin;
    private volatile boolean running = true;
    private boolean closed; // guarded by this

    private NameServerService(Registry registry, ZContext context, @Nullable ZAuth authenticator, RequestSocket socket,
                              String address, int port, NameServerServiceBuilder options, Duration spin, AdminAccess admin) {
        this.registry = registry;
        this.authenticator = authenticator;
        this.context = context;
        this.socket = socket;
        this.address = address;
        socket.servingAs(address);
        this.expiryPeriodNanos = Math.max(1, registry.lease().toNanos() / 4);
        this.spinNanos = spin.toNanos();
        this.reports = new TrafficReports(registry.lease().multipliedBy(3));
        this.hosts = new AgentHosts(registry, reports);
        this.admin = admin;
        this.requests = new RequestDispatcher(registry, hosts, serverId, address, options.acceptsShutdown,
                shutdownRequested, admin);
        this.thread = new Thread(this::serve, THREAD_PREFIX + port);
    }

    /**
     * Starts describing a name server to start: at least its {@linkplain NameServerServiceBuilder#registry registry}.
     *
     * <pre>{@code
     * NameServerService service = NameServerService.builder()
     *         .bind("tcp://0.0.0.0:9091")
     *         .registry(new LocalRegistry(Duration.ofSeconds(5)))
     *         .curve(CurveKeys.load(Path.of("/etc/zeroagents/keys")))   // required beyond loopback
     *         .start();
     * }</pre>
     *
     * @return a new builder
     */
    public static NameServerServiceBuilder builder() {
        return new NameServerServiceBuilder();
    }

    static NameServerService open(NameServerServiceBuilder options, Registry registry, boolean plainText, Duration spin) {
        String bindEndpoint = options.bind;
        CurveKeys curve = options.curve;
        ZContext context = new ZContext(1);
        NameServerService service;
        ZAuth authenticator = null;
        AdminAccess admin = null;
        RequestSocket socket = null;
        try {
            authenticator = curve == null ? null : curve.authenticator(context);
            long pollMillis = Math.clamp(registry.lease().toMillis() / 4, 1, MAX_POLL_MILLIS);
            socket = RequestSocket.bind(context, bindEndpoint, curve, plainText, (int) pollMillis);
            admin = AdminAccess.start(options.tokenDirectory, socket.port(), curve);
            service = new NameServerService(registry, context, authenticator, socket, socket.clientAddress(),
                    socket.port(), options, spin, admin);
        } catch (RuntimeException e) {
            if (admin != null) {
                admin.close();
            }
            if (socket != null) {
                socket.close();
            }
            if (authenticator != null) {
                authenticator.close();
            }
            context.close();
            closeRegistry(registry);
            if (e instanceof InsecureBindException) {
                throw new NameServerException("Cannot bind the name server to " + bindEndpoint + ": other machines can"
                        + " reach that address and CURVE is off, so anyone who reaches the port could rewrite the"
                        + " registry; give it CURVE keys, or " + ZeroAgentsSettings.insecureBindAdvice(), e);
            }
            throw new NameServerException("Cannot bind the name server to " + bindEndpoint + ": " + e.getMessage()
                    + "; is the port already in use or the address not on this host?", e);
        }
        service.thread.start();
        LOG.info("Name server {} serving on {} (lease {})", service.serverId, service.address, registry.lease());
        return service;
    }

    /**
     * Returns the endpoint clients connect to, with the port actually bound.
     *
     * <p>When bound to every interface ({@code *} or {@code 0.0.0.0}), this is the loopback
     * address {@code tcp://127.0.0.1:<port>}.
     *
     * @return the endpoint, such as {@code tcp://127.0.0.1:40123}
     */
    public String address() {
        return address;
    }

    /**
     * Returns the random id this service chose when it started; clients see it in answers to a
     * ping, and a new id tells them the name server restarted.
     *
     * @return a UUID string
     */
    public String serverId() {
        return serverId;
    }

    /**
     * Completes when a client asked this server to end (a {@code Shutdown} request, accepted only
     * when started with {@link NameServerServiceBuilder#acceptsShutdown(boolean)}); whoever runs the server then closes it.
     *
     * @return a future completed by the first accepted shutdown request
     */
    public CompletableFuture<Void> shutdownRequested() {
        return shutdownRequested;
    }

    /**
     * Returns the admin token: requests carrying it may stop agents, evict names and (a daemon's) shut
     * the name server down. The program that runs the service hands it to its own clients.
     *
     * @return the token, made at start
     */
    public String adminToken() {
        return admin.token();
    }

    /**
     * Returns the owner-only file the admin token was written to, which the command line reads.
     *
     * @return the file; empty when none was asked for ({@link NameServerServiceBuilder#adminTokenDirectory}) or it
     *         could not be written (the start logged why)
     */
    public Optional<Path> adminTokenFile() {
        return Optional.ofNullable(admin.tokenFile());
    }

    /**
     * Returns how many requests were refused for want of a credential since the service started:
     * admin operations without the admin, changes to entries without their host's secret,
     * registrations of names held under another secret.
     *
     * @return the count
     */
    public long refusedRequests() {
        return requests.refused();
    }

    /**
     * Returns the registry this service answers from, for readers in the same process (the console).
     *
     * @return the registry given to {@link NameServerServiceBuilder#registry(Registry)}
     */
    public Registry registry() {
        return registry;
    }

    /**
     * Returns what agent hosts reported about their agents' traffic with their heartbeats.
     *
     * @return the reports, updated as heartbeats arrive
     */
    public TrafficReports reports() {
        return reports;
    }

    /**
     * Returns how many requests were dropped as malformed since the service started.
     *
     * @return the count of dropped requests
     */
    public long droppedRequests() {
        return socket.dropped();
    }

    /**
     * Returns what the bounds on the service's input refused since it started: messages of more
     * than one frame, connections that sent a frame over the request limit or an old ZMTP greeting,
     * connections over {@code zeroagents.max.connections} or {@code zeroagents.max.connections.per.peer}.
     *
     * @return the counters, live
     */
    public InputCounters inputCounters() {
        return socket.inputCounters();
    }

    /**
     * Stops serving: the serving thread finishes the request in hand, closes the socket and ends;
     * then the ZeroMQ context is closed.
     *
     * <p>Returns once the thread has ended, within about 100 ms plus the time of the request in
     * hand. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        running = false;
        boolean interrupted = false;
        // Waiting must not be cut short: the context can only be closed after the socket is.
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (authenticator != null) {
            authenticator.close();
        }
        context.close();
        closeRegistry(registry);
        admin.close();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Name server {} on {} stopped", serverId, address);
    }

    /**
     * Returns how long a name server started in this JVM polls after a request in a row: the
     * setting {@code zeroagents.nameserver.spin.micros} (system property, else environment variable
     * {@code ZEROAGENTS_NAMESERVER_SPIN_MICROS}), else {@link #DEFAULT_SPIN_MICROS} µs. A daemon
     * calls it before anything else starts, so a bad value is reported first.
     *
     * @return the polling window; zero when polling is off
     * @throws IllegalArgumentException if the value is not a whole number of microseconds from 0 to
     *                                  1,000,000; the message names the property and the variable
     */
    public static Duration configuredSpin() {
        return ZeroAgentsSettings.NAMESERVER_SPIN.read();
    }

    /** The polling window from the property's and the variable's values, either of which may be unset. */
    static Duration spin(@Nullable String property, @Nullable String variable) {
        Map<String, String> environment = variable == null ? Map.of()
                : Map.of(ZeroAgentsSettings.NAMESERVER_SPIN.variable(), variable);
        return ConfigSource.of(name -> property, environment).read(ZeroAgentsSettings.NAMESERVER_SPIN);
    }

    /** How many times the serving thread has gone to a blocking receive (it polls in between). */
    long sleeps() {
        return sleeps;
    }

    static void closeRegistry(@Nullable Registry registry) {
        if (registry instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warn("Name server registry {} failed to close: {}", registry, e.getMessage(), e);
            }
        }
    }

    @Override
    public String toString() {
        return "NameServerService[" + address + ", " + serverId + "]";
    }

    private void serve() {
        long nextExpiry = System.nanoTime() + expiryPeriodNanos;
        // Polls only after requests in a row: hosts' heartbeats every second are answered without polling.
        PollingWindow window = PollingWindow.afterWorkInARow(spinNanos);
        try {
            while (running) {
                Inbound message;
                if (window.polling(System.nanoTime())) {
                    message = socket.receive(ZMQ.DONTWAIT);
                    if (message == null) {
                        // Yielding lets the I/O threads that bring the next request run first on a small machine.
                        Thread.yield();
                    }
                } else {
                    sleeps = sleeps + 1;
                    // Null on the receive timeout, which bounds how long a stop request goes unseen.
                    message = socket.receive(0);
                }
                if (message != null) {
                    window.began(System.nanoTime());
                    serve(message);
                    window.ended(System.nanoTime());
                }
                long now = System.nanoTime();
                if (now - nextExpiry >= 0) {
                    expire();
                    nextExpiry = now + expiryPeriodNanos;
                }
            }
        } catch (RuntimeException | Error e) {
            LOG.error("Name server {} on {} stopped serving after an unexpected failure", serverId, address, e);
            throw e;
        } finally {
            socket.close();
        }
    }

    private void serve(Inbound message) {
        Request request = socket.request(message);
        if (request != null) {
            socket.reply(message.frames().get(0), requests.answer(request, message.clientKey(), message.peerHost()));
        }
    }

    private void expire() {
        List<AgentEntry> expired;
        try {
            expired = registry.expire();
        } catch (RuntimeException e) {
            LOG.error("Name server on {} failed to expire leases; it will try again", address, e);
            return;
        }
        // A host silent for many leases is gone (or talks to another name server of the federation now).
        long memory = expiryPeriodNanos > Long.MAX_VALUE / (8 * HOST_MEMORY_LEASES) ? Long.MAX_VALUE / 2
                : expiryPeriodNanos * 4 * HOST_MEMORY_LEASES;
        hosts.forgetSilent(memory);
        for (AgentEntry entry : expired) {
            hosts.gone(entry.getName());
            LOG.info("Lease of agent '{}' of host {} ran out after {} without a heartbeat; removed it",
                    entry.getName(), entry.getHostId(), registry.lease());
        }
    }
}
