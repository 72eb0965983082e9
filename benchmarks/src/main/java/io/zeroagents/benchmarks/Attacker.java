package io.zeroagents.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The soak test's attacker: floods written as raw ZMTP ({@link Zmtp}) over plain
 * {@link java.net.Socket}s, one thread per flood, never through a ZeroMQ library or the project's
 * clients. Each flood reconnects when the target closes its connection, and writes at most
 * {@code bytesPerSecond}, so the attack presses on the targets for as long as it runs without
 * taking both cores of the machine itself.
 *
 * <ul>
 *   <li>{@link #unending}: a multipart message that never ends, empty frames flagged MORE;</li>
 *   <li>{@link #invalid}: whole one-byte messages that no receiver can decode, for log
 *       amplification;</li>
 *   <li>{@link #subscriptions}: a SUB peer sending a PUB socket one subscription of 20,000 bytes and
 *       one of 100,000, over and over on fresh connections;</li>
 *   <li>the connection flood is {@link ConnectionFlood}.</li>
 * </ul>
 */
final class Attacker implements AutoCloseable {
    private static final int TIMEOUT_MILLIS = 5_000;
    private static final int CHUNK_BYTES = 16 * 1024;
    /** The subscription sizes of the attack on a PUB socket. */
    static final int[] SUBSCRIPTION_BYTES = {20_000, 100_000};

    private final long bytesPerSecond;
    private final List<Attack> attacks = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<ConnectionFlood> connectionFloods = new ArrayList<>();
    /** Sockets open now, closed by {@link #close()} to end writes that the target stopped reading. */
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;

    Attacker(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    /** The floods started so far, with what they did. */
    List<Attack> attacks() {
        List<Attack> all = new ArrayList<>(attacks);
        connectionFloods.forEach(f -> all.add(f.attack()));
        return all;
    }

    /** A message that never ends, to {@code endpoint}, from a peer saying it is a {@code socketType}. */
    void unending(String targetName, String endpoint, String socketType) {
        byte[] chunk = Zmtp.emptyMoreFrames(CHUNK_BYTES / 2);
        stream(new Attack("unending message → " + targetName, endpoint), socketType, chunk);
    }

    /** A stream of messages nobody can decode, to {@code endpoint}. */
    void invalid(String targetName, String endpoint, String socketType) {
        byte[] chunk = Zmtp.invalidMessages(CHUNK_BYTES / 3);
        stream(new Attack("invalid messages → " + targetName, endpoint), socketType, chunk);
    }

    /** Long subscriptions to a PUB socket at {@code endpoint}, each on a connection of its own. */
    void subscriptions(String targetName, String endpoint) {
        Attack attack = new Attack("subscriptions of 20,000 and 100,000 bytes → " + targetName, endpoint);
        attacks.add(attack);
        start(() -> {
            int next = 0;
            while (running) {
                byte[] subscription = Zmtp.subscription(SUBSCRIPTION_BYTES[next++ % SUBSCRIPTION_BYTES.length]);
                Socket socket = connect(attack, endpoint, "SUB");
                if (socket != null) {
                    try {
                        socket.getOutputStream().write(subscription);
                        attack.bytes().addAndGet(subscription.length);
                        // A target that refuses the subscription closes the connection; give it a moment.
                        if (closedWithin(socket, 1_000)) {
                            attack.closedByTarget().incrementAndGet();
                        }
                    } catch (IOException e) {
                        attack.closedByTarget().incrementAndGet();
                    } finally {
                        quietlyClose(socket);
                    }
                }
                pause(500);
            }
        });
    }

    /** {@code connections} idle ZMTP connections to each of {@code endpoints}, held until closed. */
    void connections(String targetName, List<String> endpoints, int connections) {
        ConnectionFlood flood = new ConnectionFlood("idle connections → " + targetName, endpoints, connections);
        connectionFloods.add(flood);
        flood.start();
    }

    private void stream(Attack attack, String socketType, byte[] chunk) {
        attacks.add(attack);
        start(() -> {
            long nanosPerChunk = TimeUnit.SECONDS.toNanos(1) * chunk.length / Math.max(1, bytesPerSecond);
            while (running) {
                Socket socket = connect(attack, attack.target(), socketType);
                if (socket == null) {
                    pause(200);
                    continue;
                }
                try {
                    OutputStream out = socket.getOutputStream();
                    long next = System.nanoTime();
                    while (running) {
                        out.write(chunk);
                        attack.bytes().addAndGet(chunk.length);
                        next += nanosPerChunk;
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        }
                    }
                } catch (IOException e) {
                    if (running) {
                        attack.closedByTarget().incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    return;
                } finally {
                    quietlyClose(socket);
                }
                pause(200);
            }
        });
    }

    private Socket connect(Attack attack, String endpoint, String socketType) {
        try {
            Socket socket = Zmtp.handshake(endpoint, socketType, TIMEOUT_MILLIS);
            open.add(socket);
            if (!running) {
                quietlyClose(socket);
                return null;
            }
            attack.connections().incrementAndGet();
            return socket;
        } catch (IOException | RuntimeException e) {
            attack.failures().incrementAndGet();
            return null;
        }
    }

    private static boolean closedWithin(Socket socket, int millis) throws IOException {
        socket.setSoTimeout(millis);
        InputStream in = socket.getInputStream();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        try {
            while (System.nanoTime() < deadline) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        }
        return false;
    }

    private void start(Runnable flood) {
        Thread thread = new Thread(flood, "attack-" + threads.size());
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    private void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void quietlyClose(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // Closed either way.
        }
    }

    /** Stops every flood: closes their sockets, which ends writes the targets stopped reading. */
    @Override
    public void close() {
        running = false;
        connectionFloods.forEach(ConnectionFlood::close);
        open.forEach(this::quietlyClose);
        for (Thread thread : threads) {
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
