package io.zeroagents.runtime.internal;

import io.zeroagents.AgentException;
import io.zeroagents.Pattern;
import io.zeroagents.settings.ZeroAgentsSettings;
import io.zeroagents.transport.CurveKeys;
import io.zeroagents.transport.InputCounters;
import io.zeroagents.transport.InputLimits;
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
 *
 * <p>Each socket takes the messages its pattern needs and no more ({@link #limitsFor}): a peer's
 * message of more frames is dropped as it arrives, and a PUB socket closes the connection of a
 * subscriber whose subscription is longer than {@code zeroagents.max.subscription.bytes}.
 */
final class AgentSocketFactory {
    /** How long one attempt to hand a message to ZeroMQ may block before the loop checks for a stop. */
    static final int SEND_SLICE_MILLIS = 50;

    private final String agent;
    private final Settings settings;
    private final SocketFactory sockets;
    private final int maxFrameBytes;
    /** Set once the agent is killed, from any thread: its sockets close without linger. */
    private volatile boolean killed;

    AgentSocketFactory(String agent, ZContext context, Settings settings, int maxFrameBytes,
                       @Nullable CurveKeys curve) {
        this.agent = agent;
        this.settings = settings;
        // A send waits for a peer in short slices, so a stop is noticed between them (see Outbox.sendOn).
        this.maxFrameBytes = maxFrameBytes;
        this.sockets = SocketFactory.builder(context).owner("Agent '" + agent + "'").linger(settings.linger())
                .maxMessageBytes(maxFrameBytes)
                .handshake(settings.handshake()).sendTimeout(Duration.ofMillis(SEND_SLICE_MILLIS))
                .highWaterMark(settings.highWaterMark()).curve(curve)
                .plainTextBeyondLoopback(settings.insecureNoCurve()).build();
    }

    /** A new socket of {@code type}, set up as every agent socket is. */
    ZMQ.Socket create(SocketType type) {
        ZMQ.Socket socket = sockets.create(type, limitsFor(type, maxFrameBytes, settings.maxSubscriptionBytes()));
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

    /**
     * What one message a socket of {@code type} takes from a peer: the frames an agent of the
     * pattern sends it (routing ids a ROUTER adds or strips are not sent), each up to the frame limit.
     * A PUB takes subscriptions only, a PUSH nothing.
     */
    static InputLimits limitsFor(SocketType type, int maxFrameBytes, int maxTopicBytes) {
        int frames = switch (type) {
            case PUB, XPUB -> 0;
            case PUSH -> -1;
            // [envelope, payload frame]: what a PUSH sends, and both ways between ROUTER and DEALER
            case PULL, ROUTER, DEALER -> 2;
            // [topic, envelope, payload frame]
            case SUB, XSUB -> 3;
            // [request id, delimiter, envelope, payload frame]: REQ and REP add the first two
            default -> 4;
        };
        return switch (frames) {
            case 0 -> InputLimits.subscriptions(maxTopicBytes);
            case -1 -> InputLimits.none();
            default -> new InputLimits(frames, (long) frames * maxFrameBytes);
        };
    }

    /** The longest topic a subscriber of this agent may subscribe to. */
    int maxTopicBytes() {
        return settings.maxSubscriptionBytes();
    }

    /** What the input limits of the agent's sockets refused. */
    InputCounters inputCounters() {
        return sockets.inputCounters();
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
