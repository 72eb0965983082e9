package io.zeroagents.testsupport;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A ZeroMQ peer written from the ZMTP 3.1 specification over a plain TCP socket, so a test can send
 * what no ZeroMQ library would: a frame header declaring a huge size followed by only a few bytes,
 * or frames beyond the receiver's limit.
 *
 * <p>It speaks the NULL mechanism only and pretends to be a socket of the given type, which the
 * receiver checks against its own. Loopback only. Reads time out after 10 seconds.
 */
public final class RawZmtpPeer implements AutoCloseable {
    private static final int MORE = 0x01;
    private static final int LONG = 0x02;
    private static final int COMMAND = 0x04;

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    private RawZmtpPeer(Socket socket, String socketType) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = new DataOutputStream(socket.getOutputStream());
        handshake(socketType);
    }

    /**
     * Connects to a {@code tcp://127.0.0.1:port} endpoint and completes the handshake.
     *
     * @param endpoint   where a ZeroMQ socket listens
     * @param socketType the type this peer says it is (e.g. "DEALER"), which the other side checks
     * @return the connected peer
     * @throws UncheckedIOException when no handshake completed in a few connections
     */
    public static RawZmtpPeer connect(String endpoint, String socketType) {
        int colon = endpoint.lastIndexOf(':');
        String host = endpoint.substring("tcp://".length(), colon);
        int port = Integer.parseInt(endpoint.substring(colon + 1));
        IOException last = null;
        // JeroMQ now and then resets a fresh connection during its handshake (zeromq/jeromq#1022):
        // a real peer reconnects, and so does this one, a few times.
        for (int attempt = 0; attempt < 5; attempt++) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(host, port), 5_000);
                return new RawZmtpPeer(socket, socketType);
            } catch (IOException e) {
                last = e;
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // Already broken.
                }
            }
        }
        throw new UncheckedIOException("cannot reach " + endpoint, last);
    }

    /**
     * Listens on a random loopback port, for a ZeroMQ socket (a SUB, say) that connects.
     *
     * @return the listening port
     */
    public static Listener listen() {
        try {
            return new Listener(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handshake(String socketType) throws IOException {
        byte[] greeting = new byte[64];
        greeting[0] = (byte) 0xff;
        greeting[8] = 1;
        greeting[9] = 0x7f;
        greeting[10] = 3;
        greeting[11] = 1;
        byte[] mechanism = "NULL".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(mechanism, 0, greeting, 12, mechanism.length);
        out.write(greeting);
        out.flush();
        byte[] theirs = in.readNBytes(64);
        if (theirs.length != 64 || (theirs[0] & 0xff) != 0xff || theirs[10] != 3) {
            throw new IOException("not a ZMTP 3 greeting: " + theirs.length + " bytes");
        }
        byte[] type = socketType.getBytes(StandardCharsets.US_ASCII);
        DataOutputStreamBuilder ready = new DataOutputStreamBuilder();
        ready.shortString("READY").shortString("Socket-Type").longString(type).shortString("Identity").longString(new byte[0]);
        writeFrame(COMMAND, ready.bytes());
        readFrame(true);
    }

    /**
     * Sends one frame.
     *
     * @param body the frame's bytes
     * @param more whether another part of the same message follows
     */
    public void send(byte[] body, boolean more) {
        try {
            writeFrame(more ? MORE : 0, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends a whole message, one frame per part.
     *
     * @param parts the message's parts
     */
    public void sendMessage(byte[]... parts) {
        for (int i = 0; i < parts.length; i++) {
            send(parts[i], i < parts.length - 1);
        }
    }

    /**
     * Sends a whole message that the other side may refuse midway by closing the connection.
     *
     * @param parts the message's parts
     * @return whether all of it was written; {@code false} when the connection was closed first
     */
    public boolean trySendMessage(byte[]... parts) {
        try {
            sendMessage(parts);
            return true;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    /**
     * Sends {@code count} frames of {@code frameBytes} zero bytes each, every one flagged "more": a
     * message that does not end. Written through a buffer, as fast as the other side reads, for at
     * most a minute: a side that stops reading (its heap full, say) does not hold the test up, its
     * connection is closed instead.
     *
     * @param count      how many frames
     * @param frameBytes the size of each
     * @return whether all were written; {@code false} when the other side closed the connection or
     *         stopped reading first
     */
    public boolean sendUnendingFrames(int count, int frameBytes) {
        byte[] body = new byte[frameBytes];
        CompletableFuture<Boolean> written = new CompletableFuture<>();
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                DataOutputStream buffered = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(),
                        1 << 16));
                for (int i = 0; i < count; i++) {
                    writeFrame(buffered, MORE, body);
                }
                buffered.flush();
                written.complete(true);
            } catch (IOException e) {
                written.complete(false);
            }
        });
        try {
            return written.get(1, TimeUnit.MINUTES);
        } catch (TimeoutException e) {
            // A blocked write ends when its socket closes.
            close();
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            try {
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Sends a ZMTP PING command (which may come between the frames of a message) and waits for its
     * PONG: the other side's I/O thread has then decoded everything sent before the PING.
     *
     * @param context what the PONG must carry back, up to 16 bytes
     * @param limit   how long to wait
     * @return whether the PONG came within {@code limit}
     */
    public boolean pingPong(byte[] context, Duration limit) {
        byte[] ping = new byte[7 + context.length];
        ping[0] = 4;
        System.arraycopy("PING".getBytes(StandardCharsets.US_ASCII), 0, ping, 1, 4);
        System.arraycopy(context, 0, ping, 7, context.length);
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            writeFrame(COMMAND, ping);
            while (System.nanoTime() < deadline) {
                socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                byte[] command = readFrame(true);
                if (command.length == 5 + context.length && command[0] == 4
                        && new String(command, 1, 4, StandardCharsets.US_ASCII).equals("PONG")
                        && Arrays.equals(Arrays.copyOfRange(command, 5, command.length), context)) {
                    return true;
                }
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                socket.setSoTimeout(10_000);
            } catch (IOException e) {
                // The connection is gone; the next use says so.
            }
        }
    }

    /**
     * Writes bytes as they are, whatever they are: frames, parts of frames, garbage.
     *
     * @param bytes what to write
     * @return whether they were written; {@code false} when the other side closed the connection first
     */
    public boolean writeRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Sends a frame header declaring {@code size} bytes, then only {@code body}, and keeps the connection open.
     *
     * @param size the size the header declares
     * @param body what follows it
     */
    public void declare(long size, byte[] body) {
        try {
            out.writeByte(LONG);
            out.writeLong(size);
            out.write(body);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeFrame(int flags, byte[] body) throws IOException {
        writeFrame(out, flags, body);
        out.flush();
    }

    private static void writeFrame(DataOutputStream to, int flags, byte[] body) throws IOException {
        if (body.length > 255) {
            to.writeByte(flags | LONG);
            to.writeLong(body.length);
        } else {
            to.writeByte(flags);
            to.writeByte(body.length);
        }
        to.write(body);
    }

    /**
     * Reads the next message frame, skipping commands.
     *
     * @return the frame's bytes; {@code null} when none came within the socket's timeout
     */
    public byte @Nullable [] receive() {
        try {
            return readFrame(false);
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] readFrame(boolean command) throws IOException {
        while (true) {
            int flags = in.readUnsignedByte();
            long size = (flags & LONG) != 0 ? in.readLong() : in.readUnsignedByte();
            byte[] body = in.readNBytes((int) size);
            if (body.length != size) {
                throw new EOFException("frame cut short");
            }
            if (((flags & COMMAND) != 0) == command) {
                return body;
            }
        }
    }

    /**
     * Waits for the other side to close the connection; what it sends meanwhile is discarded.
     *
     * @param limit how long to wait
     * @return whether it closed (or reset) the connection within {@code limit}
     */
    public boolean closedByPeer(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            socket.setSoTimeout(100);
            while (System.nanoTime() < deadline) {
                try {
                    if (in.read() < 0) {
                        return true;
                    }
                } catch (SocketTimeoutException e) {
                    // nothing yet: keep waiting
                }
            }
            return false;
        } catch (IOException e) {
            return true; // reset by the peer
        }
    }

    /** Closes the connection. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A loopback port that accepts one ZeroMQ connection at a time. */
    public static final class Listener implements AutoCloseable {
        private final ServerSocket server;

        private Listener(ServerSocket server) {
            this.server = server;
        }

        /**
         * Where a ZeroMQ socket connects to reach this port.
         *
         * @return {@code tcp://127.0.0.1:port}
         */
        public String endpoint() {
            return "tcp://127.0.0.1:" + server.getLocalPort();
        }

        /**
         * Waits for the next connection and completes its handshake as a socket of
         * {@code socketType}. A JeroMQ socket that connects sometimes leaves its greeting unfinished
         * until its handshake limit drops the connection (zeromq/jeromq#1022); it then connects
         * again, so a few attempts are made.
         *
         * @param socketType the type this peer says it is (e.g. "PUB"), which the other side checks
         * @return the connected peer
         * @throws UncheckedIOException when no connection came within 10 seconds, or no handshake
         *                              completed in a few connections
         */
        public RawZmtpPeer accept(String socketType) {
            IOException last = null;
            for (int attempt = 0; attempt < 5; attempt++) {
                try {
                    server.setSoTimeout(10_000);
                    Socket accepted = server.accept();
                    try {
                        return new RawZmtpPeer(accepted, socketType);
                    } catch (IOException e) {
                        accepted.close();
                        last = e;
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            throw new UncheckedIOException("no handshake completed in 5 connections", last);
        }

        /** Stops listening. */
        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The READY command's body: short strings (one length byte) and long ones (four). */
    private static final class DataOutputStreamBuilder {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        DataOutputStreamBuilder shortString(String value) {
            byte[] encoded = value.getBytes(StandardCharsets.US_ASCII);
            bytes.write(encoded.length);
            bytes.writeBytes(encoded);
            return this;
        }

        DataOutputStreamBuilder longString(byte[] value) {
            bytes.write(value.length >>> 24);
            bytes.write(value.length >>> 16);
            bytes.write(value.length >>> 8);
            bytes.write(value.length);
            bytes.writeBytes(value);
            return this;
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }
}
