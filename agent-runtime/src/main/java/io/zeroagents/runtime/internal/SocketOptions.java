package io.zeroagents.runtime.internal;

import io.zeroagents.sockets.SocketOption;
import java.nio.charset.StandardCharsets;
import org.zeromq.ZMQ;

/** Sets a {@link SocketOption} on a JeroMQ socket, the one place that maps the API's options to JeroMQ's. */
final class SocketOptions {

    private SocketOptions() {
    }

    /** Sets {@code option} to {@code value}; whether JeroMQ accepted it. */
    static <T> boolean apply(ZMQ.Socket socket, SocketOption<T> option, T value) {
        return switch (option.name()) {
            case "HWM" -> socket.setHWM((Integer) value);
            case "SNDHWM" -> socket.setSndHWM((Integer) value);
            case "RCVHWM" -> socket.setRcvHWM((Integer) value);
            case "AFFINITY" -> socket.setAffinity((Long) value);
            case "IDENTITY" -> socket.setIdentity((byte[]) value);
            case "SUBSCRIBE" -> socket.subscribe(((String) value).getBytes(StandardCharsets.UTF_8));
            case "UNSUBSCRIBE" -> socket.unsubscribe(((String) value).getBytes(StandardCharsets.UTF_8));
            case "SNDBUF" -> socket.setSendBufferSize((Integer) value);
            case "RCVBUF" -> socket.setReceiveBufferSize((Integer) value);
            case "LINGER" -> socket.setLinger((Integer) value);
            case "BACKLOG" -> socket.setBacklog((Integer) value);
            default -> throw new IllegalArgumentException("Unknown socket option " + option);
        };
    }
}
