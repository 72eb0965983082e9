package io.zeroagents.serialization.internal;

import io.zeroagents.MessageDecodingException;
import io.zeroagents.settings.ZeroAgentsSettings;
import io.zeroagents.MessageEncodingException;
import io.zeroagents.serialization.PayloadCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import org.jspecify.annotations.Nullable;

/**
 * The {@code java} codec: Java serialization, off unless an allow-list turns it on.
 *
 * <p>Java serialization instantiates the classes the bytes name, so on a network it runs code a
 * stranger chooses (deserialization gadgets). ZeroAgents never uses it by default: this codec
 * refuses to encode or decode until {@code zeroagents.serialization.java.allow} (or
 * {@code ZEROAGENTS_SERIALIZATION_JAVA_ALLOW}) lists the classes that may be read, in
 * {@link ObjectInputFilter} pattern syntax ({@code com.example.Order;com.example.model.**}). Then
 * every other class is rejected before it is instantiated, and depth, references and size are
 * bounded. A serializable lambda is read when {@code java.lang.invoke.SerializedLambda}, the class
 * that defines it and whatever it captures are allowed.
 */
public final class JavaSerializationCodec implements PayloadCodec {
    /** The system property that enables the codec and lists the allowed classes. */
    public static final String ALLOW_PROPERTY = ZeroAgentsSettings.SERIALIZATION_JAVA_ALLOW.property();
    private static final String LIMITS = "maxdepth=32;maxrefs=100000;maxarray=1000000;maxbytes=16777216";

    private final @Nullable String allowList;
    private final @Nullable ObjectInputFilter filter;

    /**
     * Creates the codec with an allow-list.
     *
     * @param allowList {@link ObjectInputFilter} patterns of the classes that may be read, or
     *                  {@code null}/blank to keep the codec off
     */
    public JavaSerializationCodec(@Nullable String allowList) {
        this.allowList = allowList == null || allowList.isBlank() ? null : allowList.trim();
        this.filter = this.allowList == null ? null
                : ObjectInputFilter.Config.createFilter(LIMITS + ";" + this.allowList + ";!*");
    }

    /**
     * The codec as the system property or environment variable configures it.
     *
     * @return the codec, off when neither is set
     */
    public static JavaSerializationCodec fromEnvironment() {
        return new JavaSerializationCodec(ZeroAgentsSettings.SERIALIZATION_JAVA_ALLOW.find().orElse(null));
    }

    @Override
    public String id() {
        return "java";
    }

    /**
     * Whether the codec is on.
     *
     * @return {@code true} when an allow-list was given
     */
    public boolean enabled() {
        return filter != null;
    }

    @Override
    public boolean canEncode(Object value) {
        return filter != null && value instanceof Serializable;
    }

    @Override
    public byte[] encode(Object value) {
        if (filter == null) {
            throw new MessageEncodingException("Codec 'java' is off: Java serialization runs code the bytes name, so it"
                    + " is used only when " + ALLOW_PROPERTY + " lists the classes peers may read", null);
        }
        if (!(value instanceof Serializable)) {
            throw new MessageEncodingException("Codec 'java' cannot encode a " + value.getClass().getName()
                    + ": it is not Serializable", null);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (IOException e) {
            throw new MessageEncodingException("Codec 'java' cannot encode a " + value.getClass().getName() + ": " + e, e);
        }
        return bytes.toByteArray();
    }

    private static ObjectInputFilter.FilterInfo as(ObjectInputFilter.FilterInfo info, Class<?> serialClass) {
        return new ObjectInputFilter.FilterInfo() {
            @Override
            public Class<?> serialClass() {
                return serialClass;
            }

            @Override
            public long arrayLength() {
                return info.arrayLength();
            }

            @Override
            public long depth() {
                return info.depth();
            }

            @Override
            public long references() {
                return info.references();
            }

            @Override
            public long streamBytes() {
                return info.streamBytes();
            }
        };
    }

    @Override
    public <T> @Nullable T decode(byte[] bytes, Class<T> type) {
        ObjectInputFilter active = filter;
        if (active == null) {
            throw new MessageDecodingException("Codec 'java' is off: a Java-serialized payload was refused unread ("
                    + ALLOW_PROPERTY + " is unset)");
        }
        String[] refused = new String[1];
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(info -> {
                ObjectInputFilter.Status status = active.checkInput(info);
                Class<?> serialClass = info.serialClass();
                if (status == ObjectInputFilter.Status.REJECTED && serialClass != null && serialClass.isHidden()
                        && serialClass.getName().contains("$$Lambda")) {
                    // A lambda's class is generated, nameless; it is as trusted as the class that defines it.
                    status = active.checkInput(as(info, serialClass.getNestHost()));
                }
                if (status == ObjectInputFilter.Status.REJECTED && info.serialClass() != null && refused[0] == null) {
                    refused[0] = info.serialClass().getName();
                }
                return status;
            });
            Object value = in.readObject();
            if (value != null && !type.isInstance(value)) {
                throw new MessageDecodingException("Codec 'java' read a " + value.getClass().getName() + ", not a "
                        + type.getName());
            }
            return type.cast(value);
        } catch (InvalidClassException e) {
            throw new MessageDecodingException("Codec 'java' refused " + (refused[0] == null ? "a class or a size"
                    : "class " + refused[0]) + " outside its allow-list (" + allowList + "): " + e.getMessage(), e);
        } catch (IOException | ClassNotFoundException e) {
            throw new MessageDecodingException("Codec 'java' cannot read the payload as " + type.getName() + ": " + e, e);
        }
    }
}
