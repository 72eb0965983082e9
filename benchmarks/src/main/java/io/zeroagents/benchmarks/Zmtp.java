package io.zeroagents.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of ZMTP 3.1 (rfc.zeromq.org/spec/37) that the soak test's attacker writes by hand over
 * plain sockets, never through a ZeroMQ library or the project's clients: a NULL-mechanism greeting,
 * a READY command, message frames, and the attacks' payloads built from them.
 *
 * <p>A frame is a flags byte ({@link #MORE}, {@link #LONG}, {@link #COMMAND}), a size (one byte, or
 * eight big-endian bytes when {@link #LONG} is set) and the body.
 */
final class Zmtp {
    /** Flag: another frame of the same message follows. */
    static final int MORE = 0x01;
    /** Flag: the size is eight bytes. */
    static final int LONG = 0x02;
    /** Flag: the frame is a command. */
    static final int COMMAND = 0x04;
    /** The length of a greeting. */
    static final int GREETING_BYTES = 64;

    private Zmtp() {
    }

    /** A ZMTP 3.1 greeting offering the NULL mechanism, as the client side (as-server 0). */
    static byte[] greeting() {
        byte[] greeting = new byte[GREETING_BYTES];
        greeting[0] = (byte) 0xff;
        greeting[9] = 0x7f;
        greeting[10] = 3;
        greeting[11] = 1;
        byte[] mechanism = "NULL".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(mechanism, 0, greeting, 12, mechanism.length);
        return greeting;
    }

    /** The READY command of the NULL mechanism, saying this side is a socket of {@code socketType}. */
    static byte[] ready(String socketType) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        shortString(body, "READY");
        shortString(body, "Socket-Type");
        longString(body, socketType.getBytes(StandardCharsets.US_ASCII));
        return frame(COMMAND, body.toByteArray());
    }

    /** One frame: flags, size and body; the size takes eight bytes past 255. */
    static byte[] frame(int flags, byte[] body) {
        boolean large = body.length > 255;
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 9);
        out.write(large ? flags | LONG : flags);
        if (large) {
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) body.length >>> shift));
            }
        } else {
            out.write(body.length);
        }
        out.write(body, 0, body.length);
        return out.toByteArray();
    }

    /**
     * {@code count} empty frames, each flagged {@link #MORE}: two bytes a frame, a piece of a message
     * that never ends when written again and again.
     */
    static byte[] emptyMoreFrames(int count) {
        byte[] wire = new byte[2 * count];
        for (int i = 0; i < count; i++) {
            wire[2 * i] = MORE;
        }
        return wire;
    }

    /**
     * {@code count} whole messages of one byte each, no agent's envelope and no name-server request:
     * three bytes each on the wire, every one of which the receiver refuses (and may log).
     */
    static byte[] invalidMessages(int count) {
        byte[] wire = new byte[3 * count];
        for (int i = 0; i < count; i++) {
            wire[3 * i + 1] = 1;
            wire[3 * i + 2] = (byte) 0xee;
        }
        return wire;
    }

    /**
     * A subscription message as a SUB socket sends it to a PUB socket: byte 1, then a topic of
     * {@code topicBytes} bytes.
     */
    static byte[] subscription(int topicBytes) {
        byte[] body = new byte[1 + topicBytes];
        body[0] = 1;
        for (int i = 1; i < body.length; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        return frame(0, body);
    }

    /**
     * Opens a connection to a {@code tcp://host:port} endpoint and completes the NULL handshake as a
     * socket of {@code socketType}: greeting and READY both ways.
     *
     * @throws IOException when the connection fails or the other side is no ZMTP 3 peer
     */
    static Socket handshake(String endpoint, String socketType, int timeoutMillis) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(address(endpoint), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            out.write(greeting());
            out.write(ready(socketType));
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] theirs = in.readNBytes(GREETING_BYTES);
            if (theirs.length != GREETING_BYTES || (theirs[0] & 0xff) != 0xff || theirs[10] != 3) {
                throw new IOException(endpoint + " sent no ZMTP 3 greeting (" + theirs.length + " bytes)");
            }
            int flags = in.readUnsignedByte();
            long size = (flags & LONG) != 0 ? in.readLong() : in.readUnsignedByte();
            if ((flags & COMMAND) == 0 || size > 4096 || in.readNBytes((int) size).length != size) {
                throw new EOFException(endpoint + " sent no READY command");
            }
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The host and port of a {@code tcp://host:port} endpoint. */
    static InetSocketAddress address(String endpoint) {
        if (!endpoint.startsWith("tcp://")) {
            throw new IllegalArgumentException("Not a tcp endpoint: " + endpoint);
        }
        int colon = endpoint.lastIndexOf(':');
        return new InetSocketAddress(endpoint.substring("tcp://".length(), colon),
                Integer.parseInt(endpoint.substring(colon + 1)));
    }

    private static void shortString(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
        out.write(bytes.length);
        out.write(bytes, 0, bytes.length);
    }

    private static void longString(ByteArrayOutputStream out, byte[] bytes) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            out.write(bytes.length >>> shift);
        }
        out.write(bytes, 0, bytes.length);
    }
}
