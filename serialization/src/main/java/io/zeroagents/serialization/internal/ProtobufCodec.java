package io.zeroagents.serialization.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.zeroagents.MessageDecodingException;
import io.zeroagents.serialization.PayloadCodec;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.jspecify.annotations.Nullable;

/**
 * The {@code protobuf} codec: Protocol Buffers messages in their binary form.
 *
 * <p>Encodes any {@link MessageLite} (full or lite generated messages). Decodes only into a concrete
 * generated message class chosen by the receiver, through that class's own parser, found once per
 * class; the sender's message type name is never consulted.
 */
public final class ProtobufCodec implements PayloadCodec {

    // ClassValue keeps parsers without pinning the classes of unloadable application class loaders.
    private static final ClassValue<Parser<?>> PARSERS = new ClassValue<>() {
        @Override
        protected Parser<?> computeValue(Class<?> type) {
            return findParser(type);
        }
    };

    /** Creates the codec. */
    public ProtobufCodec() {
    }

    @Override
    public String id() {
        return "protobuf";
    }

    @Override
    public boolean canEncode(Object value) {
        return value instanceof MessageLite;
    }

    @Override
    public byte[] encode(Object value) {
        return ((MessageLite) value).toByteArray();
    }

    @Override
    public <T> T decode(byte[] bytes, Class<T> type) {
        if (!MessageLite.class.isAssignableFrom(type)) {
            throw new MessageDecodingException("Codec 'protobuf' cannot decode into " + type.getName()
                    + ": it is not a protobuf message; ask for the generated message class the sender encodes");
        }
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            throw new MessageDecodingException("Codec 'protobuf' cannot decode into " + type.getName()
                    + ": it is not a concrete message class; ask for the generated message class the sender encodes");
        }
        Parser<?> parser = PARSERS.get(type);
        try {
            return type.cast(parser.parseFrom(bytes));
        } catch (InvalidProtocolBufferException e) {
            throw new MessageDecodingException("Codec 'protobuf' cannot decode " + bytes.length + " bytes into "
                    + type.getName() + ": " + e.getMessage(), e);
        }
    }

    private static Parser<?> findParser(Class<?> type) {
        try {
            Method parser = type.getMethod("parser");
            if (Modifier.isStatic(parser.getModifiers()) && Parser.class.isAssignableFrom(parser.getReturnType())) {
                return (Parser<?>) parser.invoke(null);
            }
        } catch (NoSuchMethodException e) {
            // Older generated code lacks parser(): fall back on the default instance.
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw cannotFindParser(type, e);
        }
        try {
            Method defaultInstance = type.getMethod("getDefaultInstance");
            if (Modifier.isStatic(defaultInstance.getModifiers())
                    && MessageLite.class.isAssignableFrom(defaultInstance.getReturnType())) {
                return ((MessageLite) defaultInstance.invoke(null)).getParserForType();
            }
        } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
            throw cannotFindParser(type, e);
        }
        throw cannotFindParser(type, null);
    }

    private static MessageDecodingException cannotFindParser(Class<?> type, @Nullable Throwable cause) {
        return new MessageDecodingException("Codec 'protobuf' cannot decode into " + type.getName()
                + ": it has no public static parser() or getDefaultInstance(), so it is not a generated message class",
                cause);
    }
}
