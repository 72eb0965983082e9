package io.zeroagents.nameserver;

import com.google.protobuf.InvalidProtocolBufferException;
import io.zeroagents.nameserver.protocol.Request;
import io.zeroagents.nameserver.protocol.Response;
import io.zeroagents.nameserver.protocol.Status;
import io.zeroagents.settings.ConfigSource;
import io.zeroagents.settings.ZeroAgentsSettings;
import io.zeroagents.transport.ConnectionLimits;
import io.zeroagents.transport.CurveKeys;
import io.zeroagents.transport.DropLog;
import io.zeroagents.transport.InputCounters;
import io.zeroagents.transport.InputLimits;
import io.zeroagents.transport.SocketFactory;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The name server's ROUTER socket and what arrives on it: made with the bounds a stranger meets
 * (one frame of at most {@value #MAX_REQUEST_BYTES} bytes per request, a handshake limit,
 * heartbeats, {@code zeroagents.max.connections} and {@code .per.peer}), it hands the service
 * each well-formed request and drops the rest, counted in {@link #dropped()} and logged at most
 * once per client address per {@link DropLog#DEFAULT_INTERVAL}; a request whose id could be read
 * is still answered {@link Status#BAD_REQUEST}.
 *
 * <p>Owned by the serving thread once the service starts, but for the counters.
 */
final class RequestSocket {
    private static final Logger LOG = LogManager.getLogger(NameServerService.class);
    /**
     * Requests are small; a bigger frame is an attack or a bug, and JeroMQ drops its connection
     * before buffering it.
     */
    static final long MAX_REQUEST_BYTES = 1L << 20;
    /** How long a new connection has for its ZMTP handshake. */
    private static final Duration HANDSHAKE = Duration.ofSeconds(5);
    /** How often every connection is pinged, and how long an unanswered ping keeps it open. */
    private static final Duration HEARTBEAT = Duration.ofSeconds(5);
    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(20);

    private final ZMQ.Socket socket;
    private final SocketFactory sockets;
    private final String bound;
    private final AtomicLong dropped = new AtomicLong();
    private final DropLog dropLog = new DropLog(LOG);
    private String address;

    private RequestSocket(ZMQ.Socket socket, SocketFactory sockets, String bound) {
        this.socket = socket;
        this.sockets = sockets;
        this.bound = bound;
        this.address = bound;
    }

    /**
     * Makes the socket and binds it.
     *
     * @param receiveMillis how long a receive waits before it returns nothing
     * @throws RuntimeException when it cannot bind; the socket is closed
     */
    static RequestSocket bind(ZContext context, String endpoint, @Nullable CurveKeys curve, boolean plainText,
                              int receiveMillis) {
        ConfigSource settings = ConfigSource.system();
        SocketFactory sockets = SocketFactory.builder(context).owner("Name server")
                .maxMessageBytes(MAX_REQUEST_BYTES).inputLimits(new InputLimits(1, MAX_REQUEST_BYTES))
                .connectionLimits(new ConnectionLimits(settings.read(ZeroAgentsSettings.MAX_CONNECTIONS),
                        settings.read(ZeroAgentsSettings.MAX_CONNECTIONS_PER_PEER)))
                .handshake(HANDSHAKE).heartbeat(HEARTBEAT, HEARTBEAT_TIMEOUT)
                .curve(curve).plainTextBeyondLoopback(plainText).build();
        ZMQ.Socket socket = sockets.create(SocketType.ROUTER);
        try {
            socket.setReceiveTimeOut(receiveMillis);
            return new RequestSocket(socket, sockets, sockets.bind(socket, endpoint));
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The port bound. */
    int port() {
        return Integer.parseInt(bound.substring(bound.lastIndexOf(':') + 1));
    }

    /** The endpoint clients connect to: the one bound, with loopback for a bind to every interface. */
    String clientAddress() {
        int colon = bound.lastIndexOf(':');
        String host = switch (bound.substring("tcp://".length(), colon)) {
            case "0.0.0.0", "*", "::", "[::]", "[::0]" -> "127.0.0.1";
            default -> bound.substring("tcp://".length(), colon);
        };
        return "tcp://" + host + ":" + port();
    }

    /** Names the server in log lines by the address its clients use, once it is known. */
    void servingAs(String address) {
        this.address = address;
    }

    /**
     * Receives one message: {@link ZMQ#DONTWAIT}, or 0 to wait up to the receive timeout.
     *
     * @return the message, or {@code null} if none came
     */
    @Nullable Inbound receive(int flags) {
        return Inbound.receive(socket, flags);
    }

    /**
     * The request a message holds, or {@code null} when it holds none: then it was dropped,
     * counted and logged, and answered {@link Status#BAD_REQUEST} when its request id was readable.
     */
    @Nullable Request request(Inbound message) {
        List<byte[]> frames = message.frames();
        if (frames.size() != 2) {
            drop(message, frames.isEmpty() ? null : frames.get(0), "a message of " + frames.size()
                    + " frames; expected the routing id and one Request frame");
            return null;
        }
        byte[] peer = frames.get(0);
        byte[] bytes = frames.get(1);
        Request request;
        try {
            request = Request.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            drop(message, peer, bytes.length + " bytes that are not a Request (" + e.getMessage() + ")");
            return null;
        }
        String problem = RequestDispatcher.malformation(request);
        if (problem != null) {
            drop(message, peer, "request " + request.getRequestId() + ": " + problem);
            reply(peer, Response.newBuilder()
                    .setRequestId(request.getRequestId())
                    .setStatus(Status.BAD_REQUEST)
                    .setError(problem)
                    .build());
            return null;
        }
        return request;
    }

    /** Sends an answer; a ROUTER drops answers to peers that left or fell behind, so this never blocks. */
    void reply(byte[] peer, Response response) {
        socket.sendMore(peer);
        socket.send(response.toByteArray(), 0);
    }

    /** How many messages were dropped as malformed. */
    long dropped() {
        return dropped.get();
    }

    /** What the socket's input bounds refused: messages over a frame, connections over a limit. */
    InputCounters inputCounters() {
        return sockets.inputCounters();
    }

    /** Closes the socket, letting the last answers (such as the one to a Shutdown request) leave. */
    void close() {
        socket.setLinger(200);
        socket.close();
    }

    private void drop(Inbound message, byte @Nullable [] peer, String reason) {
        long count = dropped.incrementAndGet();
        dropLog.warn(message.peerHost(), "Name server on {} dropped input from {} (peer {}): {} ({} dropped so far)",
                address, message.peerHost(), peer == null ? "?" : HexFormat.of().withUpperCase().formatHex(peer),
                reason, count);
    }
}
