package io.zeroagents.runtime.internal;

import io.zeroagents.AgentException;
import io.zeroagents.Pattern;
import io.zeroagents.settings.ZeroAgentsSettings;
import io.zeroagents.transport.CurveKeys;
import io.zeroagents.transport.InsecureBindException;
import io.zeroagents.transport.SocketFactory;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * Makes an agent's ZeroMQ sockets through the transport's {@link SocketFactory} with the agent's
 * settings (linger, send slices, handshake, frame limit, high-water marks, CURVE over the
 * network), and binds or connects them with errors that name the agent, the alias and the
 * endpoint. Without CURVE, a bind other machines can reach is refused unless
 * {@code zeroagents.insecure.no.curve} allows it. Called on the agent's loop thread, but for
 * {@link #kill()}.
 */
final class AgentSocketFactory {
    /** How long one attempt to hand a message to ZeroMQ may block before the loop checks for a stop. */
    static final int SEND_SLICE_MILLIS = 50;

    private final String agent;
    private final Settings settings;
    private final SocketFactory sockets;
    /** Set once the agent is killed, from any thread: its sockets close without linger. */
    private volatile boolean killed;

    AgentSocketFactory(String agent, ZContext context, Settings settings, int maxFrameBytes,
                       @Nullable CurveKeys curve) {
        this.agent = agent;
        this.settings = settings;
        // A send waits for a peer in short slices, so a stop is noticed between them (see Outbox.sendOn).
        this.sockets = SocketFactory.builder(context).linger(settings.linger()).maxMessageBytes(maxFrameBytes)
                .handshake(settings.handshake()).sendTimeout(Duration.ofMillis(SEND_SLICE_MILLIS))
                .highWaterMark(settings.highWaterMark()).curve(curve)
                .plainTextBeyondLoopback(settings.insecureNoCurve()).build();
    }

    /** A new socket of {@code type}, set up as every agent socket is. */
    ZMQ.Socket create(SocketType type) {
        ZMQ.Socket socket = sockets.create(type);
        if (killed) {
            socket.setLinger(0);
        }
        if (type == SocketType.REQ) {
            // Lets a REQ socket send again after a reply timed out, matching replies to requests.
            socket.setReqRelaxed(true);
            socket.setReqCorrelate(true);
        }
        return socket;
    }

    /** Binds {@code socket} to {@code endpoint}, serving CURVE over the network; returns the endpoint bound. */
    String bind(ZMQ.Socket socket, String endpoint, String alias, Pattern pattern) {
        try {
            return sockets.bind(socket, endpoint);
        } catch (InsecureBindException e) {
            throw new AgentException("Agent '" + agent + "' cannot bind socket '" + alias + "' (" + pattern
                    + ") to " + endpoint + ": other machines can reach that address and CURVE is off, so anyone who"
                    + " reaches the port could send to the agent; " + ZeroAgentsSettings.insecureBindAdvice(), e);
        } catch (ZMQException | IllegalArgumentException e) {
            throw new AgentException("Agent '" + agent + "' cannot bind socket '" + alias + "' (" + pattern
                    + ") to " + endpoint + ": " + e.getMessage(), e);
        }
    }

    /**
     * The CURVE key the agent's bound sockets serve with, which their addresses carry: the host's
     * public key, or {@code null} without CURVE.
     */
    @Nullable String serverKey() {
        CurveKeys curve = sockets.curve();
        return curve == null ? null : curve.publicKey();
    }

    /**
     * Connects {@code socket} to {@code endpoint}, as a CURVE client over the network pinned to
     * {@code serverKey}, or without one to the key the host's key directory trusts for the endpoint.
     */
    void connect(ZMQ.Socket socket, @Nullable String endpoint, @Nullable String serverKey, String alias,
                 Pattern pattern) {
        try {
            sockets.connect(socket, String.valueOf(endpoint), serverKey);
        } catch (ZMQException | IllegalArgumentException e) {
            throw new AgentException("Agent '" + agent + "' cannot connect socket '" + alias + "' (" + pattern
                    + ") to " + endpoint + ": " + e.getMessage(), e);
        }
    }

    /** Closes sockets made from now on, and those closing at the loop's end, without linger. */
    void kill() {
        killed = true;
    }

    /** Whether the agent was killed: its loop drops what its sockets received instead of handling it. */
    boolean killed() {
        return killed;
    }

    /** The linger of the agent's sockets: the setting's, or none once the agent is killed. */
    int lingerMillis() {
        return killed ? 0 : (int) Math.min(Integer.MAX_VALUE, settings.linger().toMillis());
    }
}
