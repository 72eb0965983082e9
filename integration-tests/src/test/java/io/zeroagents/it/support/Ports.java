package io.zeroagents.it.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for servers that must be told their port before they start (and find it
 * again when they restart).
 */
public final class Ports {

    private Ports() {
    }

    /**
     * Returns a port free on loopback now, below Linux's range of ports for outgoing connections
     * (32768-60999): a port from that range (which {@code new ServerSocket(0)} hands out) can be
     * taken by any outgoing connection before the server binds it, and cluster members open many.
     *
     * @return a port between 20000 and 32000
     * @throws IOException if none is free
     */
    public static int free() throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = 20_000 + ThreadLocalRandom.current().nextInt(12_000);
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // Try another.
            }
        }
        throw new IOException("No free port found between 20000 and 32000 on loopback");
    }
}
