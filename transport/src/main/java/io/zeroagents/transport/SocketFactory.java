package io.zeroagents.transport;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZEvent;
import org.zeromq.ZMQException;

/**
 * Makes ZeroAgents' ZeroMQ sockets, every one of them the same way: the mailbox guard installed,
 * the linger set explicitly, the largest frame a peer may declare, the handshake limit, ZMTP
 * heartbeats, the send timeout and high-water marks when given, and CURVE (serving with the host's
 * key on {@link #bind}, as a client pinned to the server's key on {@link #connect}) for every
 * endpoint but {@code inproc}, when the factory has keys.
 *
 * <p>Bounded input: a factory given {@link InputLimits} (for all its sockets, or per socket in
 * {@link #create(SocketType, InputLimits)}) bounds the frames and bytes of each message a
 * connection sends, as JeroMQ reads the frame headers, and, with {@link ConnectionLimits}, how many
 * connections a bound socket keeps. What they refuse is counted in {@link #inputCounters()} and
 * logged at most once per peer address per interval. They cost nothing over {@code inproc}, and over
 * tcp a few field updates per frame in JeroMQ's I/O thread.
 *
 * <p>Secure by default: a factory without keys refuses to bind an endpoint other machines can
 * reach ({@link InsecureBindException}) unless its builder was told
 * {@link Builder#plainTextBeyondLoopback(boolean)}. Every ZeroAgents socket is made here, so no
 * server of the framework can serve plain text to the network by an oversight.
 *
 * <p>Immutable and thread-safe; the sockets it makes belong to the thread that uses them.
 */
public final class SocketFactory {
    /** The longest heartbeat TTL JeroMQ sends: tenths of a second in 16 bits. */
    private static final int MAX_HEARTBEAT_TTL_MILLIS = 655_399;
    private final ZContext context;
    private final int lingerMillis;
    private final long maxMessageBytes;
    private final int handshakeMillis;
    private final int sendTimeoutMillis;
    private final int highWaterMark;
    private final int heartbeatMillis;
    private final int heartbeatTimeoutMillis;
    private final @Nullable CurveKeys curve;
    private final boolean plainTextBeyondLoopback;
    private final @Nullable InputLimits inputLimits;
    private final @Nullable ConnectionLimits connectionLimits;
    private final InputReport inputReport;

    private SocketFactory(Builder builder) {
        this.context = builder.context;
        this.lingerMillis = builder.lingerMillis;
        this.maxMessageBytes = builder.maxMessageBytes;
        this.handshakeMillis = builder.handshakeMillis;
        this.sendTimeoutMillis = builder.sendTimeoutMillis;
        this.highWaterMark = builder.highWaterMark;
        this.heartbeatMillis = builder.heartbeatMillis;
        this.heartbeatTimeoutMillis = builder.heartbeatTimeoutMillis;
        this.curve = builder.curve;
        this.plainTextBeyondLoopback = builder.plainTextBeyondLoopback;
        this.inputLimits = builder.inputLimits;
        this.connectionLimits = builder.connectionLimits;
        this.inputReport = InputReport.of(builder.owner, new InputCounters());
    }

    /**
     * A builder of factories for sockets of {@code context}: linger 0, no frame limit, JeroMQ's
     * handshake limit, blocking sends and JeroMQ's high-water marks unless told otherwise.
     *
     * @param context the context the sockets belong to
     * @return a builder
     */
    public static Builder builder(ZContext context) {
        return new Builder(context);
    }

    /**
     * A new socket of {@code type} with this factory's settings, its input bounded by the factory's
     * {@link Builder#inputLimits(InputLimits) input limits} when it has some.
     *
     * @param type the ZeroMQ socket type
     * @return the socket, owned by the caller's thread
     */
    public ZMQ.Socket create(SocketType type) {
        return create(type, inputLimits);
    }

    /**
     * A new socket of {@code type} with this factory's settings and input bounded by {@code limits}
     * (and by the factory's connection limits, when it has some).
     *
     * @param type   the ZeroMQ socket type
     * @param limits what one message arriving over the network may hold; {@code null} for no bound
     * @return the socket, owned by the caller's thread
     */
    public ZMQ.Socket create(SocketType type, @Nullable InputLimits limits) {
        return create(type, limits, null, 0);
    }

    /**
     * A new socket like {@link #create(SocketType)} that also reports the connection events in
     * {@code events} (JeroMQ's {@code ZMQ.EVENT_*} bits) to {@code listener}. JeroMQ keeps one event
     * hook per socket, which the input bounds use too; this shares it.
     *
     * @param type     the ZeroMQ socket type
     * @param listener told of each event, on JeroMQ's I/O thread: it must be quick and never throw
     * @param events   the events it is told of
     * @return the socket, owned by the caller's thread
     */
    public ZMQ.Socket create(SocketType type, ZEvent.ZEventConsummer listener, int events) {
        return create(type, inputLimits, Objects.requireNonNull(listener, "listener"), events);
    }

    private ZMQ.Socket create(SocketType type, @Nullable InputLimits limits,
                              ZEvent.@Nullable ZEventConsummer listener, int events) {
        ZMQ.Socket socket = MailboxRaceGuard.createSocket(context, type);
        try {
            socket.setLinger(lingerMillis);
            if (maxMessageBytes > 0) {
                // A peer declaring a bigger frame loses its connection before JeroMQ allocates the frame.
                socket.setMaxMsgSize(maxMessageBytes);
            }
            if (handshakeMillis > 0) {
                socket.setHandshakeIvl(handshakeMillis);
            }
            if (heartbeatMillis > 0) {
                // Pings every connection; one that leaves a ping unanswered is closed, and the pings
                // tell the peer to close its end when they stop coming.
                socket.setHeartbeatIvl(heartbeatMillis);
                socket.setHeartbeatTimeout(heartbeatTimeoutMillis);
                socket.setHeartbeatTtl(Math.min(heartbeatTimeoutMillis, MAX_HEARTBEAT_TTL_MILLIS));
            }
            if (sendTimeoutMillis >= 0) {
                socket.setSendTimeOut(sendTimeoutMillis);
            }
            if (highWaterMark > 0) {
                socket.setSndHWM(highWaterMark);
                socket.setRcvHWM(highWaterMark);
            }
            if (limits != null) {
                InputGuard.install(socket, limits, connectionLimits, inputReport, curve != null, listener, events);
            } else if (listener != null && !socket.setEventHook(listener, events)) {
                throw new IllegalStateException("Cannot watch the connections of " + socket + ": errno "
                        + socket.errno());
            }
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    /**
     * Binds {@code socket}, serving CURVE unless the endpoint is {@code inproc}.
     *
     * @param socket   a socket this factory made
     * @param endpoint where to bind, e.g. {@code tcp://127.0.0.1:*}
     * @return the endpoint bound, with the port chosen
     * @throws IllegalArgumentException when the endpoint is malformed
     * @throws InsecureBindException    when the factory has no keys, the endpoint is reachable from
     *                                  other machines and plain text there was not allowed
     * @throws ZMQException             when the bind fails (the address is taken, say)
     */
    public String bind(ZMQ.Socket socket, String endpoint) {
        if (curve == null && !plainTextBeyondLoopback && Endpoints.isReachableFromOtherMachines(endpoint)) {
            throw new InsecureBindException(endpoint);
        }
        if (curve != null && !endpoint.startsWith("inproc://")) {
            curve.serve(socket);
        }
        if (!socket.bind(endpoint)) {
            throw new ZMQException("Cannot bind to " + endpoint, socket.errno());
        }
        return socket.getLastEndpoint();
    }

    /**
     * Connects {@code socket}, as a CURVE client unless the endpoint is {@code inproc}, pinned to the
     * key {@link CurveKeys#serverKeyFor} finds for the endpoint.
     *
     * @param socket   a socket this factory made
     * @param endpoint where to connect
     * @throws IllegalArgumentException when the endpoint is malformed, or no server key is known for it
     * @throws ZMQException             when the connect fails
     */
    public void connect(ZMQ.Socket socket, String endpoint) {
        connect(socket, endpoint, null);
    }

    /**
     * Connects {@code socket}, as a CURVE client unless the endpoint is {@code inproc}, pinned to
     * the server key that came with the address (from a name server), or, without one, to the key
     * {@link CurveKeys#serverKeyFor} finds for the endpoint. Without CURVE the key is not used.
     *
     * @param socket    a socket this factory made
     * @param endpoint  where to connect
     * @param serverKey the public key (Z85) of the server expected there, or {@code null}
     * @throws IllegalArgumentException when the endpoint is malformed, or no server key is known for it
     * @throws ZMQException             when the connect fails
     */
    public void connect(ZMQ.Socket socket, String endpoint, @Nullable String serverKey) {
        if (curve != null && !endpoint.startsWith("inproc://")) {
            curve.connectAsClient(socket, serverKey != null ? serverKey : curve.serverKeyFor(endpoint));
        }
        if (!socket.connect(endpoint)) {
            throw new ZMQException("Cannot connect to " + endpoint, socket.errno());
        }
    }

    /** The linger this factory's sockets start with, in milliseconds. */
    public int lingerMillis() {
        return lingerMillis;
    }

    /** The CURVE keys of this factory's sockets, or {@code null} when they are plain text. */
    public @Nullable CurveKeys curve() {
        return curve;
    }

    /**
     * What the input limits of this factory's sockets refused since the factory was made.
     *
     * @return the counters, live
     */
    public InputCounters inputCounters() {
        return inputReport.counters();
    }

    /** Settings of a {@link SocketFactory}; {@link #build()} checks them. */
    public static final class Builder {
        private final ZContext context;
        private int lingerMillis;
        private long maxMessageBytes = -1;
        private int handshakeMillis;
        private int sendTimeoutMillis = -1;
        private int highWaterMark;
        private int heartbeatMillis;
        private int heartbeatTimeoutMillis;
        private @Nullable CurveKeys curve;
        private boolean plainTextBeyondLoopback;
        private @Nullable InputLimits inputLimits;
        private @Nullable ConnectionLimits connectionLimits;
        private String owner = "ZeroAgents socket";

        private Builder(ZContext context) {
            this.context = Objects.requireNonNull(context, "context");
        }

        /** How long a closed socket may still send what it queued; 0 by default. */
        public Builder linger(Duration linger) {
            this.lingerMillis = millis(linger, "linger");
            return this;
        }

        /** The largest frame a peer may send; none by default. */
        public Builder maxMessageBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxMessageBytes must be positive, got " + bytes);
            }
            this.maxMessageBytes = bytes;
            return this;
        }

        /** How long a new connection's handshake may take before it is dropped; JeroMQ's by default. */
        public Builder handshake(Duration handshake) {
            this.handshakeMillis = Math.max(1, millis(handshake, "handshake"));
            return this;
        }

        /**
         * ZMTP heartbeats: every connection is pinged each {@code interval}, and closed when
         * nothing comes back within {@code timeout}; the pings also tell the peer to close its end
         * after {@code timeout} without one. None by default. JeroMQ answers pings by itself, so
         * only a dead or hostile peer goes.
         */
        public Builder heartbeat(Duration interval, Duration timeout) {
            int ivl = millis(interval, "heartbeat interval");
            int limit = millis(timeout, "heartbeat timeout");
            if (ivl == 0 || limit == 0) {
                throw new IllegalArgumentException("heartbeat interval and timeout must be positive, got " + interval
                        + " and " + timeout);
            }
            this.heartbeatMillis = ivl;
            this.heartbeatTimeoutMillis = limit;
            return this;
        }

        /**
         * What one message a socket receives over the network may hold, for every socket
         * {@link SocketFactory#create(SocketType)} makes; none by default.
         */
        public Builder inputLimits(@Nullable InputLimits limits) {
            this.inputLimits = limits;
            return this;
        }

        /** How many connections each bound socket with input limits keeps; no limit by default. */
        public Builder connectionLimits(@Nullable ConnectionLimits limits) {
            this.connectionLimits = limits;
            return this;
        }

        /** Who owns the sockets, as the log lines about refused input name it, e.g. {@code Name server}. */
        public Builder owner(String owner) {
            this.owner = Objects.requireNonNull(owner, "owner");
            return this;
        }

        /** How long one send may wait for room before it gives up; blocking by default. */
        public Builder sendTimeout(Duration timeout) {
            this.sendTimeoutMillis = millis(timeout, "sendTimeout");
            return this;
        }

        /** The send and receive high-water marks; JeroMQ's by default. */
        public Builder highWaterMark(int messages) {
            if (messages <= 0) {
                throw new IllegalArgumentException("highWaterMark must be positive, got " + messages);
            }
            this.highWaterMark = messages;
            return this;
        }

        /** CURVE keys for every socket over the network; {@code null} (the default) for plain text. */
        public Builder curve(@Nullable CurveKeys keys) {
            this.curve = keys;
            return this;
        }

        /**
         * Whether {@link SocketFactory#bind} may serve plain text on an endpoint other machines can
         * reach when the factory has no CURVE keys. Off by default, and then such a bind throws
         * {@link InsecureBindException}: only for a network every host of which is trusted.
         */
        public Builder plainTextBeyondLoopback(boolean allowed) {
            this.plainTextBeyondLoopback = allowed;
            return this;
        }

        /** The factory. */
        public SocketFactory build() {
            return new SocketFactory(this);
        }

        private static int millis(Duration duration, String what) {
            if (duration.isNegative()) {
                throw new IllegalArgumentException(what + " must not be negative, got " + duration);
            }
            return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
        }
    }
}
