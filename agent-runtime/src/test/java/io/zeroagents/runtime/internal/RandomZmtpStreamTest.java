package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentAddress;
import io.zeroagents.Codec;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.nameserver.NameServerClient;
import io.zeroagents.testsupport.Await;
import io.zeroagents.testsupport.RawZmtpPeer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Below the protocol: random ZMTP frame streams, not whole well-formed frames, written over raw tcp
 * connections (after a real handshake) to a live agent's PULL socket and to the name server. The
 * streams mix data and command frames, the "more" flag set or not, short and long size fields
 * declaring anything from nothing to 2⁶³−1 bytes, bodies cut short, frame counts from one to
 * hundreds, PINGs too short for their TTL, and plain garbage. Seeded, so a failure repeats; a few
 * seconds. Afterwards both still serve.
 */
@Timeout(120)
class RandomZmtpStreamTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long SEED = 20_261_206L;
    private static final int STREAMS = 300;
    private static final int MORE = 0x01;
    private static final int LONG = 0x02;
    private static final int COMMAND = 0x04;

    private final TestRuntime runtime = new TestRuntime();

    @AfterEach
    void close() {
        runtime.close();
    }

    @Test
    void randomFrameStreams_toAnAgentAndTheNameServer_bothServeAfterwards() {
        List<String> inbox = new CopyOnWriteArrayList<>();
        AgentAddress in = runtime.agent("Target").bind(Pattern.PULL, "in", String.class, (agent, m) -> inbox.add(m));
        Proxy sender = runtime.agent("Sender");
        sender.connect(in, "out");
        Random random = new Random(SEED);
        NameServerClient client = new NameServerClient(runtime.nameServer.address(), WAIT, null, runtime.context);

        for (int i = 0; i < STREAMS; i++) {
            boolean agent = i % 2 == 0;
            try (RawZmtpPeer raw = RawZmtpPeer.connect(agent ? in.endpoint() : runtime.nameServer.address(),
                    agent ? "PUSH" : "DEALER")) {
                // The other side may close the connection midway, which ends the stream.
                raw.writeRaw(stream(random));
            }
            if (i % 50 == 49) {
                assertServing(sender, client, inbox, "after stream " + i);
            }
        }

        assertServing(sender, client, inbox, "at the end");
        client.close();
        assertTrue(runtime.core("Target").alive(), "the agent's loop died");
        try (RawZmtpPeer raw = RawZmtpPeer.connect(in.endpoint(), "PUSH")) {
            raw.sendMessage(runtime.envelopes.frame(runtime.envelopes.wrap("raw, at the end", Codec.AUTO)
                    .setSender("Fuzzer").build()));
            Await.until(WAIT, () -> inbox.contains("raw, at the end"), "a raw peer's valid message at the end");
        }
    }

    private void assertServing(Proxy sender, NameServerClient client, List<String> inbox, String when) {
        sender.send("out", when);
        Await.until(WAIT, () -> inbox.contains(when), () -> "the agent to receive a message " + when);
        assertEquals(runtime.nameServer.serverId(), client.ping(), "the name server to answer " + when);
    }

    /** One random stream: a few to a few hundred frames, some broken, maybe cut short at the end. */
    private static byte[] stream(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int frames = random.nextInt(10) == 0 ? 100 + random.nextInt(400) : 1 + random.nextInt(12);
        for (int f = 0; f < frames; f++) {
            switch (random.nextInt(12)) {
                case 0 -> garbage(random, out);
                case 1 -> out.writeBytes(new byte[] {COMMAND, 5, 4, 'P', 'I', 'N', 'G'});
                case 2 -> command(random, out);
                case 3 -> hugeDeclaration(random, out);
                case 4 -> truncated(random, out);
                default -> frame(random, out, random.nextInt(3) == 0 ? 0 : MORE, random.nextInt(3) == 0);
            }
        }
        if (random.nextBoolean()) {
            frame(random, out, 0, false);
        }
        return out.toByteArray();
    }

    private static void frame(Random random, ByteArrayOutputStream out, int flags, boolean longSize) {
        byte[] body = new byte[random.nextInt(4) == 0 ? random.nextInt(3_000) : random.nextInt(40)];
        random.nextBytes(body);
        header(out, flags, longSize || body.length > 255, body.length);
        out.writeBytes(body);
    }

    private static void command(Random random, ByteArrayOutputStream out) {
        String[] names = {"PING", "PONG", "READY", "ERROR", "SUBSCRIBE", "CANCEL", "X"};
        String name = names[random.nextInt(names.length)];
        byte[] rest = new byte[random.nextInt(24)];
        random.nextBytes(rest);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(name.length());
        body.writeBytes(name.getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(rest);
        header(out, COMMAND | (random.nextInt(4) == 0 ? MORE : 0), false, body.size());
        out.writeBytes(body.toByteArray());
    }

    private static void hugeDeclaration(Random random, ByteArrayOutputStream out) {
        long[] sizes = {256, 1L << 20, (1L << 20) + 1, Integer.MAX_VALUE, 1L << 40, Long.MAX_VALUE, -1L};
        header(out, random.nextInt(8) | LONG, true, sizes[random.nextInt(sizes.length)]);
        byte[] some = new byte[random.nextInt(16)];
        random.nextBytes(some);
        out.writeBytes(some);
    }

    private static void truncated(Random random, ByteArrayOutputStream out) {
        int declared = 1 + random.nextInt(200);
        header(out, random.nextBoolean() ? MORE : 0, false, declared);
        byte[] some = new byte[random.nextInt(declared)];
        random.nextBytes(some);
        out.writeBytes(some);
    }

    private static void garbage(Random random, ByteArrayOutputStream out) {
        byte[] bytes = new byte[1 + random.nextInt(64)];
        random.nextBytes(bytes);
        out.writeBytes(bytes);
    }

    private static void header(ByteArrayOutputStream out, int flags, boolean longSize, long size) {
        if (longSize) {
            out.write(flags | LONG);
            out.writeBytes(ByteBuffer.allocate(8).putLong(size).array());
        } else {
            out.write(flags & ~LONG);
            out.write((int) size);
        }
    }
}
