package io.zeroagents.nameserver;

import com.google.protobuf.InvalidProtocolBufferException;
import io.zeroagents.nameserver.protocol.Request;
import io.zeroagents.nameserver.protocol.Response;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Someone who can reach the name-server port and speaks its protocol by hand, with a plain ZeroMQ
 * DEALER: none of {@link NameServerClient}'s help, and only what it can read on the wire.
 */
public final class Attacker implements AutoCloseable {
    private final ZContext context = new ZContext(1);
    private final ZMQ.Socket socket;
    private final AtomicLong ids = new AtomicLong(1_000_000);

    /**
     * Connects to a name server.
     *
     * @param address its endpoint
     */
    public Attacker(String address) {
        socket = context.createSocket(SocketType.DEALER);
        socket.setLinger(0);
        // Retries a connection JeroMQ left without its handshake (zeromq/jeromq#1022), as a real client would.
        socket.setHandshakeIvl(500);
        socket.setReceiveTimeOut((int) Duration.ofSeconds(5).toMillis());
        socket.connect(address);
    }

    /**
     * Sends one request and waits for its answer.
     *
     * @param request the request, version and id set here
     * @return the answer
     */
    public Response send(Request.Builder request) {
        long id = ids.incrementAndGet();
        socket.send(request.setVersion(1).setRequestId(id).build().toByteArray(), 0);
        while (true) {
            byte[] answer = socket.recv(0);
            if (answer == null) {
                throw new AssertionError("the name server did not answer request " + id + " (" + request.getBodyCase()
                        + ") within 5 s");
            }
            try {
                Response response = Response.parseFrom(answer);
                if (response.getRequestId() == id) {
                    return response;
                }
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError("the name server answered bytes that are not a Response", e);
            }
        }
    }

    @Override
    public void close() {
        socket.close();
        context.close();
    }
}
