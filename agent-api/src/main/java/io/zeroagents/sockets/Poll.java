package io.zeroagents.sockets;

/**
 * What a socket is polled for, or found ready for: AgentZero's {@code zmq.POLLIN},
 * {@code zmq.POLLOUT} and {@code zmq.POLLIN | zmq.POLLOUT}, and {@link #NONE} for a socket
 * {@link SocketManager#engage()} leaves out.
 *
 * <p>Level-triggered, as in ZeroMQ: a {@code PUSH}, {@code PUB} or {@code DEALER} socket with a
 * peer is ready to send almost always, so polling it for {@link #OUT} makes every
 * {@code engage} return at once. Poll such sockets for {@link #NONE}: {@code sendSafe} waits for
 * them all the same.
 *
 * @since 0.1
 */
public enum Poll {
    /** Not polled by {@link SocketManager#engage()}; the socket's own waits still work. */
    NONE,
    /** Ready to receive: a message is waiting. */
    IN,
    /** Ready to send without blocking. */
    OUT,
    /** Both {@link #IN} and {@link #OUT}. */
    BOTH;

    /**
     * Whether this includes everything {@code other} asks for.
     *
     * @param other what is asked for
     * @return {@code true} when {@code other} is this or {@link #NONE}, or this is {@link #BOTH}
     */
    public boolean includes(Poll other) {
        return this == BOTH || this == other || other == NONE;
    }

    /**
     * This and {@code other} together.
     *
     * @param other what to add
     * @return the union of both
     */
    public Poll and(Poll other) {
        return includes(other) ? this : other.includes(this) ? other : BOTH;
    }
}
