package io.zeroagents.benchmarks;

import io.zeroagents.AgentAddress;
import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.BindOptions;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.Transport;
import io.zeroagents.serialization.CodecRegistry;
import io.zeroagents.serialization.EnvelopeCodec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
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
    /**
     * Payloads under this size are also measured over tcp with raw payloads as large as an agent's
     * frame; for larger ones the envelope's few dozen bytes are in the noise.
     */
    private static final int FRAME_SIZED_BELOW = 1024;
    /** Encodes frames as an agent does, only to learn their size. */
    private static final EnvelopeCodec ENVELOPES = new EnvelopeCodec(CodecRegistry.standard());

    private PushPullScenario() {
    }

    /**
     * Two JVMs over tcp loopback: the sender here, the receiver in a {@link Peer}; with ZeroMQ's
     * default high-water mark, then (unless {@code hwm=0}) with a larger one on all four sockets.
     * At the default high-water mark and without batching, payloads under 1 KiB are measured a third
     * way: raw JeroMQ sending payloads as large as the agent's frames, each a fresh array as the
     * agent's encoding makes one: the same work for ZeroMQ, without the agents' code.
     */
    static void tcp(Bench b) throws Exception {
        tcp(b, 0, 1);
        if (b.config.highWaterMark() > 0) {
            tcp(b, b.config.highWaterMark(), 1);
        }
        if (b.config.batch() > 1) {
            tcp(b, 0, b.config.batch());
        }
    }

    /**
     * One tcp run; {@code hwm} 0 keeps ZeroMQ's default high-water mark, {@code batch} 1 sends each
     * message alone.
     */
    private static void tcp(Bench b, int hwm, int batch) throws Exception {
        int n = b.config.messages();
        try (PeerProcess peer = b.peer("push-tcp-peer")) {
            AgentOptions.Builder builder = Bench.options().toBuilder().batchSends(batch);
            AgentOptions options = hwm == 0 ? builder.build() : builder.highWaterMark(hwm).build();
            Proxy source = Agents.runAgent(b.name("Source"), options);
            AgentAddress out = source.bind(Pattern.PUSH, "out");
            peer.call("fw-pull " + b.nameServer.address() + " " + source.name() + " out " + hwm);
            ZMQ.Socket push = Raw.socket(b.raw, SocketType.PUSH);
            Raw.highWaterMark(push, hwm);
            try {
                peer.call("raw-pull " + Raw.bind(push, "tcp://127.0.0.1:*") + " " + hwm);
                warmUp(peer, () -> push.send(Raw.payload(16), 0));
                warmUp(peer, () -> source.send("out", Raw.payload(16)));
                String scenario = "PUSH→PULL tcp, 2 JVMs" + (hwm == 0 ? "" : String.format(", high-water mark %,d", hwm))
                        + (batch == 1 ? "" : ", batchSends " + batch + " (raw: one message a frame)");
                for (int size : b.config.payloads()) {
                    byte[] payload = Raw.payload(size);
                    Callable<Trial> raw = () -> rawTcpTrial(peer, push, payload, n, false);
                    Callable<Trial> agents = () -> {
                        peer.call("expect " + n);
                        CompletableFuture<Long> cpu = agentSend(source, payload, n);
                        String done = peer.awaitDone(Bench.limitFor(n));
                        return Trial.of(done, cpu.get());
                    };
                    if (hwm != 0 || batch != 1 || size >= FRAME_SIZED_BELOW) {
                        report(b, scenario, size, b.alternate(raw, agents), Target.ratioAtLeast(0.8));
                        continue;
                    }
                    // Raw JeroMQ again with payloads as large as the agent's whole frame, each copied
                    // as an agent's send copies the payload into its frame: what the envelope's bytes
                    // and that copy cost ZeroMQ, beside what the agents' code costs.
                    byte[] frameSized = Raw.payload(ENVELOPES.encode(payload, out.codec(), source.name(), "", 0, false).length);
                    reportBeside(b, scenario, size, raw, agents, () -> rawTcpTrial(peer, push, frameSized, n, true),
                            frameSized.length + " B payloads, the size of an agent's frame, each a fresh copy",
                            Target.ratioAtLeast(0.8));
                }
            } finally {
                push.close();
                source.shutdown();
            }
        }
    }

    /**
     * One JVM over inproc, measured a third way: raw JeroMQ copying each payload, as an agent's send
     * does by default; payloads of 1 KiB or more are measured again from a sender with
     * {@code shareSentArrays}, which sends them without the defensive copy.
     */
    static void inproc(Bench b) throws Exception {
        int n = b.config.messages();
        MessageCounter frameworkCounter = new MessageCounter();
        MessageCounter rawCounter = new MessageCounter();
        Proxy source = b.agent("InprocSource");
        Proxy sharingSource = Agents.runAgent(b.name("InprocSharingSource"),
                Bench.options().toBuilder().shareSentArrays(true).build());
        Proxy sink = b.agent("InprocSink");
        ZMQ.Socket push = Raw.socket(b.raw, SocketType.PUSH);
        String endpoint = Raw.bind(push, "inproc://raw-push");
        try (RawThread pull = new RawThread(b.raw, SocketType.PULL, "inproc-pull", s -> Raw.connect(s, endpoint), s -> {
            if (s.recv(0) != null) {
                rawCounter.hit();
            }
        })) {
            pull.endpoint();
            AgentAddress out = source.bind(Pattern.PUSH, "out", BindOptions.builder().transport(Transport.INPROC).build());
            AgentAddress sharedOut = sharingSource.bind(Pattern.PUSH, "out",
                    BindOptions.builder().transport(Transport.INPROC).build());
            sink.connect(out, "in", byte[].class, (agent, message) -> frameworkCounter.hit());
            sink.connect(sharedOut, "shared", byte[].class, (agent, message) -> frameworkCounter.hit());
            for (int size : b.config.payloads()) {
                byte[] payload = Raw.payload(size);
                List<Proxy> sources = size >= 1024 ? List.of(source, sharingSource)
                        : List.of(source);
                for (Proxy sender : sources) {
                    Callable<Trial> agents = () -> {
                        MessageCounter.Run run = frameworkCounter.expect(n);
                        CompletableFuture<Long> cpu = agentSend(sender, payload, n);
                        MessageCounter.Run done = run.done.get(Bench.limitFor(n).toMillis(), TimeUnit.MILLISECONDS);
                        return Trial.of(done, cpu.get());
                    };
                    String scenario = "PUSH→PULL inproc, 1 JVM" + (sender == source ? "" : ", shareSentArrays");
                    if (sender != source) {
                        report(b, scenario, size, b.alternate(() -> rawInprocTrial(rawCounter, push, payload, n, false),
                                agents), Target.ratioAtLeast(0.7));
                        continue;
                    }
                    // Raw JeroMQ again with the copy an agent makes of every byte[] it sends by default.
                    reportBeside(b, scenario, size, () -> rawInprocTrial(rawCounter, push, payload, n, false), agents,
                            () -> rawInprocTrial(rawCounter, push, payload, n, true),
                            "copying each payload, as an agent's send does", Target.ratioAtLeast(0.7));
                }
            }
        } finally {
            push.close();
            source.shutdown();
            sharingSource.shutdown();
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

    /** One trial's throughput and the CPU time sender and receiver spent per message. */
    record Trial(double rate, double cpuPerMessage) {
        static Trial of(MessageCounter.Run done, long senderCpu) {
            return new Trial(done.rate(), (senderCpu + done.cpu) / (double) done.count);
        }

        /** From a peer's {@code count nanos cpu} answer. */
        static Trial of(String done, long senderCpu) {
            String[] words = done.trim().split("\\s+");
            long count = Long.parseLong(words[0]);
            return new Trial((count - 1) * 1e9 / Long.parseLong(words[1]),
                    (senderCpu + Long.parseLong(words[2])) / (double) count);
        }
    }

    /**
     * Measures the agents, raw JeroMQ, and raw JeroMQ doing part of what an agent does
     * ({@code rawLikeAgents}, described by {@code how}) in one rotation of trials; reports the agents
     * against raw under {@code target}, and against the second raw side with no target.
     */
    private static void reportBeside(Bench b, String scenario, int size, Callable<Trial> raw, Callable<Trial> agents,
                                     Callable<Trial> rawLikeAgents, String how, Target target) throws Exception {
        List<List<Trial>> trials = b.rotate(List.of(raw, agents, rawLikeAgents));
        report(b, scenario, size, new Bench.Both<>(trials.get(0), trials.get(1)), target);
        report(b, scenario + " (raw: " + how + ")", size, new Bench.Both<>(trials.get(2), trials.get(1)),
                Target.none());
    }

    static void report(Bench b, String scenario, int size, Bench.Both<Trial> trials, Target target) {
        b.report.add(Result.of(scenario, size + " B", "msg/s",
                Samples.median(trials.framework().stream().map(Trial::rate).toList()),
                Samples.median(trials.raw().stream().map(Trial::rate).toList()), target));
        b.report.add(Result.of(scenario, size + " B, CPU send+receive", "ns/msg",
                Samples.median(trials.framework().stream().map(Trial::cpuPerMessage).toList()),
                Samples.median(trials.raw().stream().map(Trial::cpuPerMessage).toList()), Target.none()));
    }

    private static Trial rawTcpTrial(PeerProcess peer, ZMQ.Socket push, byte[] payload, int n, boolean copy) {
        peer.call("expect " + n);
        long cpu = rawSend(push, payload, n, copy);
        return Trial.of(peer.awaitDone(Bench.limitFor(n)), cpu);
    }

    private static Trial rawInprocTrial(MessageCounter counter, ZMQ.Socket push, byte[] payload, int n, boolean copy)
            throws Exception {
        MessageCounter.Run run = counter.expect(n);
        long cpu = rawSend(push, payload, n, copy);
        return Trial.of(run.done.get(Bench.limitFor(n).toMillis(), TimeUnit.MILLISECONDS), cpu);
    }

    /**
     * Sends on the calling thread; returns the CPU time it took. With {@code copy}, each message is
     * a fresh copy of {@code payload}, as an agent sends a {@code byte[]} by default.
     */
    private static long rawSend(ZMQ.Socket push, byte[] payload, int n, boolean copy) {
        long cpu = MessageCounter.cpuNow();
        for (int i = 0; i < n; i++) {
            if (!push.send(copy ? payload.clone() : payload, 0)) {
                throw new IllegalStateException("raw PUSH send failed: " + push.errno());
            }
        }
        return MessageCounter.cpuNow() - cpu;
    }

    /** Queues the sending loop on the agent's own thread; the future gets the CPU time it took. */
    private static CompletableFuture<Long> agentSend(Proxy source, byte[] payload, int n) {
        CompletableFuture<Long> cpu = new CompletableFuture<>();
        source.oneway().executeAsMethod((self, args) -> {
            long start = MessageCounter.cpuNow();
            for (int i = 0; i < n; i++) {
                self.send("out", payload);
            }
            cpu.complete(MessageCounter.cpuNow() - start);
            return null;
        });
        return cpu;
    }
}
