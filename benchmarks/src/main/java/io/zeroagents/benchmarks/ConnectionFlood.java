package io.zeroagents.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Thousands of idle ZMTP connections held open by one thread: each connects, writes a NULL greeting
 * and a READY command (so the target has a whole session to keep per connection) and then says
 * nothing more, reading and discarding whatever the target sends. A connection the target closes is
 * counted and opened again, at most {@value #OPENS_PER_SECOND} a second, so the flood keeps pressing
 * for as long as it runs. Plain {@link java.nio} channels, never a ZeroMQ library.
 */
final class ConnectionFlood implements AutoCloseable {
    /** How fast connections are opened, the first ones and those that replace closed ones. */
    static final int OPENS_PER_SECOND = 1_000;

    private final Attack attack;
    private final List<String> endpoints;
    private final int perEndpoint;
    private final Thread thread;
    /** What each connection says before it falls silent: a greeting and a READY command. */
    private final byte[] hello = concat(Zmtp.greeting(), Zmtp.ready("DEALER"));
    private volatile boolean running = true;

    ConnectionFlood(String name, List<String> endpoints, int perEndpoint) {
        this.attack = new Attack(name, String.join(", ", endpoints));
        this.endpoints = List.copyOf(endpoints);
        this.perEndpoint = perEndpoint;
        this.thread = new Thread(this::run, "attack-connections");
        thread.setDaemon(true);
    }

    Attack attack() {
        return attack;
    }

    void start() {
        thread.start();
    }

    private void run() {
        ByteBuffer sink = ByteBuffer.allocate(4096);
        int[] live = new int[endpoints.size()];
        try (Selector selector = Selector.open()) {
            long nanosPerOpen = TimeUnit.SECONDS.toNanos(1) / OPENS_PER_SECOND;
            long nextOpen = System.nanoTime();
            while (running) {
                int target = neediest(live);
                while (target >= 0 && System.nanoTime() >= nextOpen) {
                    open(selector, target);
                    live[target]++;
                    nextOpen += nanosPerOpen;
                    target = neediest(live);
                }
                if (target < 0) {
                    nextOpen = System.nanoTime();
                }
                selector.select(20);
                for (SelectionKey key : selector.selectedKeys()) {
                    if (!handle(key, sink)) {
                        live[(Integer) key.attachment()]--;
                        key.cancel();
                        try {
                            key.channel().close();
                        } catch (IOException e) {
                            // Closed either way.
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
        } catch (IOException e) {
            System.err.println("The connection flood stopped: " + e);
        }
    }

    /** The endpoint with the fewest live connections under the goal, or -1 when all have theirs. */
    private int neediest(int[] live) {
        int best = -1;
        for (int i = 0; i < live.length; i++) {
            if (live[i] < perEndpoint && (best < 0 || live[i] < live[best])) {
                best = i;
            }
        }
        return best;
    }

    private void open(Selector selector, int target) {
        try {
            SocketChannel channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_CONNECT, target);
            channel.connect(Zmtp.address(endpoints.get(target)));
        } catch (IOException e) {
            attack.failures().incrementAndGet();
        }
    }

    /** Completes a connection or reads from it; false when it is closed or failed. */
    private boolean handle(SelectionKey key, ByteBuffer sink) {
        SocketChannel channel = (SocketChannel) key.channel();
        try {
            if (key.isConnectable()) {
                if (!channel.finishConnect()) {
                    return true;
                }
                attack.connections().incrementAndGet();
                ByteBuffer hello = ByteBuffer.wrap(this.hello);
                channel.write(hello);
                attack.bytes().addAndGet(hello.position());
                key.interestOps(SelectionKey.OP_READ);
                return true;
            }
            if (key.isReadable()) {
                sink.clear();
                if (channel.read(sink) < 0) {
                    attack.closedByTarget().incrementAndGet();
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            if (key.isConnectable()) {
                attack.failures().incrementAndGet();
            } else {
                attack.closedByTarget().incrementAndGet();
            }
            return false;
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /** Stops the flood and closes its connections. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
