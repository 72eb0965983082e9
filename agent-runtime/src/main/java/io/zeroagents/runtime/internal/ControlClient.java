package io.zeroagents.runtime.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.zeroagents.AgentTimeoutException;
import io.zeroagents.runtime.internal.control.ControlRequest;
import io.zeroagents.runtime.internal.control.ControlResponse;
import io.zeroagents.transport.CurveKeys;
import io.zeroagents.transport.InputLimits;
import io.zeroagents.transport.SocketFactory;
import java.time.Duration;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The proxy side of the control protocol for one agent host: one DEALER socket, used by one call
 * at a time (calls from many threads take turns, which also gives JeroMQ the memory barrier it
 * needs when a socket changes threads).
 */
final class ControlClient implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(ControlClient.class);

    private final String endpoint;
    private final ZMQ.Socket socket;
    private long lastRequestId;
    private boolean closed;

    ControlClient(String endpoint, ZContext context, Duration handshake, long maxMessageBytes,
                  @Nullable CurveKeys curve) {
        this.endpoint = endpoint;
        // An answer is one frame: a host sending more, or more bytes, is not kept.
        SocketFactory sockets = SocketFactory.builder(context).owner("Control client").maxMessageBytes(maxMessageBytes)
                .inputLimits(new InputLimits(1, maxMessageBytes)).handshake(handshake).curve(curve).build();
        this.socket = sockets.create(SocketType.DEALER);
        try {
            sockets.connect(socket, endpoint);
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    String endpoint() {
        return endpoint;
    }

    /** Sends a request and waits up to {@code limit} for its answer; older answers are discarded. */
    synchronized ControlResponse call(ControlRequest.Builder request, Duration limit, String agent) {
        if (closed) {
            throw new IllegalStateException("Control client for " + endpoint + " is closed");
        }
        long requestId = ++lastRequestId;
        byte[] bytes = request.setVersion(ControlEndpoint.VERSION).setRequestId(requestId)
                .setCallerWaitMs(Math.max(1, limit.toMillis())).build().toByteArray();
        long deadline = System.nanoTime() + limit.toNanos();
        socket.setSendTimeOut((int) Math.min(Integer.MAX_VALUE, limit.toMillis()));
        if (!socket.send(bytes, 0)) {
            throw timeout(ControlDispatcher.operation(request), agent, limit);
        }
        while (true) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw timeout(ControlDispatcher.operation(request), agent, limit);
            }
            socket.setReceiveTimeOut((int) Math.max(1, Math.min(Integer.MAX_VALUE, Duration.ofNanos(remaining).toMillis())));
            byte[] frame = socket.recv(0);
            if (frame == null) {
                continue;
            }
            try {
                ControlResponse response = ControlResponse.parseFrom(frame);
                if (response.getRequestId() == requestId) {
                    return response;
                }
            } catch (InvalidProtocolBufferException e) {
                LOG.warn("Agent host {} sent {} bytes that are not a control response", endpoint, frame.length);
            }
        }
    }

    private AgentTimeoutException timeout(String operation, String agent, Duration limit) {
        return new AgentTimeoutException("Agent '" + agent + "' (host " + endpoint + ") did not answer '" + operation
                + "' within " + limit.toMillis() + " ms");
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            socket.close();
        }
    }
}
