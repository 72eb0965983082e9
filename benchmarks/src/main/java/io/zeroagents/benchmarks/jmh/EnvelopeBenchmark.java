package io.zeroagents.benchmarks.jmh;

import io.zeroagents.Codec;
import io.zeroagents.serialization.CodecRegistry;
import io.zeroagents.serialization.EnvelopeCodec;
import io.zeroagents.serialization.EnvelopeReader;
import io.zeroagents.serialization.EnvelopeWriter;
import io.zeroagents.serialization.proto.Envelope;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The envelope's cost per message, as an agent pays it: wrapping a {@code byte[]} payload into a
 * frame ({@code AgentCore.encode}), and parsing a frame back into the receiver's {@code byte[]};
 * beside them, the same through protobuf's generated code.
 * {@code copy} is one array copy of the payload, the floor any framing pays.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EnvelopeBenchmark {
    /** Payload size in bytes. */
    @Param({"16", "1024"})
    public int size;

    private EnvelopeCodec envelopes;
    /** A socket's writer and reader, as an agent's socket keeps them. */
    private EnvelopeWriter writer;
    private EnvelopeReader reader;
    private byte[] payload;
    private byte[] frame;
    private byte[][] twoSendersFrames;
    private byte[][] threeSendersFrames;
    private int turn;

    /** Prepares a payload and its frame. */
    @Setup
    public void setUp() {
        envelopes = new EnvelopeCodec(CodecRegistry.standard());
        writer = envelopes.writer();
        reader = envelopes.reader();
        payload = new byte[size];
        Arrays.fill(payload, (byte) 'x');
        frame = encode();
        byte[] bobs = envelopes.encode(payload, Codec.AUTO, "Bob", "", 0, false);
        twoSendersFrames = new byte[][] {frame, bobs};
        threeSendersFrames = new byte[][] {frame, bobs, envelopes.encode(payload, Codec.AUTO, "Carol", "", 0, false)};
    }

    /** Payload to frame, with the fields an agent sets, as agents send. */
    @Benchmark
    public byte[] encode() {
        return writer.encode(payload, Codec.AUTO, "Alice", "", 0, false);
    }

    /** The same frame through the generated builder. */
    @Benchmark
    public byte[] encodeWithBuilder() {
        return envelopes.frame(envelopes.wrap(payload, Codec.AUTO).setSender("Alice").setTopic("")
                .setCorrelationId(0).setError(false).build());
    }

    /** Frame to payload through the generated parser only. */
    @Benchmark
    public byte[] decodeWithGeneratedParser() throws com.google.protobuf.InvalidProtocolBufferException {
        return Envelope.parseFrom(frame).getPayload().toByteArray();
    }

    /** Frame to payload as an agent's loop does it: read in place, check, decode as {@code byte[]}. */
    @Benchmark
    public byte[] decode() {
        return envelopes.payload(reader.read(frame), byte[].class);
    }

    /**
     * As {@link #decode}, with frames of two senders in turn, as a PULL socket fed by two agents may
     * read them: its reader keeps both heads (see {@code WireReader}).
     */
    @Benchmark
    public byte[] decodeTwoSendersInTurn() {
        return decodeInTurn(twoSendersFrames);
    }

    /** As {@link #decodeTwoSendersInTurn}, with three senders: more streams than heads kept. */
    @Benchmark
    public byte[] decodeThreeSendersInTurn() {
        return decodeInTurn(threeSendersFrames);
    }

    private byte[] decodeInTurn(byte[][] frames) {
        turn = (turn + 1) % frames.length;
        return envelopes.payload(reader.read(frames[turn]), byte[].class);
    }

    /** Frame to payload through {@code parse}, which builds the generated class, for comparison. */
    @Benchmark
    public byte[] decodeToGeneratedClass() {
        Envelope envelope = envelopes.parse(frame);
        return envelopes.payload(envelope, byte[].class);
    }

    /** One copy of the payload. */
    @Benchmark
    public byte[] copy() {
        return payload.clone();
    }
}
