package io.zeroagents.serialization;

import io.zeroagents.MessageDecodingException;
import io.zeroagents.MessageEncodingException;
import org.jspecify.annotations.Nullable;

/**
 * Turns message values into payload bytes and back; the service interface for custom codecs.
 *
 * <p>The built-in codecs are {@code raw}, {@code string}, {@code protobuf} and {@code json}. An
 * application adds its own by passing it to {@link CodecRegistry#of(PayloadCodec...)} or by
 * listing its class in {@code META-INF/services/io.zeroagents.serialization.PayloadCodec}, where
 * {@link CodecRegistry#standard()} finds it with {@link java.util.ServiceLoader}; such a provider
 * needs a public no-argument constructor. Sockets then select it with
 * {@code io.zeroagents.Codec.of(id)}.
 *
 * <p>Implementations must be thread-safe: one instance serves every agent of a JVM. Their
 * {@link #id() id} must be a valid {@link io.zeroagents.Codec} identifier (non-blank lower case)
 * and may not be a built-in one, {@code auto} or {@code null}.
 *
 * <p>Decoding must honour the receiver's choice of type: a codec never loads or instantiates a
 * class named inside the bytes it decodes.
 *
 * @since 0.1
 */
public interface PayloadCodec {

    /**
     * The identifier written into every envelope this codec encodes.
     *
     * @return the identifier, non-blank lower case, constant for the life of the codec
     */
    String id();

    /**
     * Tells whether this codec can encode the value; the registry refuses to send a value its
     * socket's codec cannot encode before calling {@link #encode(Object)}.
     *
     * @param value a non-null message value
     * @return {@code true} if {@link #encode(Object)} accepts the value's type
     */
    boolean canEncode(Object value);

    /**
     * Encodes a value.
     *
     * @param value a non-null value for which {@link #canEncode(Object)} returned {@code true}
     * @return the payload bytes, an array the caller may keep and the codec no longer touches
     * @throws MessageEncodingException naming this codec and the value's class when the value
     *                                  cannot be encoded
     */
    byte[] encode(Object value);

    /**
     * Decodes payload bytes into the type the receiver asked for.
     *
     * <p>Through {@link CodecRegistry} the type is never primitive: {@code int.class} arrives as
     * {@code Integer.class}.
     *
     * @param bytes the payload bytes, owned by the codec from now on
     * @param type  the type the receiver asked for
     * @param <T>   the type the receiver asked for
     * @return the decoded value, an instance of {@code type}; {@code null} only when the payload
     *         itself means no value, such as JSON {@code null}
     * @throws MessageDecodingException naming this codec and {@code type} when the bytes are not a
     *                                  valid payload or cannot become a {@code type}
     */
    <T> @Nullable T decode(byte[] bytes, Class<T> type);
}
