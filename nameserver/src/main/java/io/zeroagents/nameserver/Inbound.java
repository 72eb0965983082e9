package io.zeroagents.nameserver;

import io.zeroagents.transport.AdminKeys;
import io.zeroagents.transport.Frames;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.zeromq.ZMQ;

/**
 * One message the name server's ROUTER socket received: its frames (the routing id first), the IP
 * address it came from, and, when the socket is a CURVE server, the public key the client
 * authenticated with.
 *
 * <p>JeroMQ attaches the ZAP handler's user id to every frame it receives over an authenticated
 * connection (the frame's metadata, {@code User-Id}); the authenticator of
 * {@link io.zeroagents.transport.CurveKeys} sets it to the client's public key in Z85 text
 * ({@link AdminKeys#clientKey}). So the key is known per request, and admin rights can follow it.
 *
 * @param frames    the frames, in order
 * @param peerHost  the IP address of the client, {@code ?} when JeroMQ did not say
 * @param clientKey the client's Z85 public key, or null without CURVE
 */
record Inbound(List<byte[]> frames, String peerHost, @Nullable String clientKey) {

    /**
     * Receives one whole message.
     *
     * @param socket the ROUTER socket
     * @param flags  {@link ZMQ#DONTWAIT}, or 0 to wait up to the socket's receive timeout
     * @return the message, or null if none came
     */
    static @Nullable Inbound receive(ZMQ.Socket socket, int flags) {
        zmq.Msg frame = socket.recvMsg(flags);
        if (frame == null) {
            return null;
        }
        List<byte[]> frames = new ArrayList<>();
        frames.add(frame.data());
        while (frame.hasMore()) {
            // The rest of a message arrives with its first frame, so this never waits.
            zmq.Msg next = socket.recvMsg(0);
            if (next == null) {
                break;
            }
            frames.add(next.data());
            frame = next;
        }
        return new Inbound(frames, Frames.peerHost(frame), AdminKeys.clientKey(frame));
    }
}
