package io.zeroagents.benchmarks;

import io.zeroagents.AgentTimeoutException;
import io.zeroagents.Proxy;
import java.time.Duration;
import org.zeromq.ZMQ;

/**
 * REQ→REP round trips across two JVMs over tcp, one at a time: the framework's requester is an
 * agent calling {@code sendRecv} on its own loop, its replier an agent whose REP handler returns
 * the request; raw JeroMQ's are a REQ socket here and an echoing REP socket in the peer.
 */
final class ReqRepScenario {
    private ReqRepScenario() {
    }

    static void run(Bench b) throws Exception {
        int n = b.config.roundTrips();
        try (PeerProcess peer = b.peer("reqrep-peer")) {
            String replier = b.name("Replier");
            peer.call("fw-rep " + b.nameServer.address() + " " + replier);
            Proxy requester = b.agent("Requester");
            requester.connect(b.nameServer.addr(replier, "rep"), "req");
            warmUp(requester, "req");
            ZMQ.Socket req = Raw.connectedRequester(b.raw, peer.call("raw-rep"));
            try {
                for (int size : b.config.payloads()) {
                    byte[] payload = Raw.payload(size);
                    Bench.Both<long[]> trials = b.inTurns( k -> rawRoundTrips(req, payload, k),
                            k -> agentRoundTrips(requester, "req", payload, k), n);
                    Samples raw = pool(trials.raw());
                    Samples framework = pool(trials.framework());
                    String scenario = "REQ→REP tcp, 2 JVMs, " + size + " B";
                    b.report.addLatency(scenario, "", framework, raw, Target.ratioAtMost(1.2));
                }
            } finally {
                req.close();
                requester.shutdown();
            }
        }
    }

    static Samples pool(Iterable<long[]> trials) {
        Samples samples = new Samples();
        trials.forEach(samples::add);
        return samples;
    }

    /** Round trips on a raw REQ socket, each timed. */
    static long[] rawRoundTrips(ZMQ.Socket req, byte[] payload, int n) {
        req.setReceiveTimeOut(30_000);
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            req.send(payload, 0);
            if (req.recv(0) == null) {
                throw new IllegalStateException("raw REQ got no reply within 30 s");
            }
            nanos[i] = System.nanoTime() - start;
        }
        return nanos;
    }

    /** One reply on an agent's REQ socket, resending while a stalled handshake loses requests. */
    static void warmUp(Proxy requester, String alias) {
        requester.executeAsMethod((self, args) -> {
            for (int attempt = 0; attempt < 10; attempt++) {
                self.send(alias, new byte[] {1});
                try {
                    self.recv(alias, byte[].class, Duration.ofSeconds(2));
                    return null;
                } catch (AgentTimeoutException e) {
                    // Its REQ socket is relaxed: send again.
                }
            }
            throw new IllegalStateException("No reply on socket '" + alias + "' in 10 attempts");
        });
    }

    /** Round trips by an agent on its own loop, each timed there. */
    static long[] agentRoundTrips(Proxy requester, String alias, byte[] payload, int n) {
        Object result = requester.executeAsMethod((self, args) -> {
            long[] nanos = new long[n];
            for (int i = 0; i < n; i++) {
                long start = System.nanoTime();
                self.sendRecv(alias, payload, byte[].class);
                nanos[i] = System.nanoTime() - start;
            }
            return nanos;
        });
        return (long[]) java.util.Objects.requireNonNull(result);
    }
}
