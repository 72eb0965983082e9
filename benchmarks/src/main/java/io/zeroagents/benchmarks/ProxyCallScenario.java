package io.zeroagents.benchmarks;

import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.Proxy;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * Safe proxy calls, one at a time: {@code proxy.call("echo", payload)} on an {@link EchoAgent},
 * which runs on the agent's loop and returns its argument. In one JVM the nearest raw JeroMQ
 * figure is a REQ/REP round trip between two threads over inproc; across JVMs, a REQ/REP round
 * trip over tcp to the same peer JVM.
 */
final class ProxyCallScenario {
    private ProxyCallScenario() {
    }

    static void local(Bench b) throws Exception {
        int n = b.config.calls();
        int size = b.config.payloads().getFirst();
        byte[] payload = Raw.payload(size);
        Proxy echo = Agents.runAgent(b.name("Echo"), AgentOptions.builder(EchoAgent.class).build());
        RawThread rep = new RawThread(b.raw, SocketType.REP, "inproc-rep", s -> Raw.bind(s, "inproc://raw-rep"),
                Raw::echo);
        ZMQ.Socket req = Raw.connectedRequester(b.raw, rep.endpoint());
        try {
            echo.ping();
            Bench.Both<long[]> trials = b.alternate(() -> ReqRepScenario.rawRoundTrips(req, payload, n),
                    () -> calls(echo, payload, n));
            report(b, "safe proxy call, 1 JVM, " + size + " B (raw: REQ/REP inproc)", trials,
                    Target.atMost(50, "p50 ≤ 50 µs"));
        } finally {
            req.close();
            rep.close();
            echo.shutdown();
        }
    }

    static void remote(Bench b) throws Exception {
        int n = b.config.calls();
        int size = b.config.payloads().getFirst();
        byte[] payload = Raw.payload(size);
        try (PeerProcess peer = b.peer("proxy-peer")) {
            String name = b.name("RemoteEcho");
            peer.call("fw-echo " + b.nameServer.address() + " " + name);
            Proxy echo = b.nameServer.proxy(name);
            echo.ping();
            ZMQ.Socket req = Raw.connectedRequester(b.raw, peer.call("raw-rep"));
            try {
                Bench.Both<long[]> trials = b.alternate(() -> ReqRepScenario.rawRoundTrips(req, payload, n),
                        () -> calls(echo, payload, n));
                report(b, "safe proxy call, 2 JVMs, " + size + " B (raw: REQ/REP tcp)", trials,
                        Target.ratioAtMost(1.3));
            } finally {
                req.close();
            }
        }
    }

    private static void report(Bench b, String scenario, Bench.Both<long[]> trials, Target p50Target) {
        Samples raw = ReqRepScenario.pool(trials.raw());
        Samples framework = ReqRepScenario.pool(trials.framework());
        b.report.add(Result.of(scenario, "p50", "µs", framework.micros(50), raw.micros(50), p50Target));
        b.report.add(Result.of(scenario, "p99", "µs", framework.micros(99), raw.micros(99), Target.none()));
    }

    private static long[] calls(Proxy echo, byte[] payload, int n) {
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            echo.call("echo", payload);
            nanos[i] = System.nanoTime() - start;
        }
        return nanos;
    }
}
