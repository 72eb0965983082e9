package io.zeroagents.benchmarks;

import com.google.protobuf.ByteString;
import io.zeroagents.nameserver.NameServerClient;
import io.zeroagents.nameserver.NameServerService;
import io.zeroagents.nameserver.NameServerServiceBuilder;
import io.zeroagents.nameserver.protocol.AgentEntry;
import io.zeroagents.nameserver.protocol.Lookup;
import io.zeroagents.nameserver.protocol.Register;
import io.zeroagents.nameserver.protocol.Request;
import io.zeroagents.nameserver.registry.LocalRegistry;
import io.zeroagents.nameserver.registry.OwnerKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The name server over tcp in one JVM: one client registers agents one after another, then looks
 * up random ones. Raw JeroMQ's figure is the same pattern (a DEALER asking a ROUTER that echoes)
 * with requests of the same sizes, one at a time. Then, unless {@code registration-clients} is 1,
 * that many clients register at once, each on its own thread and connection, as the hosts of many
 * agents do; raw JeroMQ's figure is as many DEALERs asking the echoing ROUTER at once. Each
 * framework trial starts a fresh name server. The one-client rows are measured again from a server
 * that does not poll after requests ({@link NameServerService#SPIN_PROPERTY}{@code =0}), in the
 * same rotation of trials, to show what the polling buys: the raw ROUTER never polls.
 */
final class NameServerScenario {
    private NameServerScenario() {
    }

    private record Trial(double seconds, long[] lookups) {
    }

    private static final String HOST = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
    private static final ByteString SECRET = OwnerKey.newSecret();

    static void run(Bench b) throws Exception {
        int n = b.config.registrations();
        int m = b.config.lookups();
        byte[] registerRequest = Request.newBuilder().setVersion(1).setRequestId(1_000_000)
                .setRegister(Register.newBuilder().setAgent(entry(0)).setHostSecret(SECRET)).build().toByteArray();
        byte[] lookupRequest = Request.newBuilder().setVersion(1).setRequestId(1_000_000)
                .setLookup(Lookup.newBuilder().setName(name(0))).build().toByteArray();
        ZMQ.Socket dealer = Raw.socket(b.raw, SocketType.DEALER);
        // The server side has a context (and I/O thread) of its own, as a name server has: with one
        // shared I/O thread both ends of each tcp hop would be served in one wake-up.
        try (ZContext serverSide = new ZContext(1);
             RawThread router = new RawThread(serverSide, SocketType.ROUTER, "router",
                     s -> Raw.bind(s, "tcp://127.0.0.1:*"), Raw::routerEcho)) {
            Raw.connect(dealer, router.endpoint());
            dealer.setReceiveTimeOut(30_000);
            List<List<Trial>> trials = b.rotate(List.of(
                    () -> new Trial(rawSeconds(dealer, registerRequest, n), rawLatencies(dealer, lookupRequest, m)),
                    () -> frameworkTrial(n, m, true),
                    () -> frameworkTrial(n, m, false)));
            reportOneClient(b, "name server, tcp, 1 JVM (raw: DEALER→ROUTER echo)", n, trials.get(0), trials.get(1));
            reportOneClient(b, "name server, tcp, 1 JVM, " + NameServerService.SPIN_PROPERTY
                    + "=0 (raw: DEALER→ROUTER echo)", n, trials.get(0), trials.get(2));
            int clients = b.config.registrationClients();
            if (clients > 1) {
                String endpoint = router.endpoint();
                Bench.Both<Double> together = b.alternate(
                        () -> together(clients, k -> rawClient(b, endpoint, registerRequest, share(n, clients, k))),
                        () -> frameworkTogether(n, clients));
                String many = String.format(java.util.Locale.ROOT,
                        "name server, tcp, 1 JVM, %d clients at once (raw: %d DEALERs→ROUTER echo)", clients, clients);
                reportRegistrations(b, many, n, Samples.median(together.framework()), Samples.median(together.raw()));
            }
        } finally {
            dealer.close();
        }
    }

    private static void reportOneClient(Bench b, String scenario, int n, List<Trial> raw, List<Trial> framework) {
        reportRegistrations(b, scenario, n, Samples.median(framework.stream().map(Trial::seconds).toList()),
                Samples.median(raw.stream().map(Trial::seconds).toList()));
        Samples rawLookups = ReqRepScenario.pool(raw.stream().map(Trial::lookups).toList());
        Samples frameworkLookups = ReqRepScenario.pool(framework.stream().map(Trial::lookups).toList());
        b.report.addLatency(scenario, "lookup ", frameworkLookups, rawLookups, Target.none());
    }

    /** A fresh name server; one that does not poll after requests has a spin window of zero. */
    private static NameServerService server(boolean polls) {
        NameServerServiceBuilder builder = NameServerService.builder()
                .registry(new LocalRegistry(Duration.ofMinutes(10))).adminTokenDirectory(null);
        return (polls ? builder : builder.spin(Duration.ZERO)).start();
    }

    private static Trial frameworkTrial(int n, int m, boolean polls) {
        try (NameServerService service = server(polls);
             NameServerClient client = new NameServerClient(service.address(), Duration.ofSeconds(5))) {
            // The connection's handshake, before the clock starts.
            client.ping();
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                client.register(entry(i), SECRET);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            SplittableRandom random = new SplittableRandom(42);
            long[] lookups = new long[m];
            for (int i = 0; i < m; i++) {
                String name = name(random.nextInt(n));
                long t = System.nanoTime();
                client.lookup(name);
                lookups[i] = System.nanoTime() - t;
            }
            return new Trial(seconds, lookups);
        }
    }

    /** The rate and the time of {@code n} registrations, each side's median seconds, against the target. */
    private static void reportRegistrations(Bench b, String scenario, int n, double framework, double raw) {
        b.report.add(Result.of(scenario, "registrations / s", "", n / framework, n / raw,
                Target.atLeast(5_000, "≥ 5,000 / s (10,000 in ≤ 2 s)")));
        b.report.add(Result.of(scenario, String.format(java.util.Locale.ROOT, "%,d registrations", n), "s",
                framework, raw, Target.atMost(n / 5_000.0, "≤ 2 s for 10,000")));
    }

    /** One client of the registrations made at once: its connection, ready, and its share of the requests. */
    private interface Client extends AutoCloseable {
        void run();

        @Override
        void close();
    }

    /**
     * Opens {@code clients} clients, each on a thread of its own, then starts them together; returns
     * the seconds from that start until the last of them is done (opening and closing not counted).
     */
    private static double together(int clients, IntFunction<Client> open) throws Exception {
        AtomicLong began = new AtomicLong();
        // The barrier's action runs once all are ready, before any of them goes on: the clock's start.
        CyclicBarrier start = new CyclicBarrier(clients, () -> began.set(System.nanoTime()));
        AtomicLong lastDone = new AtomicLong(Long.MIN_VALUE);
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int k = 0; k < clients; k++) {
                int client = k;
                done.add(threads.submit(() -> {
                    try (Client c = open.apply(client)) {
                        start.await(60, TimeUnit.SECONDS);
                        c.run();
                        lastDone.accumulateAndGet(System.nanoTime(), Math::max);
                    } catch (Exception | Error e) {
                        // Breaks the barrier, so the others stop waiting for this one.
                        start.reset();
                        throw e;
                    }
                    return null;
                }));
            }
            Exception failure = null;
            for (Future<?> f : done) {
                try {
                    f.get(10, TimeUnit.MINUTES);
                } catch (ExecutionException | TimeoutException e) {
                    Exception cause = e instanceof ExecutionException && e.getCause() instanceof Exception c ? c : e;
                    if (failure == null) {
                        failure = cause;
                    } else {
                        failure.addSuppressed(cause);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
            return (lastDone.get() - began.get()) / 1e9;
        } finally {
            // Never interrupted: a client may be inside JeroMQ. Each ends within its receive timeout.
            threads.shutdown();
            if (!threads.awaitTermination(1, TimeUnit.MINUTES)) {
                System.err.println("Name-server clients still running after a minute");
            }
        }
    }

    /** How many of {@code n} requests client {@code k} of {@code clients} makes: those numbered k, k + clients, ... */
    private static int share(int n, int clients, int k) {
        return (n - k + clients - 1) / clients;
    }

    private static Client rawClient(Bench b, String endpoint, byte[] request, int requests) {
        ZMQ.Socket dealer = Raw.answered(b.raw, SocketType.DEALER, endpoint, request);
        dealer.setReceiveTimeOut(30_000);
        return new Client() {
            @Override
            public void run() {
                rawLatencies(dealer, request, requests);
            }

            @Override
            public void close() {
                dealer.close();
            }
        };
    }

    private static double frameworkTogether(int n, int clients) throws Exception {
        // The clients share one context, as raw JeroMQ's DEALERs do (and as a host's agents do).
        try (NameServerService service = server(true);
             ZContext clientSide = new ZContext(1)) {
            return together(clients, k -> {
                NameServerClient client = new NameServerClient(service.address(), Duration.ofSeconds(5), null,
                        clientSide);
                try {
                    // The connection's handshake, before the clock starts.
                    client.ping();
                } catch (RuntimeException e) {
                    client.close();
                    throw e;
                }
                return new Client() {
                    @Override
                    public void run() {
                        for (int i = k; i < n; i += clients) {
                            client.register(entry(i), SECRET);
                        }
                    }

                    @Override
                    public void close() {
                        client.close();
                    }
                };
            });
        }
    }

    private static double rawSeconds(ZMQ.Socket dealer, byte[] request, int n) {
        long start = System.nanoTime();
        rawLatencies(dealer, request, n);
        return (System.nanoTime() - start) / 1e9;
    }

    private static long[] rawLatencies(ZMQ.Socket dealer, byte[] request, int n) {
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            dealer.send(request, 0);
            if (dealer.recv(0) == null) {
                throw new IllegalStateException("raw ROUTER did not answer within 30 s");
            }
            nanos[i] = System.nanoTime() - t;
        }
        return nanos;
    }

    private static String name(int i) {
        return String.format(java.util.Locale.ROOT, "Agent-%05d", i);
    }

    private static AgentEntry entry(int i) {
        return AgentEntry.newBuilder().setName(name(i)).setHostId(HOST).setControlEndpoint("tcp://127.0.0.1:40000")
                .build();
    }
}
