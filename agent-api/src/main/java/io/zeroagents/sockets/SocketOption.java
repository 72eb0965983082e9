package io.zeroagents.sockets;

import java.util.Objects;

/**
 * A socket option {@link SocketManager#setSocketOption} sets, typed by its value: AgentZero's
 * {@code set_socket_option(name, zmq.HWM, 10)} is {@code setSocketOption(name, SocketOption.HWM, 10)}.
 *
 * <p>Sizes are in messages or bytes, periods in milliseconds, as in {@code zmq_setsockopt}.
 *
 * @param <T> the type of the option's value
 * @since 0.1
 */
public final class SocketOption<T> {
    /** Both high-water marks at once (send and receive), in messages. */
    public static final SocketOption<Integer> HWM = new SocketOption<>("HWM", Integer.class);
    /** The send high-water mark, in messages. */
    public static final SocketOption<Integer> SNDHWM = new SocketOption<>("SNDHWM", Integer.class);
    /** The receive high-water mark, in messages. */
    public static final SocketOption<Integer> RCVHWM = new SocketOption<>("RCVHWM", Integer.class);
    /** The I/O thread affinity, a bit mask. */
    public static final SocketOption<Long> AFFINITY = new SocketOption<>("AFFINITY", Long.class);
    /** The socket's identity (routing id), 1 to 255 bytes, set before binding or connecting. */
    public static final SocketOption<byte[]> IDENTITY = new SocketOption<>("IDENTITY", byte[].class);
    /** Adds a message filter to a {@code SUB} socket: a topic prefix, UTF-8. */
    public static final SocketOption<String> SUBSCRIBE = new SocketOption<>("SUBSCRIBE", String.class);
    /** Removes a message filter from a {@code SUB} socket. */
    public static final SocketOption<String> UNSUBSCRIBE = new SocketOption<>("UNSUBSCRIBE", String.class);
    /** The kernel's transmit buffer size, in bytes. */
    public static final SocketOption<Integer> SNDBUF = new SocketOption<>("SNDBUF", Integer.class);
    /** The kernel's receive buffer size, in bytes. */
    public static final SocketOption<Integer> RCVBUF = new SocketOption<>("RCVBUF", Integer.class);
    /** How long unsent messages are kept once the socket closes, in milliseconds; -1 forever. */
    public static final SocketOption<Integer> LINGER = new SocketOption<>("LINGER", Integer.class);
    /** The length of the queue of outstanding connections of a bound socket. */
    public static final SocketOption<Integer> BACKLOG = new SocketOption<>("BACKLOG", Integer.class);

    private final String name;
    private final Class<T> type;

    private SocketOption(String name, Class<T> type) {
        this.name = name;
        this.type = type;
    }

    /**
     * The option's name, as in {@code zmq_setsockopt} without the {@code ZMQ_} prefix.
     *
     * @return the name, e.g. {@code SNDHWM}
     */
    public String name() {
        return name;
    }

    /**
     * The type of the option's value.
     *
     * @return the class of the value
     */
    public Class<T> type() {
        return type;
    }

    /**
     * Checks a value for this option.
     *
     * @param value the value
     * @return the value
     * @throws NullPointerException when the value is {@code null}
     */
    public T check(T value) {
        return type.cast(Objects.requireNonNull(value, () -> "value of socket option " + name));
    }

    @Override
    public String toString() {
        return name;
    }
}
