package io.zeroagents.benchmarks;

import io.zeroagents.nameserver.NameServerClient;
import io.zeroagents.nameserver.NameServerService;
import io.zeroagents.nameserver.protocol.AgentEntry;
import io.zeroagents.nameserver.protocol.Lookup;
import io.zeroagents.nameserver.protocol.Register;
import io.zeroagents.nameserver.protocol.Request;
import io.zeroagents.nameserver.registry.LocalRegistry;
import java.time.Duration;
import java.util.SplittableRandom;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * The name server over tcp in one JVM: one client registers agents one after another, then looks
 * up random ones. Raw JeroMQ's figure is the same pattern (a DEALER asking a ROUTER that echoes)
 * with requests of the same sizes, one at a time. Each framework trial starts a fresh name server.
 */
final class NameServerScenario {
    private NameServerScenario() {
    }

    private record Trial(double seconds, long[] lookups) {
    }

    private static final String HOST = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

    static void run(Bench b) throws Exception {
        int n = b.config.registrations();
        int m = b.config.lookups();
        byte[] registerRequest = Request.newBuilder().setVersion(1).setRequestId(1_000_000)
                .setRegister(Register.newBuilder().setAgent(entry(0))).build().toByteArray();
        byte[] lookupRequest = Request.newBuilder().setVersion(1).setRequestId(1_000_000)
                .setLookup(Lookup.newBuilder().setName(name(0))).build().toByteArray();
        ZMQ.Socket dealer = Raw.socket(b.raw, SocketType.DEALER);
        try (RawThread router = new RawThread(b.raw, SocketType.ROUTER, "router", s -> Raw.bind(s, "tcp://127.0.0.1:*"),
                Raw::routerEcho)) {
            Raw.connect(dealer, router.endpoint());
            dealer.setReceiveTimeOut(30_000);
            Bench.Both<Trial> trials = b.alternate(
                    () -> new Trial(rawSeconds(dealer, registerRequest, n), rawLatencies(dealer, lookupRequest, m)),
                    () -> frameworkTrial(n, m));
            double raw = Samples.median(trials.raw().stream().map(Trial::seconds).toList());
            double framework = Samples.median(trials.framework().stream().map(Trial::seconds).toList());
            String scenario = "name server, tcp, 1 JVM (raw: DEALER→ROUTER echo)";
            b.report.add(Result.of(scenario, "registrations / s", "", n / framework, n / raw,
                    Target.atLeast(5_000, "≥ 5,000 / s (10,000 in ≤ 2 s)")));
            b.report.add(Result.of(scenario, String.format(java.util.Locale.ROOT, "%,d registrations", n), "s",
                    framework, raw, Target.atMost(n / 5_000.0, "≤ 2 s for 10,000")));
            Samples rawLookups = ReqRepScenario.pool(trials.raw().stream().map(Trial::lookups).toList());
            Samples frameworkLookups = ReqRepScenario.pool(trials.framework().stream().map(Trial::lookups).toList());
            b.report.add(Result.of(scenario, "lookup p50", "µs", frameworkLookups.micros(50), rawLookups.micros(50),
                    Target.none()));
            b.report.add(Result.of(scenario, "lookup p99", "µs", frameworkLookups.micros(99), rawLookups.micros(99),
                    Target.none()));
        } finally {
            dealer.close();
        }
    }

    private static Trial frameworkTrial(int n, int m) {
        try (NameServerService service = NameServerService.start("tcp://127.0.0.1:*",
                new LocalRegistry(Duration.ofMinutes(10)));
             NameServerClient client = new NameServerClient(service.address(), Duration.ofSeconds(5))) {
            // The connection's handshake, before the clock starts.
            client.ping();
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                client.register(entry(i));
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
