package io.zeroagents.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A thread that owns one raw JeroMQ socket, as a plain JeroMQ program would: it opens the socket
 * (bind or connect), then runs one step (a blocking receive and what follows) until closed. The
 * receive timeout only bounds how long {@link #close()} waits.
 */
final class RawThread implements AutoCloseable {
    private final Thread thread;
    private final CompletableFuture<String> endpoint = new CompletableFuture<>();
    private volatile boolean running = true;

    RawThread(ZContext context, SocketType type, String name, Function<ZMQ.Socket, String> open,
              Consumer<ZMQ.Socket> step) {
        thread = new Thread(() -> {
            ZMQ.Socket socket = Raw.socket(context, type);
            try {
                socket.setReceiveTimeOut(100);
                endpoint.complete(open.apply(socket));
                while (running) {
                    step.accept(socket);
                }
            } catch (RuntimeException e) {
                endpoint.completeExceptionally(e);
                if (running) {
                    System.err.println("Raw " + type + " thread '" + name + "' failed: " + e);
                }
            } finally {
                socket.close();
            }
        }, "raw-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Where the socket was bound or connected to, once it is. */
    String endpoint() {
        try {
            return endpoint.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Raw socket thread did not open its socket: " + e, e);
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
