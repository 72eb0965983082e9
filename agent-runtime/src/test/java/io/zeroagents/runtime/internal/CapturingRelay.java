package io.zeroagents.runtime.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP relay in front of a socket that keeps a copy of every byte crossing it both ways: what a
 * wiretap on the network would see.
 */
final class CapturingRelay implements AutoCloseable {
    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final List<Socket> open = new ArrayList<>();
    private final Thread acceptor;

    CapturingRelay(String tcpEndpoint) throws IOException {
        String hostPort = tcpEndpoint.substring("tcp://".length());
        this.targetHost = hostPort.substring(0, hostPort.lastIndexOf(':'));
        this.targetPort = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "capturing-relay");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String endpoint() {
        return "tcp://127.0.0.1:" + listener.getLocalPort();
    }

    private void accept() {
        try {
            while (!listener.isClosed()) {
                Socket client = listener.accept();
                Socket server = new Socket(targetHost, targetPort);
                synchronized (open) {
                    open.add(client);
                    open.add(server);
                }
                pump(client.getInputStream(), server.getOutputStream());
                pump(server.getInputStream(), client.getOutputStream());
            }
        } catch (IOException e) {
            // Closed.
        }
    }

    private void pump(InputStream from, OutputStream to) {
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = from.read(buffer)) > 0) {
                    synchronized (captured) {
                        captured.write(buffer, 0, n);
                    }
                    to.write(buffer, 0, n);
                    to.flush();
                }
            } catch (IOException e) {
                // A side closed.
            }
        }, "capturing-relay-pump");
        pump.setDaemon(true);
        pump.start();
    }

    /** Everything captured so far, as ISO-8859-1 text so any byte sequence can be searched. */
    String captured() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.ISO_8859_1);
        }
    }

    int capturedBytes() {
        synchronized (captured) {
            return captured.size();
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        synchronized (open) {
            for (Socket socket : open) {
                socket.close();
            }
        }
    }
}
