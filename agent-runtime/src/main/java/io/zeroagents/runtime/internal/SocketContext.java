package io.zeroagents.runtime.internal;

import io.zeroagents.transport.CurveKeys;
import io.zeroagents.transport.SocketFactory;
import org.jspecify.annotations.Nullable;
import org.zeromq.ZAuth;
import org.zeromq.ZContext;

/**
 * The ZeroMQ context of a {@link JeroMqSocketManager} and the factory of its sockets: the runtime's
 * shared context, left open when the manager closes, or one of its own, with its own CURVE
 * authenticator when CURVE is on, closed with it. The factory applies the runtime's linger, frame
 * and handshake limits, high-water mark, CURVE and refusal of plain text beyond loopback.
 */
final class SocketContext {
    private final ZContext context;
    private final boolean owned;
    private final @Nullable ZAuth authenticator;
    private final SocketFactory factory;

    private SocketContext(ZContext context, boolean owned, @Nullable ZAuth authenticator, Settings settings,
                          @Nullable CurveKeys curve) {
        this.context = context;
        this.owned = owned;
        this.authenticator = authenticator;
        this.factory = SocketFactory.builder(context).linger(settings.linger()).maxMessageBytes(settings.maxFrameBytes())
                .handshake(settings.handshake()).highWaterMark(settings.highWaterMark()).curve(curve)
                .plainTextBeyondLoopback(settings.insecureNoCurve()).build();
    }

    /** The runtime's context, shared with its agents; its authenticator is the runtime's. */
    static SocketContext shared(ZContext runtimeContext, Settings settings, @Nullable CurveKeys curve) {
        return new SocketContext(runtimeContext, false, null, settings, curve);
    }

    /** A context of the manager's own, with an authenticator of its own when CURVE is on. */
    static SocketContext own(Settings settings, @Nullable CurveKeys curve) {
        ZContext context = new ZContext(1);
        try {
            return new SocketContext(context, true, curve == null ? null : curve.authenticator(context), settings,
                    curve);
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    ZContext zmq() {
        return context;
    }

    SocketFactory factory() {
        return factory;
    }

    /** Closes the context when it is the manager's own; its sockets must be closed already. */
    void close() {
        if (!owned) {
            return;
        }
        if (authenticator != null) {
            authenticator.close();
        }
        context.close();
    }
}
