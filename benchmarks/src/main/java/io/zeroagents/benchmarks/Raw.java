package io.zeroagents.benchmarks;

import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/** Raw JeroMQ sockets for the baselines, with the few options the agents' sockets also set. */
final class Raw {
    private Raw() {
    }

    static ZMQ.Socket socket(ZContext context, SocketType type) {
        ZMQ.Socket socket = context.createSocket(type);
        socket.setLinger(0);
        // As agent sockets do: a connection that lost its handshake (zeromq/jeromq#1022) retries after
        // a second instead of thirty.
        socket.setHandshakeIvl(1_000);
        return socket;
    }

    /** Sets both high-water marks of a socket, as {@code AgentOptions.highWaterMark} does; 0 keeps ZeroMQ's. */
    static void highWaterMark(ZMQ.Socket socket, int hwm) {
        if (hwm > 0) {
            socket.setSndHWM(hwm);
            socket.setRcvHWM(hwm);
        }
    }

    /** Binds to a random loopback tcp port (or an inproc name) and returns the endpoint bound. */
    static String bind(ZMQ.Socket socket, String endpoint) {
        if (!socket.bind(endpoint)) {
            throw new IllegalStateException("Cannot bind " + endpoint);
        }
        return socket.getLastEndpoint();
    }

    static String connect(ZMQ.Socket socket, String endpoint) {
        if (!socket.connect(endpoint)) {
            throw new IllegalStateException("Cannot connect " + endpoint);
        }
        return endpoint;
    }

    /** A REQ socket connected to {@code endpoint} that has had one reply (see {@link #answered}). */
    static ZMQ.Socket connectedRequester(ZContext context, String endpoint) {
        return answered(context, SocketType.REQ, endpoint, new byte[] {1});
    }

    /**
     * A socket of {@code type} connected to {@code endpoint} that has had an answer to {@code probe}:
     * a request whose connection stalled in its handshake (zeromq/jeromq#1022) is retried on a fresh
     * socket, since a plain REQ cannot send again before its reply, and a DEALER would read the late
     * answer in place of a later one.
     */
    static ZMQ.Socket answered(ZContext context, SocketType type, String endpoint, byte[] probe) {
        for (int attempt = 0; attempt < 10; attempt++) {
            ZMQ.Socket s = socket(context, type);
            connect(s, endpoint);
            s.setReceiveTimeOut(2_000);
            s.send(probe, 0);
            if (s.recv(0) != null) {
                return s;
            }
            s.close();
        }
        throw new IllegalStateException("No reply from " + endpoint + " in 10 attempts");
    }

    /** One REP echo step: a request back as it came. */
    static void echo(ZMQ.Socket rep) {
        byte[] request = rep.recv(0);
        if (request != null) {
            rep.send(request, 0);
        }
    }

    /** One ROUTER echo step: [identity][request] back to its sender. */
    static void routerEcho(ZMQ.Socket router) {
        byte[] identity = router.recv(0);
        if (identity != null) {
            byte[] request = router.recv(0);
            router.sendMore(identity);
            router.send(request, 0);
        }
    }

    /** Payload bytes of a size, not all zero. */
    static byte[] payload(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) ('a' + i % 26);
        }
        return bytes;
    }
}
