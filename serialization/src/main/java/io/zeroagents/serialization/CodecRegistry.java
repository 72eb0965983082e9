package io.zeroagents.serialization;

import com.google.protobuf.MessageLite;
import io.zeroagents.Codec;
import io.zeroagents.MessageDecodingException;
import io.zeroagents.MessageEncodingException;
import io.zeroagents.serialization.internal.JavaSerializationCodec;
import io.zeroagents.serialization.internal.JsonCodec;
import io.zeroagents.serialization.internal.ProtobufCodec;
import io.zeroagents.serialization.internal.RawCodec;
import io.zeroagents.serialization.internal.StringCodec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The payload codecs a runtime knows, by id: the built-in {@code raw}, {@code string},
 * {@code protobuf} and {@code json}, plus custom {@link PayloadCodec}s.
 *
 * <p>{@link #encode(Object, Codec)} applies a socket's codec to a message value, resolving
 * {@link Codec#AUTO} per value; {@link #decode(String, byte[], Class)} turns received payload
 * bytes into the type the receiver asked for. A {@code null} value travels with the reserved codec
 * id {@value #NULL_CODEC_ID} and empty bytes, whatever the socket's codec, and decodes to
 * {@code null} as any type.
 *
 * <p>Registries are immutable and thread-safe.
 *
 * @since 0.1
 */
public final class CodecRegistry {

    /** The codec id on the wire of a {@code null} value; its payload is empty. */
    public static final String NULL_CODEC_ID = "null";

    private static final byte[] NO_BYTES = new byte[0];
    private static final EncodedPayload NULL_PAYLOAD = new EncodedPayload(NULL_CODEC_ID, "", NO_BYTES);
    private static final Set<String> BUILT_IN_IDS = Set.of(
            Codec.RAW.id(), Codec.STRING.id(), Codec.PROTOBUF.id(), Codec.JSON.id(), Codec.JAVA.id());
    private static final Set<String> RESERVED_IDS = Set.of(NULL_CODEC_ID, Codec.AUTO.id(), EnvelopeCodec.BATCH_CODEC);
    private static final Map<Class<?>, Class<?>> BOXES = Map.of(
            boolean.class, Boolean.class, byte.class, Byte.class, char.class, Character.class,
            short.class, Short.class, int.class, Integer.class, long.class, Long.class,
            float.class, Float.class, double.class, Double.class, void.class, Void.class);

    private static volatile @Nullable CodecRegistry standardRegistry;

    private final Map<String, PayloadCodec> codecs;
    private final Set<String> ids;
    private final PayloadCodec raw;
    private final PayloadCodec string;
    private final PayloadCodec protobuf;
    private final PayloadCodec json;

    private CodecRegistry(List<PayloadCodec> extra, String origin) {
        raw = new RawCodec();
        string = new StringCodec();
        protobuf = new ProtobufCodec();
        json = new JsonCodec();
        Map<String, PayloadCodec> byId = new HashMap<>();
        // Off unless an allow-list turns it on; never chosen by AUTO.
        PayloadCodec java = JavaSerializationCodec.fromEnvironment();
        for (PayloadCodec builtIn : List.of(raw, string, protobuf, json, java)) {
            byId.put(builtIn.id(), builtIn);
        }
        for (PayloadCodec codec : extra) {
            String id = checkedId(codec, origin);
            PayloadCodec previous = byId.putIfAbsent(id, codec);
            if (previous != null) {
                throw new IllegalArgumentException("Payload codec " + codec.getClass().getName() + " from " + origin
                        + " uses the id '" + id + "', already taken by " + previous.getClass().getName()
                        + "; give one of them another id");
            }
        }
        codecs = Map.copyOf(byId);
        ids = Collections.unmodifiableSortedSet(new TreeSet<>(byId.keySet()));
    }

    private static String checkedId(PayloadCodec codec, String origin) {
        String id = codec.id();
        try {
            new Codec(id);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Payload codec " + codec.getClass().getName() + " from " + origin
                    + " has the invalid id '" + id + "': ids are non-blank lower case", e);
        }
        if (BUILT_IN_IDS.contains(id)) {
            throw new IllegalArgumentException("Payload codec " + codec.getClass().getName() + " from " + origin
                    + " uses the id '" + id + "' of a built-in codec, which cannot be replaced; give it another id");
        }
        if (RESERVED_IDS.contains(id)) {
            throw new IllegalArgumentException("Payload codec " + codec.getClass().getName() + " from " + origin
                    + " uses the reserved id '" + id + "'; give it another id");
        }
        return id;
    }

    /**
     * The built-in codecs plus every {@link PayloadCodec} provider on the class path.
     *
     * <p>Providers are found once, with {@link ServiceLoader} and this library's class loader; later
     * calls return the same registry.
     *
     * @return the standard registry
     * @throws IllegalArgumentException when a provider uses a built-in, reserved, invalid or
     *                                  duplicate id
     * @throws java.util.ServiceConfigurationError when a listed provider cannot be instantiated
     */
    public static CodecRegistry standard() {
        CodecRegistry registry = standardRegistry;
        if (registry == null) {
            // A race only loads the providers twice; both results are equal and either may win.
            registry = loadedBy(PayloadCodec.class.getClassLoader());
            standardRegistry = registry;
        }
        return registry;
    }

    /** Visible for tests, which load providers through a class loader of their own. */
    static CodecRegistry loadedBy(@Nullable ClassLoader loader) {
        List<PayloadCodec> providers = new ArrayList<>();
        ServiceLoader.load(PayloadCodec.class, loader).forEach(providers::add);
        return new CodecRegistry(providers, "META-INF/services/" + PayloadCodec.class.getName());
    }

    /**
     * The built-in codecs plus the given ones; {@link ServiceLoader} providers are not included.
     *
     * @param extra custom codecs, each with its own id
     * @return a new registry
     * @throws IllegalArgumentException when a codec uses a built-in, reserved, invalid or duplicate
     *                                  id
     */
    public static CodecRegistry of(PayloadCodec... extra) {
        return new CodecRegistry(List.of(extra), "CodecRegistry.of");
    }

    /**
     * The codec registered under a codec's id.
     *
     * @param codec a concrete codec; {@link Codec#AUTO} is not one
     * @return the registered codec
     * @throws MessageDecodingException when no codec has this id, listing the known ids
     * @throws IllegalArgumentException when given {@link Codec#AUTO}
     */
    public PayloadCodec get(Codec codec) {
        if (codec.equals(Codec.AUTO)) {
            throw new IllegalArgumentException(
                    "Codec.AUTO picks a codec per value: use encode(value, Codec.AUTO) rather than get(Codec.AUTO)");
        }
        PayloadCodec found = codecs.get(codec.id());
        if (found == null) {
            throw new MessageDecodingException(unknown(codec.id()));
        }
        return found;
    }

    /**
     * The ids of the registered codecs, sorted; {@value #NULL_CODEC_ID} is not among them.
     *
     * @return an unmodifiable sorted set
     */
    public Set<String> ids() {
        return ids;
    }

    /**
     * Encodes a message value with a socket's codec.
     *
     * <p>{@code null} becomes codec {@value #NULL_CODEC_ID} with empty bytes whatever the codec.
     * {@link Codec#AUTO} picks {@code string} for strings, {@code raw} for byte arrays,
     * {@code protobuf} for protobuf messages and {@code json} for everything else.
     *
     * @param value the message value
     * @param codec the socket's codec
     * @return the codec id, the value's class name and the payload bytes
     * @throws MessageEncodingException when the codec is unknown, cannot encode values of this class,
     *                                  or fails; the message names the codec and the class
     */
    public EncodedPayload encode(@Nullable Object value, Codec codec) {
        if (value == null) {
            return NULL_PAYLOAD;
        }
        PayloadCodec chosen = codec.equals(Codec.AUTO) ? natural(value) : codecs.get(codec.id());
        String type = value.getClass().getName();
        if (chosen == null) {
            throw new MessageEncodingException("Cannot encode a " + type + ": " + unknown(codec.id()), null);
        }
        if (!chosen.canEncode(value)) {
            throw new MessageEncodingException("Codec '" + chosen.id() + "' cannot encode a " + type
                    + "; send it on a socket with Codec.AUTO or a codec that accepts it", null);
        }
        byte[] bytes;
        try {
            bytes = chosen.encode(value);
        } catch (MessageEncodingException e) {
            throw e;
        } catch (RuntimeException e) {
            // A custom codec's own failure must still reach the sender as the documented exception.
            throw new MessageEncodingException("Codec '" + chosen.id() + "' failed to encode a " + type + ": " + e, e);
        }
        return new EncodedPayload(chosen.id(), type, bytes);
    }

    private PayloadCodec natural(Object value) {
        if (value instanceof String) {
            return string;
        }
        if (value instanceof byte[]) {
            return raw;
        }
        if (value instanceof MessageLite) {
            return protobuf;
        }
        return json;
    }

    /**
     * Decodes payload bytes into the type the receiver asked for.
     *
     * @param codecId the codec id read from the envelope
     * @param bytes   the payload bytes, owned by the registry from now on
     * @param type    the type to decode into; a primitive class yields its boxed value
     * @param <T>     the type to decode into
     * @return the value, or {@code null} when the sender sent {@code null} (or a payload meaning
     *         no value, such as JSON {@code null})
     * @throws MessageDecodingException when the codec is unknown or the bytes cannot become a
     *                                  {@code type}; the message names the codec and the type
     */
    @SuppressWarnings("unchecked") // boxed is T itself, or T's wrapper class when T is primitive
    public <T> @Nullable T decode(String codecId, byte[] bytes, Class<T> type) {
        if (codecId.equals(NULL_CODEC_ID)) {
            return null;
        }
        PayloadCodec codec = lastDecoder(codecId);
        if (codec == null) {
            throw new MessageDecodingException(unknown(codecId));
        }
        Class<?> boxed = type.isPrimitive() ? BOXES.get(type) : type;
        @Nullable Object value;
        try {
            value = codec.decode(bytes, boxed);
        } catch (MessageDecodingException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MessageDecodingException(
                    "Codec '" + codecId + "' failed to decode a " + type.getName() + ": " + e, e);
        }
        if (value == null) {
            return null;
        }
        if (!boxed.isInstance(value)) {
            // Guards receivers against a custom codec that ignores the requested type.
            throw new MessageDecodingException("Codec '" + codecId + "' decoded a " + value.getClass().getName()
                    + " when asked for a " + type.getName());
        }
        return (T) value;
    }

    /**
     * The codec of an id, remembering the last one: a stream of messages repeats its codec id as
     * the same string instance (the envelope reader reuses it), so the map is seldom asked. Shared
     * by all threads; the pair is immutable, so a race only costs a lookup.
     */
    private @Nullable PayloadCodec lastDecoder(String codecId) {
        DecoderById seen = lastDecoder;
        if (seen.id() == codecId) {
            return seen.codec();
        }
        PayloadCodec codec = codecs.get(codecId);
        if (codec != null) {
            lastDecoder = new DecoderById(codecId, codec);
        }
        return codec;
    }

    private record DecoderById(String id, @Nullable PayloadCodec codec) {
    }

    private DecoderById lastDecoder = new DecoderById("", null);

    private String unknown(String id) {
        return "Unknown codec '" + id + "' (known: " + ids + ")";
    }

    @Override
    public String toString() {
        return "CodecRegistry" + ids;
    }
}
