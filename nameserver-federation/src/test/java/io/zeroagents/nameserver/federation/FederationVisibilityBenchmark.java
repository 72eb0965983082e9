package io.zeroagents.nameserver.federation;

import io.zeroagents.UnknownAgentException;
import io.zeroagents.nameserver.NameServerClient;
import io.zeroagents.nameserver.NameServerService;
import io.zeroagents.nameserver.TestEntries;
import io.zeroagents.nameserver.protocol.AgentEntry;
import io.zeroagents.nameserver.registry.LocalRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Measures how long a registration on one name server of a federation takes to be visible on the
 * other two: three federated name servers (each a Hazelcast member and a ZeroMQ service) in this
 * JVM on loopback; a client registers a name through the first while one client per other name
 * server looks it up in a loop, from before the registration is sent until it finds it.
 *
 * <p>Prints p50, p99 and max over {@code N} registrations (default 1,000, after 200 not counted),
 * and the same measure on a single name server with a {@link LocalRegistry} in the same run as the
 * baseline, with the ratio. A benchmark, not a test: nothing is asserted.
 *
 * <p>Run: {@code ./mvnw -q -Pfederation-benchmark -pl nameserver -am test -DskipTests}
 * ({@code -Dbenchmark.registrations=N} for another count).
 */
public final class FederationVisibilityBenchmark {

    private static final int WARMUP = 200;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private FederationVisibilityBenchmark() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args optionally the number of measured registrations
     * @throws Exception if a name server fails
     */
    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        System.out.printf(Locale.ROOT, "Registration-to-visibility, %d registrations after %d of warm-up%n", count, WARMUP);

        long[][] local;
        try (NameServerService single = NameServerService.builder()
                .registry(new LocalRegistry(Duration.ofSeconds(60))).start()) {
            local = measure(count, single.address(), List.of(single.address(), single.address()));
        }
        print("single name server (baseline), seen by 2 other clients", local);

        List<Integer> ports = List.of(freePort(), freePort(), freePort());
        List<String> peers = ports.stream().map(port -> "127.0.0.1:" + port).toList();
        List<NameServerService> servers = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                FederatedRegistry registry = FederatedRegistry.start(FederationSettings.builder()
                        .hostId("bench-" + i).clusterName("bench-" + ProcessHandle.current().pid())
                        .clusterSecret(TestFederation.SECRET)
                        .clusterHost("127.0.0.1").clusterPort(ports.get(i)).peers(peers)
                        .lease(Duration.ofSeconds(60)).build());
                servers.add(NameServerService.builder().registry(registry).start());
            }
            long[][] federated = measure(count, servers.get(0).address(),
                    List.of(servers.get(1).address(), servers.get(2).address()));
            print("federation of 3, registered on host 0, seen on hosts 1 and 2", federated);
            System.out.printf(Locale.ROOT, "ratio federated / single, p50 of both seen: %.1f%n",
                    (double) percentile(federated[2], 50) / Math.max(1, percentile(local[2], 50)));
        } finally {
            servers.forEach(NameServerService::close);
        }
    }

    // Returns nanoseconds per registration: [0] seen by the first reader, [1] by the second, [2] by both.
    private static long[][] measure(int count, String writer, List<String> readers) throws Exception {
        ExecutorService pollers = Executors.newFixedThreadPool(readers.size());
        List<NameServerClient> readerClients = new ArrayList<>();
        try (NameServerClient writerClient = new NameServerClient(writer, TIMEOUT)) {
            readers.forEach(address -> readerClients.add(new NameServerClient(address, TIMEOUT)));
            long[][] seen = new long[3][count];
            String run = Long.toHexString(System.nanoTime());
            for (int i = -WARMUP; i < count; i++) {
                String name = "Bench-" + run + "-" + i;
                long start = System.nanoTime();
                List<Future<Long>> found = new ArrayList<>();
                for (NameServerClient reader : readerClients) {
                    found.add(pollers.submit(() -> awaitVisible(reader, name, start)));
                }
                writerClient.register(AgentEntry.newBuilder().setName(name).setHostId("bench-host")
                        .setControlEndpoint("tcp://127.0.0.1:1").build(), TestEntries.secret("bench-host"));
                long first = found.get(0).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                long second = found.get(1).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                if (i >= 0) {
                    seen[0][i] = first;
                    seen[1][i] = second;
                    seen[2][i] = Math.max(first, second);
                }
            }
            return seen;
        } finally {
            readerClients.forEach(NameServerClient::close);
            pollers.shutdownNow();
        }
    }

    private static long awaitVisible(NameServerClient reader, String name, long start) {
        long deadline = start + TIMEOUT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            try {
                reader.lookup(name);
                return System.nanoTime() - start;
            } catch (UnknownAgentException notYet) {
                // Look again at once: the resolution of the measure is one lookup round trip.
            }
        }
        throw new IllegalStateException("'" + name + "' not visible on " + reader.address() + " within " + TIMEOUT);
    }

    private static void print(String what, long[][] seen) {
        System.out.printf(Locale.ROOT, "%s:%n", what);
        String[] labels = {"  first reader", "  second reader", "  both readers"};
        for (int r = 0; r < 3; r++) {
            System.out.printf(Locale.ROOT, "%s: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", labels[r],
                    percentile(seen[r], 50) / 1e6, percentile(seen[r], 99) / 1e6, percentile(seen[r], 100) / 1e6);
        }
    }

    private static long percentile(long[] values, int percent) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.clamp(index, 0, sorted.length - 1)];
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
