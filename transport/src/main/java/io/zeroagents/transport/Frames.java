package io.zeroagents.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;
import zmq.Msg;
import zmq.ZError;
import zmq.io.Metadata;

/**
 * Reads whole multipart messages from a ZeroMQ socket through its {@code SocketBase}, which tells
 * each frame's "more" flag with the frame: asking the socket for {@code RCVMORE} after every frame
 * would take its lock once more per frame. A {@link CarriedPayloadMsg} counts as its two frames.
 */
public final class Frames {
    private Frames() {
    }

    /**
     * Reads one whole message, or returns {@code null} when none came in time (or at once, with
     * {@code DONTWAIT}).
     *
     * @throws ZMQException on any error but "try again", as {@link ZMQ.Socket#recv(int)} does
     */
    public static @Nullable List<byte[]> read(ZMQ.Socket zs, int flags) {
        Msg first = zs.base().recv(flags);
        if (first == null) {
            raiseUnless(zs, ZError.EAGAIN);
            return null;
        }
        return rest(zs, first);
    }

    /**
     * Waits in {@code zs}'s receive for one whole message, up to the socket's receive timeout,
     * until another thread calls {@link #cancel} with the same flag.
     *
     * @param cancelled the flag {@link #cancel} sets; the caller clears it once no cancel can come
     * @return the message, or {@code null} when the wait timed out or was cancelled
     * @throws ZMQException on any other error
     */
    public static @Nullable List<byte[]> readCancellable(ZMQ.Socket zs, AtomicBoolean cancelled) {
        Msg first = zs.base().recv(0, cancelled);
        if (first == null) {
            int errno = zs.base().errno();
            if (errno != ZError.EAGAIN && errno != ZError.ECANCELED && errno != 0) {
                throw new ZMQException(errno);
            }
            return null;
        }
        return rest(zs, first);
    }

    /**
     * Cancels a {@link #readCancellable} waiting on {@code zs}, from any thread: a command to the
     * socket's mailbox, which the waiting thread takes (never {@code Thread.interrupt}).
     */
    public static void cancel(ZMQ.Socket zs, AtomicBoolean cancelled) {
        zs.base().cancel(cancelled);
    }

    /** The frames of a message whose first frame was received: the others are already there. */
    private static List<byte[]> rest(ZMQ.Socket zs, Msg first) {
        if (!first.hasMore() && !(first instanceof CarriedPayloadMsg)) {
            // Most messages are one frame: a list of one costs one small object, not two.
            return List.of(first.data());
        }
        List<byte[]> frames = new ArrayList<>(3);
        add(frames, first);
        Msg frame = first;
        while (frame.hasMore()) {
            frame = zs.base().recv(0);
            if (frame == null) {
                raiseUnless(zs, ZError.EAGAIN);
                // ZeroMQ delivers a message's frames together; only a terminating context stops it half way.
                throw new ZMQException("Message ended after " + frames.size() + " frames", ZError.EAGAIN);
            }
            add(frames, frame);
        }
        return frames;
    }

    private static void add(List<byte[]> frames, Msg frame) {
        frames.add(frame.data());
        if (frame instanceof CarriedPayloadMsg carried) {
            frames.add(carried.payload());
        }
    }

    /**
     * Sends an envelope frame with the payload frame it carries, as the last frame of a message;
     * {@code false} when the socket cannot take it now.
     *
     * @throws ZMQException on any error but "try again", as {@link ZMQ.Socket#send(byte[])} does
     */
    public static boolean sendCarried(ZMQ.Socket zs, byte[] envelope, byte[] payload) {
        if (zs.base().send(new CarriedPayloadMsg(envelope, payload), 0)) {
            return true;
        }
        raiseUnless(zs, ZError.EAGAIN);
        return false;
    }

    /**
     * The IP address a frame came from over tcp, as JeroMQ records it in the frame's metadata; what
     * log lines about a peer's input are rate-limited by.
     *
     * @param frame a frame received from a socket
     * @return the address, or {@code ?} for a frame without one (inproc, or a routing id a ROUTER made)
     */
    public static String peerHost(@Nullable Msg frame) {
        Metadata metadata = frame == null ? null : frame.getMetadata();
        String address = metadata == null ? null : metadata.get(Metadata.PEER_ADDRESS);
        if (address == null || address.isEmpty()) {
            return "?";
        }
        int colon = address.lastIndexOf(':');
        return colon > 0 ? address.substring(0, colon) : address;
    }

    /** Throws the socket's error unless it is {@code tolerated} (or none). */
    public static void raiseUnless(ZMQ.Socket zs, int tolerated) {
        int errno = zs.base().errno();
        if (errno != 0 && errno != tolerated) {
            throw new ZMQException(errno);
        }
    }
}
