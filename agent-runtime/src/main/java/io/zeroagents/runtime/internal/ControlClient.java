package io.zeroagents.runtime.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.zeroagents.AgentTimeoutException;
import io.zeroagents.runtime.internal.control.ControlRequest;
import io.zeroagents.runtime.internal.control.ControlResponse;
import io.zeroagents.runtime.internal.control.ErrorCode;
import io.zeroagents.transport.CurveKeys;
import io.zeroagents.transport.SocketFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
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
 *
 * <p>Every request carries the host's admin token when this process has it ({@link ControlAccess}):
 * the token of this JVM's own host, or the one the host wrote to its file when it is on this
 * machine and run by the same user. A request refused {@code FORBIDDEN} is sent once more if the
 * file then holds another token (the host restarted on the same port); the refused one did nothing.
 */
final class ControlClient implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(ControlClient.class);

    private final String endpoint;
    private final ZMQ.Socket socket;
    /** Where the host's token file is looked for; null when the token is known or none is wanted. */
    private final @Nullable Path tokenDirectory;
    /** The host's admin token as words, or null when this process does not have it. */
    private long @Nullable [] token;
    private long lastRequestId;
    private boolean closed;

    /**
     * A client whose requests carry the token the host wrote to {@code tokenDirectory}, if any.
     *
     * @param tokenDirectory where hosts write their token files ({@link ControlAccess#defaultDirectory()}),
     *                       or null to send none
     */
    ControlClient(String endpoint, ZContext context, Duration handshake, long maxMessageBytes,
                  @Nullable CurveKeys curve, @Nullable Path tokenDirectory) {
        this(endpoint, context, handshake, maxMessageBytes, curve, tokenDirectory, null);
    }

    /**
     * A client whose requests carry {@code knownToken}, the token of a host of this JVM; or, when
     * it is null, the token the host wrote to {@code tokenDirectory}, if any.
     */
    ControlClient(String endpoint, ZContext context, Duration handshake, long maxMessageBytes,
                  @Nullable CurveKeys curve, @Nullable Path tokenDirectory, @Nullable String knownToken) {
        this.endpoint = endpoint;
        this.tokenDirectory = knownToken == null ? tokenDirectory : null;
        this.token = knownToken != null ? ControlAccess.words(knownToken)
                : tokenDirectory == null ? null : ControlAccess.tokenFor(tokenDirectory, endpoint).orElse(null);
        SocketFactory sockets = SocketFactory.builder(context).maxMessageBytes(maxMessageBytes).handshake(handshake)
                .curve(curve).build();
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

    /**
     * Sends a request and waits up to {@code limit} for its answer; older answers are discarded.
     * A refusal for want of an admin is sent again once when the host's token file holds a token
     * other than the one sent.
     */
    synchronized ControlResponse call(ControlRequest.Builder request, Duration limit, String agent) {
        if (closed) {
            throw new IllegalStateException("Control client for " + endpoint + " is closed");
        }
        long deadline = System.nanoTime() + limit.toNanos();
        ControlResponse response = exchange(request, limit, deadline, agent);
        if (response.getError() == ErrorCode.FORBIDDEN && tokenReplaced()) {
            response = exchange(request, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())), deadline, agent);
        }
        return response;
    }

    /** Reads the host's token file again: true if it now holds another token than the one sent. */
    private boolean tokenReplaced() {
        if (tokenDirectory == null) {
            return false;
        }
        long @Nullable [] read = ControlAccess.tokenFor(tokenDirectory, endpoint).orElse(null);
        if (read == null || Arrays.equals(read, token)) {
            return false;
        }
        token = read;
        return true;
    }

    private ControlResponse exchange(ControlRequest.Builder request, Duration limit, long deadline, String agent) {
        long requestId = ++lastRequestId;
        byte[] bytes = ControlAccess.present(request, token).setVersion(ControlEndpoint.VERSION).setRequestId(requestId)
                .setCallerWaitMs(Math.max(1, limit.toMillis())).build().toByteArray();
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
