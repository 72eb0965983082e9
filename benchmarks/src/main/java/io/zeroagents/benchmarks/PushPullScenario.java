package io.zeroagents.benchmarks;

import io.zeroagents.BindOptions;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.Transport;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * PUSH→PULL throughput: a sender pushes as fast as it can, the receiver times its first to its
 * last message. The framework's sender is an agent sending from its own loop (as a handler or
 * timer does), its receiver an agent with a {@code byte[]} handler; raw JeroMQ's are a PUSH socket
 * on the harness's thread and a PULL socket on a thread of its own. Same payloads, same counts.
 */
final class PushPullScenario {
    private PushPullScenario() {
    }

    /** Two JVMs over tcp loopback: the sender here, the receiver in a {@link Peer}. */
    static void tcp(Bench b) throws Exception {
        int n = b.config.messages();
        try (PeerProcess peer = b.peer("push-tcp-peer")) {
            Proxy source = b.agent("Source");
            source.bind(Pattern.PUSH, "out");
            peer.call("fw-pull " + b.nameServer.address() + " " + source.name() + " out");
            ZMQ.Socket push = Raw.socket(b.raw, SocketType.PUSH);
            try {
                peer.call("raw-pull " + Raw.bind(push, "tcp://127.0.0.1:*"));
                warmUp(peer, () -> push.send(Raw.payload(16), 0));
                warmUp(peer, () -> source.send("out", Raw.payload(16)));
                for (int size : b.config.payloads()) {
                    byte[] payload = Raw.payload(size);
                    Bench.Both<Double> rates = b.alternate(
                            () -> {
                                peer.call("expect " + n);
                                rawSend(push, payload, n);
                                return rate(peer.awaitDone(Bench.limitFor(n)));
                            },
                            () -> {
                                peer.call("expect " + n);
                                agentSend(source, payload, n);
                                return rate(peer.awaitDone(Bench.limitFor(n)));
                            });
                    b.report.add(Result.of("PUSH→PULL tcp, 2 JVMs", size + " B", "msg/s",
                            Samples.median(rates.framework()), Samples.median(rates.raw()), Target.ratioAtLeast(0.8)));
                }
            } finally {
                push.close();
                source.shutdown();
            }
        }
    }

    /** One JVM over inproc. */
    static void inproc(Bench b) throws Exception {
        int n = b.config.messages();
        MessageCounter frameworkCounter = new MessageCounter();
        MessageCounter rawCounter = new MessageCounter();
        Proxy source = b.agent("InprocSource");
        Proxy sink = b.agent("InprocSink");
        ZMQ.Socket push = Raw.socket(b.raw, SocketType.PUSH);
        String endpoint = Raw.bind(push, "inproc://raw-push");
        try (RawThread pull = new RawThread(b.raw, SocketType.PULL, "inproc-pull", s -> Raw.connect(s, endpoint), s -> {
            if (s.recv(0) != null) {
                rawCounter.hit();
            }
        })) {
            pull.endpoint();
            sink.connect(source.bind(Pattern.PUSH, "out", BindOptions.builder().transport(Transport.INPROC).build()),
                    "in", byte[].class, (agent, message) -> frameworkCounter.hit());
            for (int size : b.config.payloads()) {
                byte[] payload = Raw.payload(size);
                Bench.Both<Double> rates = b.alternate(
                        () -> {
                            MessageCounter.Run run = rawCounter.expect(n);
                            rawSend(push, payload, n);
                            return run.done.get(Bench.limitFor(n).toMillis(), TimeUnit.MILLISECONDS).rate();
                        },
                        () -> {
                            MessageCounter.Run run = frameworkCounter.expect(n);
                            agentSend(source, payload, n);
                            return run.done.get(Bench.limitFor(n).toMillis(), TimeUnit.MILLISECONDS).rate();
                        });
                b.report.add(Result.of("PUSH→PULL inproc, 1 JVM", size + " B", "msg/s",
                        Samples.median(rates.framework()), Samples.median(rates.raw()), Target.ratioAtLeast(0.7)));
            }
        } finally {
            push.close();
            source.shutdown();
            sink.shutdown();
        }
    }

    /**
     * Sends single messages until the peer has one, so the connection is up before any trial: a
     * bound PUSH socket loses what it queued for a connection whose handshake stalled
     * (zeromq/jeromq#1022), raw or not. A message still in flight when this returns may count in
     * the first trial, one message in many thousands.
     */
    private static void warmUp(PeerProcess peer, Runnable sendOne) {
        peer.call("expect 1");
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        do {
            if (System.nanoTime() > giveUp) {
                throw new IllegalStateException("The peer received nothing within 30 s");
            }
            sendOne.run();
        } while (!peer.pollDone(Duration.ofMillis(50)));
    }

    private static void rawSend(ZMQ.Socket push, byte[] payload, int n) {
        for (int i = 0; i < n; i++) {
            if (!push.send(payload, 0)) {
                throw new IllegalStateException("raw PUSH send failed: " + push.errno());
            }
        }
    }

    /** Queues the sending loop on the agent's own thread and returns at once. */
    private static void agentSend(Proxy source, byte[] payload, int n) {
        source.oneway().executeAsMethod((self, args) -> {
            for (int i = 0; i < n; i++) {
                self.send("out", payload);
            }
            return null;
        });
    }

    /** Messages per second from a peer's {@code count nanos} answer. */
    static double rate(String done) {
        String[] words = done.trim().split("\\s+");
        long count = Long.parseLong(words[0]);
        long nanos = Long.parseLong(words[1]);
        return (count - 1) * 1e9 / nanos;
    }
}
