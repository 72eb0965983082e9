package io.zeroagents.benchmarks.jmh;

import io.zeroagents.Codec;
import io.zeroagents.serialization.CodecRegistry;
import io.zeroagents.serialization.EncodedPayload;
import io.zeroagents.serialization.proto.Envelope;
import com.google.protobuf.ByteString;
import java.util.List;
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
 * Each built-in payload codec encoding and decoding a typical value of its kind through the
 * registry, as agents do: {@code raw} a byte array, {@code string} a string, {@code json} a small
 * record, {@code protobuf} a small message.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {
    /** A record such as users send as JSON. */
    public record Order(String id, int quantity, double price, List<String> tags) {
    }

    /** The codec measured. */
    @Param({"raw", "string", "json", "protobuf"})
    public String codec;

    private CodecRegistry registry;
    private Codec chosen;
    private Object value;
    private Class<?> type;
    private EncodedPayload encoded;

    /** Prepares the value of the codec's kind and its encoding. */
    @Setup
    public void setUp() {
        registry = CodecRegistry.standard();
        chosen = Codec.of(codec);
        switch (codec) {
            case "raw" -> {
                value = new byte[64];
                type = byte[].class;
            }
            case "string" -> {
                value = "Hello, Bob! The order 42 is on its way.";
                type = String.class;
            }
            case "json" -> {
                value = new Order("A-1042", 3, 19.99, List.of("express", "gift"));
                type = Order.class;
            }
            case "protobuf" -> {
                value = Envelope.newBuilder().setVersion(1).setCodec("string").setSender("Alice")
                        .setPayload(ByteString.copyFromUtf8("Hello, Bob!")).build();
                type = Envelope.class;
            }
            default -> throw new IllegalArgumentException(codec);
        }
        encoded = encode();
    }

    /** Value to bytes. */
    @Benchmark
    public EncodedPayload encode() {
        return registry.encode(value, chosen);
    }

    /** Bytes to value of the receiver's type. */
    @Benchmark
    public Object decode() {
        return registry.decode(encoded.codecId(), encoded.bytes(), type);
    }
}
