package io.zeroagents.nameserver;

import com.google.protobuf.InvalidProtocolBufferException;
import io.zeroagents.DuplicateAgentNameException;
import io.zeroagents.NameServerException;
import io.zeroagents.UnknownAgentException;
import io.zeroagents.internal.config.ConfigSource;
import io.zeroagents.internal.config.ZeroAgentsSettings;
import io.zeroagents.nameserver.protocol.AgentEntry;
import io.zeroagents.nameserver.protocol.AgentList;
import io.zeroagents.nameserver.protocol.Pong;
import io.zeroagents.nameserver.protocol.PutAddress;
import io.zeroagents.nameserver.protocol.RemoveAddress;
import io.zeroagents.nameserver.protocol.Request;
import io.zeroagents.nameserver.protocol.Response;
import io.zeroagents.nameserver.protocol.Status;
import io.zeroagents.nameserver.protocol.Unregister;
import io.zeroagents.nameserver.registry.NotOwnerException;
import io.zeroagents.nameserver.registry.Registry;
import io.zeroagents.transport.CurveKeys;
import io.zeroagents.transport.PollingWindow;
import io.zeroagents.transport.SocketFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;
import org.zeromq.SocketType;
import org.zeromq.ZAuth;
import org.zeromq.ZContext;
import org.zeromq.ZFrame;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;
import org.zeromq.ZMsg;

/**
 * A running name server: a ZeroMQ ROUTER socket answering the protocol of
 * {@link io.zeroagents.nameserver.protocol} from a {@link Registry}, on a thread of its own.
 *
 * <p>Clients are DEALER sockets that send each {@link Request} as one frame; the service answers
 * each with one {@link Response} carrying the same request id. Input it cannot serve (bytes that
 * are not a {@code Request}, another number of frames, a protocol version other than
 * {@value NameServerClient#PROTOCOL_VERSION}, a request without a body) is dropped, counted in
 * {@link #droppedRequests()} and logged; when the request id could be read the client still gets a
 * {@link Status#BAD_REQUEST} answer, so it does not wait for nothing. A failing request never stops
 * the service.
 *
 * <p>The service calls {@link Registry#expire()} at least every quarter lease and logs the agents
 * whose lease ran out.
 *
 * <p>After answering a request that came less than 1 ms after the answer before, the serving
 * thread keeps polling its socket before it sleeps, for {@link #DEFAULT_SPIN_MICROS} µs unless the
 * setting {@code zeroagents.nameserver.spin.micros} says otherwise (see {@link #configuredSpin()}).
 * It yields the processor between polls. A client's next request then finds it awake, as when a
 * host registers its agents one after another: waking a sleeping thread costs tens of microseconds
 * on a virtual machine, as much as the rest of a request. Requests that come now and then, such as
 * hosts' heartbeats every second, are answered without polling; 0 turns polling off.
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
    // Requests are small; a bigger frame is an attack or a bug, and JeroMQ drops its connection
    // before buffering it.
    private static final long MAX_REQUEST_BYTES = 1L << 20;
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
    private final ZMQ.Socket socket;
    private final String address;
    private final String serverId = UUID.randomUUID().toString();
    private final long expiryPeriodNanos;
    private final long spinNanos;
    private final Thread thread;
    /** How many times the serving thread went to a blocking receive; written by that thread only. */
    private volatile long sleeps;
    private final AtomicLong dropped = new AtomicLong();
    // The agent hosts that talk to this server and the stop requests for their agents. Serving thread only.
    private final AgentHosts hosts;
    private final boolean acceptsShutdown;
    // What hosts report with their heartbeats, for the console; kept for a few leases.
    private final TrafficReports reports;
    private final CompletableFuture<Void> shutdownRequested = new CompletableFuture<>();
    private volatile boolean running = true;
    private boolean closed; // guarded by this

    private NameServerService(Registry registry, ZContext context, @Nullable ZAuth authenticator, ZMQ.Socket socket,
                              String address, int port, boolean acceptsShutdown, Duration spin) {
        this.registry = registry;
        this.authenticator = authenticator;
        this.acceptsShutdown = acceptsShutdown;
        this.context = context;
        this.socket = socket;
        this.address = address;
        this.expiryPeriodNanos = Math.max(1, registry.lease().toNanos() / 4);
        this.spinNanos = spin.toNanos();
        this.reports = new TrafficReports(registry.lease().multipliedBy(3));
        this.hosts = new AgentHosts(registry, reports);
        this.thread = new Thread(this::serve, THREAD_PREFIX + port);
    }

    /**
     * Binds a name server to an endpoint and starts serving.
     *
     * @param bindEndpoint a {@code tcp://host:port} endpoint; port {@code *} or {@code 0} picks a
     *                     free port, read it back with {@link #address()}
     * @param registry     where the agents are kept; its {@link Registry#lease() lease} sets the
     *                     expiry period
     * @return the running service
     * @throws NameServerException      if the endpoint cannot be bound, for example because the
     *                                  port is in use
     * @throws IllegalArgumentException if the endpoint is not a {@code tcp://} endpoint, or
     *                                  {@link #SPIN_PROPERTY} has a bad value (see {@link #configuredSpin()})
     */
    public static NameServerService start(String bindEndpoint, Registry registry) {
        return start(bindEndpoint, registry, false);
    }

    /**
     * Binds a name server that may also be asked to end by its clients (a {@code Shutdown}
     * request): the daemon's choice, never an embedded server's.
     *
     * @param bindEndpoint    a {@code tcp://host:port} endpoint
     * @param registry        where the agents are kept
     * @param acceptsShutdown whether a {@code Shutdown} request completes {@link #shutdownRequested()}
     * @return the running service
     * @throws NameServerException      if the endpoint cannot be bound
     * @throws IllegalArgumentException if the endpoint is not a {@code tcp://} endpoint, or
     *                                  {@link #SPIN_PROPERTY} has a bad value (see {@link #configuredSpin()})
     */
    public static NameServerService start(String bindEndpoint, Registry registry, boolean acceptsShutdown) {
        return start(bindEndpoint, registry, acceptsShutdown, null);
    }

    /**
     * Binds a name server, encrypted and authenticated with CURVE when {@code curve} is given: only
     * clients whose keys it authorizes get in.
     *
     * @param bindEndpoint    a {@code tcp://host:port} endpoint
     * @param registry        where the agents are kept
     * @param acceptsShutdown whether a {@code Shutdown} request completes {@link #shutdownRequested()}
     * @param curve           the system's keys, or {@code null} for plain text
     * @return the running service
     * @throws NameServerException      if the endpoint cannot be bound
     * @throws IllegalArgumentException if the endpoint is not a {@code tcp://} endpoint, or
     *                                  {@link #SPIN_PROPERTY} has a bad value (see {@link #configuredSpin()})
     */
    public static NameServerService start(String bindEndpoint, Registry registry, boolean acceptsShutdown,
                                          @Nullable CurveKeys curve) {
        Duration spin;
        try {
            spin = configuredSpin();
        } catch (IllegalArgumentException e) {
            closeRegistry(registry);
            throw e;
        }
        return start(bindEndpoint, registry, acceptsShutdown, curve, spin);
    }

    /** As {@link #start(String, Registry, boolean, CurveKeys)}, polling for {@code spin} after each request. */
    static NameServerService start(String bindEndpoint, Registry registry, boolean acceptsShutdown,
                                   @Nullable CurveKeys curve, Duration spin) {
        Objects.requireNonNull(bindEndpoint, "bindEndpoint");
        Objects.requireNonNull(spin, "spin");
        Objects.requireNonNull(registry, "registry");
        if (!bindEndpoint.startsWith("tcp://")) {
            closeRegistry(registry);
            throw new IllegalArgumentException("Name server endpoint '" + bindEndpoint
                    + "' is not a tcp:// endpoint; use for example tcp://127.0.0.1:* or tcp://0.0.0.0:9091");
        }
        ZContext context = new ZContext(1);
        NameServerService service;
        ZAuth authenticator = null;
        try {
            authenticator = curve == null ? null : curve.authenticator(context);
            SocketFactory sockets = SocketFactory.builder(context).maxMessageBytes(MAX_REQUEST_BYTES).curve(curve)
                    .build();
            ZMQ.Socket socket = sockets.create(SocketType.ROUTER);
            long pollMillis = Math.clamp(registry.lease().toMillis() / 4, 1, MAX_POLL_MILLIS);
            socket.setReceiveTimeOut((int) pollMillis);
            String bound = sockets.bind(socket, bindEndpoint);
            int colon = bound.lastIndexOf(':');
            int port = Integer.parseInt(bound.substring(colon + 1));
            String host = bound.substring("tcp://".length(), colon);
            service = new NameServerService(registry, context, authenticator, socket,
                    "tcp://" + reachableHost(host) + ":" + port, port, acceptsShutdown, spin);
        } catch (RuntimeException e) {
            if (authenticator != null) {
                authenticator.close();
            }
            context.close();
            closeRegistry(registry);
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
     * when started with {@code acceptsShutdown}); whoever runs the server then closes it.
     *
     * @return a future completed by the first accepted shutdown request
     */
    public CompletableFuture<Void> shutdownRequested() {
        return shutdownRequested;
    }

    /**
     * Returns the registry this service answers from, for readers in the same process (the console).
     *
     * @return the registry given to {@link #start}
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
        return dropped.get();
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

    private static void closeRegistry(@Nullable Registry registry) {
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
                ZMsg message;
                if (window.polling(System.nanoTime())) {
                    message = ZMsg.recvMsg(socket, ZMQ.DONTWAIT);
                    if (message == null) {
                        // Yielding lets the I/O threads that bring the next request run first on a small machine.
                        Thread.yield();
                    }
                } else {
                    sleeps = sleeps + 1;
                    // Null on the receive timeout, which bounds how long a stop request goes unseen.
                    message = ZMsg.recvMsg(socket, 0);
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
            // A short linger lets the last answers (such as the one to a Shutdown request) leave.
            socket.setLinger(200);
            socket.close();
        }
    }

    private void serve(ZMsg message) {
        if (message.size() != 2) {
            drop(message.isEmpty() ? null : message.getFirst(), "a message of " + message.size()
                    + " frames; expected the routing id and one Request frame");
            return;
        }
        ZFrame peer = message.pop();
        byte[] bytes = message.pop().getData();
        Request request;
        try {
            request = Request.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            drop(peer, bytes.length + " bytes that are not a Request (" + e.getMessage() + ")");
            return;
        }
        String problem = malformation(request);
        if (problem != null) {
            drop(peer, "request " + request.getRequestId() + ": " + problem);
            reply(peer, Response.newBuilder()
                    .setRequestId(request.getRequestId())
                    .setStatus(Status.BAD_REQUEST)
                    .setError(problem)
                    .build());
            return;
        }
        reply(peer, answer(request));
    }

    private static @Nullable String malformation(Request request) {
        if (request.getVersion() != NameServerClient.PROTOCOL_VERSION) {
            return "protocol version " + request.getVersion() + " is not supported; this name server speaks version "
                    + NameServerClient.PROTOCOL_VERSION;
        }
        if (request.getBodyCase() == Request.BodyCase.BODY_NOT_SET) {
            return "the request has no body; set one of register, lookup, list, ...";
        }
        return null;
    }

    private void drop(@Nullable ZFrame peer, String reason) {
        long count = dropped.incrementAndGet();
        LOG.warn("Name server on {} dropped input from peer {}: {} ({} dropped so far)",
                address, peer == null ? "?" : peer.strhex(), reason, count);
    }

    private void reply(ZFrame peer, Response response) {
        // A ROUTER drops answers to peers that left or fell behind, so this never blocks.
        socket.sendMore(peer.getData());
        socket.send(response.toByteArray(), 0);
    }

    private Response answer(Request request) {
        String host = switch (request.getBodyCase()) {
            case REGISTER -> request.getRegister().getAgent().getHostId();
            case UNREGISTER -> request.getUnregister().getHostId();
            case HEARTBEAT -> request.getHeartbeat().getHostId();
            case PUT_ADDRESS -> request.getPutAddress().getHostId();
            case REMOVE_ADDRESS -> request.getRemoveAddress().getHostId();
            default -> "";
        };
        hosts.seen(host);
        Response.Builder response = Response.newBuilder().setRequestId(request.getRequestId()).setStatus(Status.OK);
        try {
            switch (request.getBodyCase()) {
                case REGISTER -> register(request);
                case UNREGISTER -> unregister(request.getUnregister());
                case HEARTBEAT -> response.setHeartbeat(hosts.heartbeat(request.getHeartbeat()));
                case LOOKUP -> response.setAgent(lookup(request.getLookup().getName()));
                case LIST -> response.setAgents(AgentList.newBuilder().addAllAgents(registry.list()));
                case PUT_ADDRESS -> {
                    PutAddress put = request.getPutAddress();
                    if (!put.hasAddress()) {
                        throw new IllegalArgumentException("put_address for agent '" + put.getName() + "' has no address");
                    }
                    registry.putAddress(put.getName(), put.getHostId(), put.getAddress());
                }
                case REMOVE_ADDRESS -> {
                    RemoveAddress remove = request.getRemoveAddress();
                    registry.removeAddress(remove.getName(), remove.getHostId(), remove.getAlias());
                }
                case PING -> response.setPong(Pong.newBuilder().setServerId(serverId));
                case STOP_AGENTS -> response.setAgents(hosts.stop(request.getStopAgents().getNamesList()));
                case SHUTDOWN -> {
                    if (!acceptsShutdown) {
                        throw new IllegalStateException("this name server is embedded in a program, which decides"
                                + " when it ends; shut it down there");
                    }
                    LOG.info("Name server {} on {} was asked to shut down", serverId, address);
                    shutdownRequested.complete(null);
                }
                case BODY_NOT_SET -> throw new IllegalArgumentException("the request has no body");
            }
            return response.build();
        } catch (DuplicateAgentNameException e) {
            return refusal(request, Status.DUPLICATE_NAME, e);
        } catch (UnknownAgentException e) {
            return refusal(request, Status.UNKNOWN_AGENT, e);
        } catch (NotOwnerException e) {
            return refusal(request, Status.NOT_OWNER, e);
        } catch (IllegalArgumentException e) {
            return refusal(request, Status.BAD_REQUEST, e);
        } catch (RuntimeException e) {
            LOG.error("Name server on {} failed to serve request {} ({})",
                    address, request.getRequestId(), request.getBodyCase(), e);
            return refusal(request, Status.ERROR, e);
        }
    }

    private void register(Request request) {
        if (!request.getRegister().hasAgent()) {
            throw new IllegalArgumentException("register has no agent entry");
        }
        AgentEntry agent = request.getRegister().getAgent();
        registry.register(agent);
        LOG.debug("Registered agent '{}' of host {}", agent.getName(), agent.getHostId());
    }

    private void unregister(Unregister unregister) {
        if (!registry.unregister(unregister.getName(), unregister.getHostId())) {
            throw unknown(unregister.getName());
        }
        hosts.gone(unregister.getName());
        LOG.debug("Unregistered agent '{}' of host {}", unregister.getName(), unregister.getHostId());
    }

    private AgentEntry lookup(String name) {
        return registry.lookup(name).orElseThrow(() -> unknown(name));
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

    private static UnknownAgentException unknown(String name) {
        return new UnknownAgentException("No agent named '" + name + "' is registered");
    }

    private static Response refusal(Request request, Status status, RuntimeException e) {
        String message = e.getMessage();
        return Response.newBuilder()
                .setRequestId(request.getRequestId())
                .setStatus(status)
                .setError(message == null ? e.getClass().getName() : message)
                .build();
    }

    private static String reachableHost(String boundHost) {
        return switch (boundHost) {
            case "0.0.0.0", "*", "::", "[::]", "[::0]" -> "127.0.0.1";
            default -> boundHost;
        };
    }
}
