package io.zeroagents;

import java.util.Objects;

/**
 * Names the payload codec a socket uses to turn messages into bytes.
 *
 * <p>The sender's codec is written into every message; the receiver decodes into the Java type
 * it asked for, so no class named by a sender is ever instantiated. {@link #AUTO} picks the
 * natural codec of each message: {@link #STRING} for strings, {@link #RAW} for byte arrays,
 * {@link #PROTOBUF} for protobuf messages and {@link #JSON} for everything else.
 *
 * @param id the codec's identifier on the wire, lower case
 * @since 0.1
 */
public record Codec(String id) {
    /** Chooses per message: strings, bytes, protobuf messages, else JSON. The default. */
    public static final Codec AUTO = new Codec("auto");
    /** Bytes as they are ({@code byte[]}). */
    public static final Codec RAW = new Codec("raw");
    /** UTF-8 text ({@code String}). */
    public static final Codec STRING = new Codec("string");
    /** Protocol Buffers messages ({@code com.google.protobuf.Message}). */
    public static final Codec PROTOBUF = new Codec("protobuf");
    /** JSON through Jackson: records, POJOs, maps, lists, numbers, strings. */
    public static final Codec JSON = new Codec("json");
    /**
     * Java serialization: off unless {@code zeroagents.serialization.java.allow} lists the classes
     * that may be read; every other class is refused before it is instantiated. Never chosen by
     * {@link #AUTO}.
     */
    public static final Codec JAVA = new Codec("java");

    /**
     * Validates the identifier.
     *
     * @param id the codec's identifier
     */
    public Codec {
        Objects.requireNonNull(id, "id");
        if (id.isBlank() || !id.equals(id.toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("Codec id must be non-blank lower case, got '" + id + "'");
        }
    }

    /**
     * The codec with this identifier, built-in or registered by a codec provider.
     *
     * @param id the identifier, e.g. {@code json}
     * @return the codec
     */
    public static Codec of(String id) {
        return new Codec(id.trim().toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public String toString() {
        return id;
    }
}
