package io.zeroagents.nameserver;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.zeroagents.DuplicateAgentNameException;
import io.zeroagents.NameServerException;
import io.zeroagents.UnknownAgentException;
import io.zeroagents.nameserver.protocol.AddressEntry;
import io.zeroagents.nameserver.protocol.AgentEntry;
import io.zeroagents.nameserver.protocol.Evict;
import io.zeroagents.nameserver.protocol.Heartbeat;
import io.zeroagents.nameserver.protocol.HeartbeatResult;
import io.zeroagents.nameserver.protocol.HostReport;
import io.zeroagents.nameserver.protocol.ListAgents;
import io.zeroagents.nameserver.protocol.Lookup;
import io.zeroagents.nameserver.protocol.Ping;
import io.zeroagents.nameserver.protocol.PutAddress;
import io.zeroagents.nameserver.protocol.Register;
import io.zeroagents.nameserver.protocol.RemoveAddress;
import io.zeroagents.nameserver.protocol.Request;
import io.zeroagents.nameserver.protocol.Response;
import io.zeroagents.nameserver.protocol.Shutdown;
import io.zeroagents.nameserver.protocol.Status;
import io.zeroagents.nameserver.protocol.StopAgents;
import io.zeroagents.nameserver.protocol.Unregister;
import io.zeroagents.nameserver.registry.NotOwnerException;
import io.zeroagents.nameserver.registry.OwnerKey;
import io.zeroagents.transport.CurveKeys;
import io.zeroagents.transport.InputLimits;
import io.zeroagents.transport.SocketFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * A connection to one name server: sends {@link Request requests} and waits, up to a timeout, for
 * their {@link Response answers}.
 *
 * <p>The client owns a ZeroMQ context (or uses one its creator shares) and one DEALER socket at a time. Calls are serialized: the
 * client is thread-safe, and a call waits for the one in progress to finish.
 *
 * <p>A call that gets no answer soon (an eighth of the timeout, between 100 and 500 ms) sends its
 * request again on a new connection, with the same request id, and so on with doubling waits until
 * the timeout; then it throws {@link NameServerException}. Dropping the connection drops what was
 * queued on it, so a request made while the name server is down never reaches it later, and once
 * the server is back on the same endpoint the next call succeeds without any action. An answer
 * carrying another request id (a late answer to an earlier call) is discarded.
 *
 * <p>Resending means the server may receive a request twice. Every request of the protocol has
 * the same effect applied twice by the same host, except that a repeated {@code unregister} is
 * answered {@code UNKNOWN_AGENT}, which {@link #unregister} ignores.
 *
 * <p>The typed methods translate refusals into the exceptions of {@code io.zeroagents}; use
 * {@link #call(Request.Builder)} for the raw answer.
 *
 * <p>Do not interrupt a thread inside a call: JeroMQ does not survive interrupts of its I/O.
 *
 * @since 0.1
 */
public final class NameServerClient implements AutoCloseable {

    /**
     * The version of the protocol of {@link io.zeroagents.nameserver.protocol} that this client
     * sends and that name servers speak.
     */
    public static final int PROTOCOL_VERSION = 1;

    private static final Logger LOG = LogManager.getLogger(NameServerClient.class);
    // Bounds of the first wait before resending: a healthy name server answers in a millisecond or
    // two, and a stalled connection should cost little of a call's timeout.
    private static final long MIN_FIRST_WAIT_MILLIS = 100;
    private static final long MAX_FIRST_WAIT_MILLIS = 500;
    // The largest answer taken: a list of every agent of a large federation fits many times over.
    private static final long MAX_RESPONSE_BYTES = 64L << 20;

    private final String address;
    private final long timeoutNanos;
    private final long timeoutMillis;
    private final long firstWaitNanos;
    private final ZContext context;
    private final boolean ownsContext;
    private final @Nullable CurveKeys curve;
    // The name server's key, pinned by every connection: found once, from the key directory.
    private final @Nullable String serverKey;
    private ZMQ.@Nullable Socket socket; // guarded by this; null until needed again after a failed attempt
    private long lastRequestId; // guarded by this
    private boolean closed; // guarded by this

    /**
     * Creates a client and starts connecting to the name server in the background.
     *
     * @param address the name server's endpoint, such as {@code tcp://127.0.0.1:9091}
     * @param timeout how long each call waits for its answer; positive
     * @throws NameServerException      if the address cannot be connected to (for example, it is
     *                                  malformed or names an unknown transport)
     * @throws IllegalArgumentException if the timeout is not positive
     */
    public NameServerClient(String address, Duration timeout) {
        this(address, timeout, null);
    }

    /**
     * Creates a client of a name server that encrypts with CURVE when {@code curve} is given.
     *
     * @param address the name server's endpoint
     * @param timeout how long each call waits for its answer; positive
     * @param curve   this host's keys, or {@code null} for plain text; the name server's key is the one
     *                they trust for the address ({@link CurveKeys#serverKeyFor})
     */
    public NameServerClient(String address, Duration timeout, @Nullable CurveKeys curve) {
        this(address, timeout, curve, null);
    }

    /**
     * Creates a client whose sockets live in a context its caller owns, so that many clients (a
     * runtime's) share that context's threads instead of starting two each.
     *
     * @param address       the name server's endpoint
     * @param timeout       how long each call waits for its answer; positive
     * @param curve         this host's keys, or {@code null} for plain text
     * @param sharedContext the context to create sockets in, which {@link #close()} leaves open
     *                      (close it after this client); {@code null} for a context of the
     *                      client's own
     * @throws NameServerException when the address cannot be connected to, or, with CURVE, the key
     *                             directory knows no key for it (the message says what to add)
     */
    public NameServerClient(String address, Duration timeout, @Nullable CurveKeys curve,
                            @Nullable ZContext sharedContext) {
        this.curve = curve;
        this.address = Objects.requireNonNull(address, "address");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("Name server client timeout must be positive, got " + timeout);
        }
        this.timeoutMillis = Math.clamp(timeout.toMillis(), 1, Integer.MAX_VALUE);
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        this.firstWaitNanos = TimeUnit.MILLISECONDS.toNanos(
                Math.clamp(timeoutMillis / 8, MIN_FIRST_WAIT_MILLIS, MAX_FIRST_WAIT_MILLIS));
        try {
            this.serverKey = curve == null ? null : curve.serverKeyFor(address);
        } catch (IllegalArgumentException e) {
            throw new NameServerException("Cannot connect to the name server at " + address + ": " + e.getMessage(), e);
        }
        this.ownsContext = sharedContext == null;
        this.context = sharedContext == null ? new ZContext(1) : sharedContext;
        try {
            this.socket = openSocket();
        } catch (RuntimeException e) {
            if (ownsContext) {
                context.close();
            }
            throw new NameServerException("Cannot connect to the name server at " + address + ": " + e.getMessage()
                    + "; expected an endpoint such as tcp://127.0.0.1:9091", e);
        }
    }

    /**
     * Returns the endpoint of the name server this client talks to.
     *
     * @return the endpoint given to the constructor
     */
    public String address() {
        return address;
    }

    /**
     * Sends a request and returns the answer to it, whatever its status.
     *
     * <p>Sets the builder's version to {@value #PROTOCOL_VERSION} and its request
     * id to a fresh one, so the builder is changed. The request may reach the server more than
     * once (see the class documentation).
     *
     * @param request the request, with its body set
     * @return the answer carrying the request's id
     * @throws NameServerException      if no answer came within the timeout, or the connection
     *                                  failed
     * @throws IllegalArgumentException if the request has no body
     * @throws IllegalStateException    if the client is closed
     */
    public synchronized Response call(Request.Builder request) {
        Objects.requireNonNull(request, "request");
        if (closed) {
            throw new IllegalStateException("Name server client for " + address + " is closed");
        }
        if (request.getBodyCase() == Request.BodyCase.BODY_NOT_SET) {
            throw new IllegalArgumentException("A name server request needs a body: register, lookup, list, ...");
        }
        String operation = operation(request.getBodyCase());
        long requestId = ++lastRequestId;
        byte[] bytes = request.setVersion(PROTOCOL_VERSION).setRequestId(requestId)
                .build().toByteArray();
        long deadline = System.nanoTime() + timeoutNanos;
        long wait = firstWaitNanos;
        try {
            while (true) {
                ZMQ.Socket current = socket != null ? socket : (socket = openSocket());
                long now = System.nanoTime();
                long attemptDeadline = deadline - now > wait ? now + wait : deadline;
                // Never blocks: a fresh connection's queue is empty and takes the request at once.
                if (current.send(bytes, ZMQ.DONTWAIT)) {
                    Response response = awaitAnswer(current, requestId, attemptDeadline);
                    if (response != null) {
                        return response;
                    }
                }
                // JeroMQ 0.6.0 leaves a few percent of fresh tcp connections without their ZMTP
                // handshake (zeromq/jeromq#1022), and a request queued for a dead server would
                // reach it whenever it returns: a new connection fixes the first and drops the second.
                discardSocket();
                if (System.nanoTime() - deadline >= 0) {
                    throw noAnswer(operation);
                }
                LOG.debug("No answer from name server {} to '{}' (request {}) within {} ms; resending on a new connection",
                        address, operation, requestId, TimeUnit.NANOSECONDS.toMillis(wait));
                wait *= 2;
            }
        } catch (ZMQException e) {
            discardSocket();
            throw new NameServerException("Name server client for " + address + " failed during '" + operation
                    + "': " + e.getMessage(), e);
        }
    }

    /**
     * Registers an agent, or replaces this host's earlier registration of the same name.
     *
     * @param entry      the agent, with its name and owning host id (a label) set
     * @param hostSecret the host's secret ({@link OwnerKey#newSecret()}), which every later request
     *                   about the entry must carry; sent to the name server only
     * @throws DuplicateAgentNameException if another host holds the name
     * @throws IllegalArgumentException    if the server refused the entry as malformed (a blank
     *                                     name or host id, two addresses with the same alias, a
     *                                     missing or short secret)
     * @throws NameServerException         if the server did not answer in time or failed
     */
    public void register(AgentEntry entry, ByteString hostSecret) {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(hostSecret, "hostSecret");
        Response response = call(Request.newBuilder()
                .setRegister(Register.newBuilder().setAgent(entry).setHostSecret(hostSecret)));
        requireOk(response, "register", entry.getName());
    }

    /**
     * Removes an agent's registration; a name the server does not hold is not an error, since the
     * lease may have run out or the server restarted.
     *
     * @param name       the agent's name
     * @param hostSecret the secret it was registered with
     * @throws NotOwnerException   if another host holds the name
     * @throws NameServerException if the server did not answer in time or failed
     */
    public void unregister(String name, ByteString hostSecret) {
        Response response = call(Request.newBuilder()
                .setUnregister(Unregister.newBuilder().setName(name).setHostSecret(hostSecret)));
        if (response.getStatus() != Status.UNKNOWN_AGENT) {
            requireOk(response, "unregister", name);
        }
    }

    /**
     * Renews the leases of a host's agents.
     *
     * @param hostId     the host's id, a label for the name server's logs and console
     * @param hostSecret the secret the agents were registered with; only their entries are renewed
     * @param names      the names of the host's agents
     * @return the names the server does not hold for this host, which the host must register
     *         again, and those someone asked to stop
     * @throws NameServerException if the server did not answer in time or failed
     */
    public HeartbeatResult heartbeat(String hostId, ByteString hostSecret, Collection<String> names) {
        return heartbeat(Heartbeat.newBuilder().setHostId(hostId).setHostSecret(hostSecret).addAllNames(names));
    }

    /**
     * Renews a host's leases and hands the server the host's traffic report, which its console
     * shows.
     *
     * @param hostId     the host's id, a label
     * @param hostSecret the secret the agents were registered with
     * @param names      the names of the host's agents
     * @param report     what the host's agents did since they started
     * @return as {@link #heartbeat(String, ByteString, Collection)}
     * @throws NameServerException if the server did not answer in time or failed
     */
    public HeartbeatResult heartbeat(String hostId, ByteString hostSecret, Collection<String> names,
                                     HostReport report) {
        return heartbeat(Heartbeat.newBuilder().setHostId(hostId).setHostSecret(hostSecret).addAllNames(names)
                .setReport(report));
    }

    private HeartbeatResult heartbeat(Heartbeat.Builder heartbeat) {
        Response response = call(Request.newBuilder().setHeartbeat(heartbeat));
        requireOk(response, "heartbeat", heartbeat.getHostId());
        return response.getHeartbeat();
    }

    /**
     * Finds an agent by name.
     *
     * @param name the agent's name
     * @return its entry, with the time left on its lease
     * @throws UnknownAgentException if the server holds no agent by that name
     * @throws NameServerException   if the server did not answer in time or failed
     */
    public AgentEntry lookup(String name) {
        Response response = call(Request.newBuilder().setLookup(Lookup.newBuilder().setName(name)));
        requireOk(response, "lookup", name);
        if (!response.hasAgent()) {
            throw new NameServerException("Name server " + address + " answered 'lookup' of '" + name
                    + "' without an agent entry");
        }
        return response.getAgent();
    }

    /**
     * Lists every agent the server holds.
     *
     * @return the entries sorted by name
     * @throws NameServerException if the server did not answer in time or failed
     */
    public List<AgentEntry> list() {
        Response response = call(Request.newBuilder().setList(ListAgents.getDefaultInstance()));
        requireOk(response, "list", "");
        return List.copyOf(response.getAgents().getAgentsList());
    }

    /**
     * Adds an address to an agent, replacing its address of the same alias.
     *
     * @param name       the agent's name
     * @param hostSecret the secret it was registered with
     * @param address    the address
     * @throws UnknownAgentException    if the server holds no agent by that name
     * @throws NotOwnerException        if another host holds the name
     * @throws IllegalArgumentException if the server refused the address as malformed
     * @throws NameServerException      if the server did not answer in time or failed
     */
    public void putAddress(String name, ByteString hostSecret, AddressEntry address) {
        Response response = call(Request.newBuilder().setPutAddress(PutAddress.newBuilder().setName(name)
                .setHostSecret(hostSecret).setAddress(address)));
        requireOk(response, "put_address", name);
    }

    /**
     * Removes an address of an agent; an alias the agent does not have is ignored.
     *
     * @param name       the agent's name
     * @param hostSecret the secret it was registered with
     * @param alias      the alias of the address
     * @throws UnknownAgentException if the server holds no agent by that name
     * @throws NotOwnerException     if another host holds the name
     * @throws NameServerException   if the server did not answer in time or failed
     */
    public void removeAddress(String name, ByteString hostSecret, String alias) {
        Response response = call(Request.newBuilder().setRemoveAddress(RemoveAddress.newBuilder().setName(name)
                .setHostSecret(hostSecret).setAlias(alias)));
        requireOk(response, "remove_address", name);
    }

    /**
     * Checks that the name server answers.
     *
     * @return the server's id; a different id than before means it restarted
     * @throws NameServerException if the server did not answer in time
     */
    public String ping() {
        Response response = call(Request.newBuilder().setPing(Ping.getDefaultInstance()));
        requireOk(response, "ping", "");
        return response.getPong().getServerId();
    }

    /**
     * Asks the hosts of some agents (or of all, with no names) to stop them; hosts learn it from
     * their next heartbeat, so the agents stop within about a heartbeat period. Needs an admin.
     *
     * @param names      the agents to stop; empty for every registered agent
     * @param adminToken the name server's admin token ({@link AdminToken}), or {@code null} when
     *                   this client's CURVE key is an admin's
     * @return the names the server marked (registered agents only)
     * @throws NameServerException if the server did not answer in time, or refused (not an admin)
     */
    public List<String> stopAgents(Collection<String> names, @Nullable String adminToken) {
        Response response = call(admin(Request.newBuilder().setStopAgents(StopAgents.newBuilder().addAllNames(names)),
                adminToken));
        requireOk(response, "stop_agents", "");
        return response.getAgents().getAgentsList().stream().map(AgentEntry::getName).toList();
    }

    /**
     * Asks a standalone name server to exit. Needs an admin.
     *
     * @param adminToken the name server's admin token, or {@code null} when this client's CURVE key
     *                   is an admin's
     * @throws NameServerException if it did not answer, refused (not an admin), or it is an
     *                             embedded one that refuses
     */
    public void shutdownServer(@Nullable String adminToken) {
        Response response = call(admin(Request.newBuilder().setShutdown(Shutdown.getDefaultInstance()), adminToken));
        requireOk(response, "shutdown", "");
    }

    /**
     * Removes an agent's entry whichever host registered it. Needs an admin.
     *
     * @param name       the agent's name
     * @param adminToken the name server's admin token, or {@code null} when this client's CURVE key
     *                   is an admin's
     * @return the entry removed
     * @throws UnknownAgentException if the server holds no agent by that name (also when the request
     *                               was resent after a lost answer and the first one evicted it)
     * @throws NameServerException   if it did not answer, or refused (not an admin)
     */
    public AgentEntry evict(String name, @Nullable String adminToken) {
        Response response = call(admin(Request.newBuilder().setEvict(Evict.newBuilder().setName(name)), adminToken));
        requireOk(response, "evict", name);
        return response.getAgent();
    }

    private static Request.Builder admin(Request.Builder request, @Nullable String adminToken) {
        return adminToken == null ? request : request.setAdminToken(adminToken);
    }

    /**
     * Closes the socket, then the ZeroMQ context unless it is shared; waits for a call in progress
     * first. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        discardSocket();
        if (ownsContext) {
            context.close();
        }
    }

    @Override
    public String toString() {
        return "NameServerClient[" + address + "]";
    }

    private ZMQ.Socket openSocket() {
        // An answer is one frame: a name server sending more, or more bytes, is not kept.
        SocketFactory sockets = SocketFactory.builder(context).owner("Name server client")
                .maxMessageBytes(MAX_RESPONSE_BYTES).inputLimits(new InputLimits(1, MAX_RESPONSE_BYTES))
                .curve(curve).build();
        ZMQ.Socket fresh = sockets.create(SocketType.DEALER);
        try {
            sockets.connect(fresh, address, serverKey);
            return fresh;
        } catch (RuntimeException e) {
            fresh.close();
            throw e;
        }
    }

    private void discardSocket() {
        if (socket != null) {
            socket.close();
            socket = null;
        }
    }

    private @Nullable Response awaitAnswer(ZMQ.Socket current, long requestId, long attemptDeadline) {
        while (true) {
            long remaining = attemptDeadline - System.nanoTime();
            if (remaining <= 0) {
                return null;
            }
            current.setReceiveTimeOut((int) Math.clamp(TimeUnit.NANOSECONDS.toMillis(remaining) + 1, 1, timeoutMillis));
            byte[] frame = current.recv(0);
            if (frame == null) {
                continue;
            }
            if (current.hasReceiveMore()) {
                int extra = 0;
                while (current.hasReceiveMore()) {
                    current.recv(0);
                    extra++;
                }
                LOG.warn("Name server {} sent an answer of {} frames; expected one, discarded it", address, extra + 1);
                continue;
            }
            Response response;
            try {
                response = Response.parseFrom(frame);
            } catch (InvalidProtocolBufferException e) {
                LOG.warn("Name server {} sent {} bytes that are not a Response; discarded them", address, frame.length, e);
                continue;
            }
            if (response.getRequestId() == requestId) {
                return response;
            }
            LOG.debug("Discarded a late answer to request {} from name server {}", response.getRequestId(), address);
        }
    }

    private NameServerException noAnswer(String operation) {
        return new NameServerException("Name server " + address + " did not answer '" + operation + "' within "
                + timeoutMillis + " ms; check that it is running and reachable" + (serverKey == null ? ""
                : ", and, with CURVE, that it serves with the key pinned for it (" + serverKey + ") and lets this"
                + " host's key in (" + java.util.Objects.requireNonNull(curve).publicKey() + ")"));
    }

    private void requireOk(Response response, String operation, String name) {
        String error = response.getError();
        switch (response.getStatus()) {
            case OK -> {
                return;
            }
            case DUPLICATE_NAME -> throw new DuplicateAgentNameException(error + " on name server " + address);
            case UNKNOWN_AGENT -> throw new UnknownAgentException(
                    "No agent named '" + name + "' on name server " + address);
            case NOT_OWNER -> throw new NotOwnerException(error + " (name server " + address + ")");
            case BAD_REQUEST -> throw new IllegalArgumentException(
                    "Name server " + address + " refused '" + operation + "': " + error);
            case FORBIDDEN, FULL -> throw new NameServerException(
                    "Name server " + address + " refused '" + operation + "': " + error);
            case ERROR, UNRECOGNIZED -> throw new NameServerException(
                    "Name server " + address + " failed '" + operation + "' (" + response.getStatus() + "): " + error);
        }
    }

    private static String operation(Request.BodyCase body) {
        return body.name().toLowerCase(Locale.ROOT);
    }
}
