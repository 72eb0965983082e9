package io.zeroagents.runtime.internal;

import io.zeroagents.AgentException;
import io.zeroagents.Pattern;
import io.zeroagents.nameserver.internal.MailboxRaceGuard;
import io.zeroagents.nameserver.security.CurveKeys;
import org.jspecify.annotations.Nullable;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * Makes an agent's ZeroMQ sockets with the agent's settings (linger, send slices, handshake,
 * frame limit, high-water marks, the mailbox guard) and binds or connects them, with CURVE over
 * the network when the system has keys. Called on the agent's loop thread only.
 */
final class AgentSocketFactory {
    /** How long one attempt to hand a message to ZeroMQ may block before the loop checks for a stop. */
    static final int SEND_SLICE_MILLIS = 50;

    private final String agent;
    private final ZContext context;
    private final Settings settings;
    private final int maxFrameBytes;
    private final @Nullable CurveKeys curve;
    /** Set once the agent is killed, from any thread: its sockets close without linger. */
    private volatile boolean killed;

    AgentSocketFactory(String agent, ZContext context, Settings settings, int maxFrameBytes,
                       @Nullable CurveKeys curve) {
        this.agent = agent;
        this.context = context;
        this.settings = settings;
        this.maxFrameBytes = maxFrameBytes;
        this.curve = curve;
    }

    /** A new socket of {@code type}, set up as every agent socket is. */
    ZMQ.Socket create(SocketType type) {
        ZMQ.Socket socket = MailboxRaceGuard.createSocket(context, type);
        socket.setLinger(lingerMillis());
        // A send waits for a peer in short slices, so a stop is noticed between them (see Outbox.sendOn).
        socket.setSendTimeOut(SEND_SLICE_MILLIS);
        socket.setHandshakeIvl((int) Math.min(Integer.MAX_VALUE, settings.handshake().toMillis()));
        // A peer declaring a bigger frame loses its connection before JeroMQ allocates the frame.
        socket.setMaxMsgSize(maxFrameBytes);
        socket.setSndHWM(settings.highWaterMark());
        socket.setRcvHWM(settings.highWaterMark());
        if (type == SocketType.REQ) {
            // Lets a REQ socket send again after a reply timed out, matching replies to requests.
            socket.setReqRelaxed(true);
            socket.setReqCorrelate(true);
        }
        return socket;
    }

    /** Binds {@code socket} to {@code endpoint}, serving CURVE over the network; returns the endpoint bound. */
    String bind(ZMQ.Socket socket, String endpoint, String alias, Pattern pattern) {
        if (curve != null && !endpoint.startsWith("inproc://")) {
            curve.serve(socket);
        }
        try {
            socket.bind(endpoint);
            return socket.getLastEndpoint();
        } catch (ZMQException | IllegalArgumentException e) {
            throw new AgentException("Agent '" + agent + "' cannot bind socket '" + alias + "' (" + pattern
                    + ") to " + endpoint + ": " + e.getMessage(), e);
        }
    }

    /** Connects {@code socket} to {@code endpoint}, as a CURVE client over the network. */
    void connect(ZMQ.Socket socket, @Nullable String endpoint, String alias, Pattern pattern) {
        if (curve != null && endpoint != null && !endpoint.startsWith("inproc://")) {
            curve.connectAsClient(socket);
        }
        try {
            socket.connect(String.valueOf(endpoint));
        } catch (ZMQException | IllegalArgumentException e) {
            throw new AgentException("Agent '" + agent + "' cannot connect socket '" + alias + "' (" + pattern
                    + ") to " + endpoint + ": " + e.getMessage(), e);
        }
    }

    /** Closes sockets made from now on, and those closing at the loop's end, without linger. */
    void kill() {
        killed = true;
    }

    /** The linger of the agent's sockets: the setting's, or none once the agent is killed. */
    int lingerMillis() {
        return killed ? 0 : (int) Math.min(Integer.MAX_VALUE, settings.linger().toMillis());
    }
}
