package io.zeroagents.benchmarks;

import io.zeroagents.AgentAddress;
import io.zeroagents.BindOptions;
import io.zeroagents.MessageHandler;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.SocketHandler;
import io.zeroagents.Transport;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * PUB→SUB fan-out in one JVM: one publisher, ten subscribers (by default), each on a thread of its
 * own. The publisher first sends warm-up messages until every subscriber has one (subscriptions
 * travel asynchronously), then publishes its messages as fast as it can, then end markers until
 * every subscriber has one. A PUB socket drops what a slow subscriber has no room for, on both
 * sides alike; the figure is what was delivered: messages received by all subscribers together,
 * per second from the start of publishing to the last delivery.
 *
 * <p>Topics: {@code w} warm-up, {@code d} data, {@code e} end. Markers carry the trial's number, so
 * a marker left over from one trial never counts in the next.
 */
final class FanOutScenario {
    private FanOutScenario() {
    }

    /** The subscribers' shared view of one trial. */
    private static final class Trial {
        final int id;
        final CountDownLatch warmed;
        final CountDownLatch ended;
        final long[] counts;
        final long[] lasts;
        final boolean[] sawWarm;
        final boolean[] sawEnd;

        Trial(int id, int subscribers) {
            this.id = id;
            warmed = new CountDownLatch(subscribers);
            ended = new CountDownLatch(subscribers);
            counts = new long[subscribers];
            lasts = new long[subscribers];
            sawWarm = new boolean[subscribers];
            sawEnd = new boolean[subscribers];
        }

        /** On subscriber {@code sub}'s own thread. */
        void on(int sub, byte topic, byte[] payload) {
            switch (topic) {
                case 'd' -> {
                    counts[sub]++;
                    lasts[sub] = System.nanoTime();
                }
                case 'w' -> {
                    if (marker(payload) == id && !sawWarm[sub]) {
                        sawWarm[sub] = true;
                        warmed.countDown();
                    }
                }
                case 'e' -> {
                    if (marker(payload) == id && !sawEnd[sub]) {
                        sawEnd[sub] = true;
                        ended.countDown();
                    }
                }
                default -> {
                }
            }
        }

        /** Delivered messages per second since {@code start}; read after {@link #ended} opened. */
        double rate(long start) {
            long delivered = 0;
            long last = start;
            for (int i = 0; i < counts.length; i++) {
                delivered += counts[i];
                last = Math.max(last, lasts[i]);
            }
            return last == start ? 0 : delivered * 1e9 / (last - start);
        }
    }

    private interface Publish {
        void send(String topic, byte[] payload);
    }

    private static volatile @Nullable Trial current;
    private static int trials;

    static void run(Bench b) throws Exception {
        int subscribers = b.config.subscribers();
        int n = b.config.fanOutMessages();
        Transport transport = Transport.parse(b.config.fanOutTransport());
        List<AutoCloseable> rawSubscribers = new ArrayList<>();
        List<Proxy> agents = new ArrayList<>();
        ZMQ.Socket pub = Raw.socket(b.raw, SocketType.PUB);
        try {
            String endpoint = Raw.bind(pub, transport == Transport.TCP ? "tcp://127.0.0.1:*" : "inproc://raw-pub");
            for (int i = 0; i < subscribers; i++) {
                int sub = i;
                RawThread thread = new RawThread(b.raw, SocketType.SUB, "sub-" + i, s -> {
                    s.subscribe(new byte[0]);
                    return Raw.connect(s, endpoint);
                }, s -> {
                    byte[] topic = s.recv(0);
                    if (topic != null) {
                        byte[] payload = s.recv(0);
                        Trial trial = current;
                        if (trial != null) {
                            trial.on(sub, topic[0], payload);
                        }
                    }
                });
                rawSubscribers.add(thread);
                thread.endpoint();
            }
            Proxy publisher = b.agent("Publisher");
            agents.add(publisher);
            AgentAddress address = publisher.bind(Pattern.PUB, "pub", BindOptions.builder().transport(transport).build());
            for (int i = 0; i < subscribers; i++) {
                int sub = i;
                Proxy subscriber = b.agent("Subscriber");
                agents.add(subscriber);
                subscriber.connect(address, "sub", SocketHandler.onTopics(byte[].class, Map.of(
                        "w", handler(sub, 'w'), "d", handler(sub, 'd'), "e", handler(sub, 'e'))));
            }
            for (int size : b.config.payloads()) {
                byte[] payload = Raw.payload(size);
                Bench.Both<Double> rates = b.alternate(
                        () -> trial(subscribers, (topic, bytes) -> {
                            pub.sendMore(topic);
                            pub.send(bytes, 0);
                        }, () -> {
                            for (int i = 0; i < n; i++) {
                                pub.sendMore("d");
                                pub.send(payload, 0);
                            }
                        }),
                        () -> trial(subscribers, (topic, bytes) -> publisher.send("pub", topic, bytes), () ->
                                publisher.oneway().executeAsMethod((self, args) -> {
                                    for (int i = 0; i < n; i++) {
                                        self.send("pub", "d", payload);
                                    }
                                    return null;
                                })));
                b.report.add(Result.of("PUB→SUB fan-out to " + subscribers + ", " + transport.scheme() + ", 1 JVM",
                        size + " B delivered", "msg/s", Samples.median(rates.framework()),
                        Samples.median(rates.raw()), Target.none()));
            }
        } finally {
            pub.close();
            for (AutoCloseable c : rawSubscribers) {
                c.close();
            }
            agents.forEach(Proxy::shutdown);
            current = null;
        }
    }

    private static MessageHandler<byte[]> handler(int sub, char topic) {
        return (agent, payload) -> {
            Trial trial = current;
            if (trial != null) {
                trial.on(sub, (byte) topic, payload);
            }
        };
    }

    private static double trial(int subscribers, Publish publish, Runnable data) throws InterruptedException {
        Trial trial = new Trial(++trials, subscribers);
        current = trial;
        byte[] marker = ByteBuffer.allocate(4).putInt(trial.id).array();
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        do {
            publish.send("w", marker);
            if (System.nanoTime() > giveUp) {
                throw new IllegalStateException("Subscribers did not all receive a warm-up message within 30 s ("
                        + trial.warmed.getCount() + " missing)");
            }
        } while (!trial.warmed.await(1, TimeUnit.MILLISECONDS));
        long start = System.nanoTime();
        data.run();
        giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        do {
            publish.send("e", marker);
            if (System.nanoTime() > giveUp) {
                throw new IllegalStateException("Subscribers did not all receive an end marker within 120 s");
            }
        } while (!trial.ended.await(1, TimeUnit.MILLISECONDS));
        return trial.rate(start);
    }

    private static int marker(byte[] payload) {
        return payload.length == 4 ? ByteBuffer.wrap(payload).getInt() : -1;
    }
}
