package io.zeroagents.benchmarks;

import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.Proxy;
import io.zeroagents.settings.ZeroAgentsSettings;
import java.util.List;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * Safe proxy calls, one at a time: {@code proxy.call("echo", payload)} on an {@link EchoAgent},
 * which runs on the agent's loop and returns its argument. In one JVM the nearest raw JeroMQ
 * figure is a REQ/REP round trip between two threads over inproc; across JVMs, a REQ/REP round
 * trip over tcp to the same peer JVM.
 */
final class ProxyCallScenario {
    private static final String CONTROL_SPIN = ZeroAgentsSettings.CONTROL_SPIN.property();

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
            Bench.Both<long[]> trials = b.inTurns(
                    k -> ReqRepScenario.rawRoundTrips(req, payload, k), k -> calls(echo, payload, k), n);
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
            ZMQ.Socket req = Raw.connectedRequester(b.raw, peer.call("raw-rep"));
            try {
                remoteCalls(b, peer, req, payload, n, 0, "");
                if (b.config.spinMicros() > 0) {
                    remoteCalls(b, peer, req, payload, n, b.config.spinMicros(), "");
                }
            } finally {
                req.close();
            }
        }
        // What the control endpoint's default spin buys: the same calls to a peer whose endpoint sleeps at once.
        try (PeerProcess peer = b.peer("proxy-peer-no-spin", List.of("-D" + CONTROL_SPIN + "=0"))) {
            ZMQ.Socket req = Raw.connectedRequester(b.raw, peer.call("raw-rep"));
            try {
                remoteCalls(b, peer, req, payload, n, 0, ", " + CONTROL_SPIN + "=0");
            } finally {
                req.close();
            }
        }
    }

    /**
     * Calls to an echo agent in the peer, with the given spinWait, against raw REQ/REP to the same
     * peer; {@code label} names the peer's settings.
     */
    private static void remoteCalls(Bench b, PeerProcess peer, ZMQ.Socket req, byte[] payload, int n, int spinMicros,
                                    String label) throws Exception {
        String name = b.name(spinMicros == 0 ? "RemoteEcho" : "RemoteSpinningEcho");
        peer.call("fw-echo " + b.nameServer.address() + " " + name + " " + spinMicros);
        Proxy echo = b.nameServer.proxy(name);
        echo.ping();
        Bench.Both<long[]> trials = b.inTurns(
                k -> ReqRepScenario.rawRoundTrips(req, payload, k), k -> calls(echo, payload, k), n);
        report(b, "safe proxy call, 2 JVMs, " + payload.length + " B"
                        + (spinMicros == 0 ? "" : ", spinWait " + spinMicros + " µs") + label + " (raw: REQ/REP tcp)",
                trials, Target.ratioAtMost(1.3));
    }

    private static void report(Bench b, String scenario, Bench.Both<long[]> trials, Target p50Target) {
        Samples raw = ReqRepScenario.pool(trials.raw());
        Samples framework = ReqRepScenario.pool(trials.framework());
        b.report.addLatency(scenario, "", framework, raw, p50Target);
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
