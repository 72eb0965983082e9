package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentTimeoutException;
import io.zeroagents.NameServer;
import io.zeroagents.NameServerOptions;
import io.zeroagents.Proxy;
import io.zeroagents.nameserver.NameServerClient;
import io.zeroagents.nameserver.protocol.AgentEntry;
import io.zeroagents.nameserver.registry.OwnerKey;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A proxy call to a host that vanished silently, whose control endpoint takes TCP connections and
 * never says a word (a process frozen, a port another program took, packets dropped past the
 * connection), fails within the handshake limit and a heartbeat timeout, with the exception a
 * timeout throws naming the agent, the address and why, instead of waiting out its limit. The
 * silent host is a plain {@link ServerSocket}: it accepts, and never reads or writes.
 */
@Timeout(90)
class SilentHostTest {
    /** The proxy's limit, which a call to a silent host would wait out without the handshake check. */
    private static final Duration CALL_LIMIT = Duration.ofSeconds(30);
    /** Handshake limit (1 s) and heartbeat timeout (5 × 1 s), with room for a loaded machine. */
    private static final long FAIL_WITHIN_MILLIS = 15_000;

    @Test
    void hostAcceptsButNeverGreets_callFailsLongBeforeItsTimeout_namingAgentAddressAndCause() throws Exception {
        try (SilentHost silent = new SilentHost()) {
            callFailsFast(silent.endpoint());
            assertTrue(silent.accepted() > 0, "the proxy never reached the silent host");
        }
    }

    @Test
    void hostDropsConnectionAttempts_callFailsLongBeforeItsTimeout_namingAgentAddressAndCause() throws Exception {
        try (Blackhole blackhole = new Blackhole()) {
            callFailsFast(blackhole.endpoint());
        }
    }

    private static void callFailsFast(String endpoint) {
        JeroMqRuntime jvm = new JeroMqRuntime(Settings.from(Map.of("zeroagents.default.timeout",
                String.valueOf(CALL_LIMIT.toMillis()), "zeroagents.handshake", "1000",
                "zeroagents.heartbeat", "1000")::get, Map.of()));
        try {
            NameServer ns = jvm.runNameServer(NameServerOptions.defaults());
            try (NameServerClient names = new NameServerClient(ns.address(), Duration.ofSeconds(5))) {
                names.register(AgentEntry.newBuilder().setName("Ghost").setHostId("vanished-host")
                        .setControlEndpoint(endpoint).build(), OwnerKey.newSecret());
            }
            Proxy ghost = ns.proxy("Ghost");

            long start = System.nanoTime();
            AgentTimeoutException failure = assertThrows(AgentTimeoutException.class, ghost::ping);
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertTrue(tookMillis < FAIL_WITHIN_MILLIS, "failed after " + tookMillis + " ms: " + failure.getMessage());
            assertTrue(failure.getMessage().contains("'Ghost'") && failure.getMessage().contains(endpoint)
                    && failure.getMessage().contains("no ZMTP handshake within"), failure.getMessage());

            long again = System.nanoTime();
            AgentTimeoutException next = assertThrows(AgentTimeoutException.class, ghost::ping);
            long nextMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - again);
            assertTrue(nextMillis < FAIL_WITHIN_MILLIS, "the next call failed after " + nextMillis + " ms");
            assertTrue(next.getMessage().contains("'Ghost'"), next.getMessage());
        } finally {
            jvm.close();
        }
    }

    /**
     * A TCP port on loopback whose queue of connections to accept is full, and never accepted from:
     * the kernel drops further connection attempts, as a firewall dropping packets would.
     */
    private static final class Blackhole implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        private final List<Socket> queued = new CopyOnWriteArrayList<>();

        Blackhole() throws IOException {
            for (int i = 0; i < 16; i++) {
                Socket socket = new Socket();
                try {
                    socket.connect(server.getLocalSocketAddress(), 200);
                    queued.add(socket);
                } catch (IOException full) {
                    socket.close();
                    return;
                }
            }
            throw new IOException("the accept queue of " + server + " never filled up");
        }

        String endpoint() {
            return "tcp://127.0.0.1:" + server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            for (Socket socket : queued) {
                socket.close();
            }
            server.close();
        }
    }

    /** A TCP port on loopback that accepts connections and then neither reads nor writes. */
    private static final class SilentHost implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> held = new CopyOnWriteArrayList<>();
        private final Thread acceptor = Thread.ofPlatform().daemon().name("silent-host").start(this::acceptForever);

        SilentHost() throws IOException {
        }

        String endpoint() {
            return "tcp://127.0.0.1:" + server.getLocalPort();
        }

        int accepted() {
            return held.size();
        }

        private void acceptForever() {
            try {
                while (true) {
                    held.add(server.accept());
                }
            } catch (IOException closed) {
                // The test is over.
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            try {
                acceptor.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (Socket socket : held) {
                socket.close();
            }
        }
    }
}
