package io.zeroagents.serialization.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.PolymorphicTypeValidator;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.google.protobuf.MessageLiteOrBuilder;
import io.zeroagents.MessageDecodingException;
import io.zeroagents.MessageEncodingException;
import io.zeroagents.serialization.PayloadCodec;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * The {@code json} codec: records, POJOs, maps, lists, numbers, strings and booleans as UTF-8 JSON,
 * through one shared Jackson {@link ObjectMapper}.
 *
 * <p>The mapper is configured for messages between independently deployed agents: unknown
 * properties are ignored so senders can add fields, {@code java.time} values and {@code Optional}
 * are supported with dates as ISO-8601 strings, and trailing content after the value is refused.
 *
 * <p>The receiver's class alone decides what is built. Default typing is never enabled, and type
 * ids that name a class are refused even where a receiver's own class asks for them with
 * {@code @JsonTypeInfo(use = CLASS)}; a {@code "@class"} property in a payload is plain data, so
 * decoding into {@link Object} yields maps, lists, strings, numbers and booleans only.
 */
public final class JsonCodec implements PayloadCodec {

    /** Jackson's messages are bounded, but may quote payload text: a log line needs no more. */
    private static final int MAX_DETAIL_CHARS = 300;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    // Error messages must not copy payloads, which may hold private data, into logs.
                    .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                    .build())
            .addModule(new JavaTimeModule())
            .addModule(new Jdk8Module())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            // Field-less records are natural signals between agents ("Stop()"), sent as {}.
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .polymorphicTypeValidator(new NoClassNameTypeIds())
            .build();

    /** Creates the codec; every instance shares one mapper. */
    public JsonCodec() {
    }

    @Override
    public String id() {
        return "json";
    }

    @Override
    public boolean canEncode(Object value) {
        // Jackson would walk a protobuf message's getters into descriptors: never what anyone wants.
        return !(value instanceof MessageLiteOrBuilder);
    }

    @Override
    public byte[] encode(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new MessageEncodingException("Codec 'json' cannot encode a " + value.getClass().getName() + ": "
                    + describe(e), e);
        }
    }

    @Override
    public <T> @Nullable T decode(byte[] bytes, Class<T> type) {
        try {
            return MAPPER.readValue(bytes, type);
        } catch (JsonProcessingException e) {
            throw new MessageDecodingException("Codec 'json' cannot decode " + bytes.length + " bytes into "
                    + type.getName() + ": " + describe(e), e);
        } catch (IOException e) {
            throw new MessageDecodingException("Codec 'json' cannot decode " + bytes.length + " bytes into "
                    + type.getName() + ": " + e.getMessage(), e);
        }
    }

    private static String describe(JsonProcessingException e) {
        StringBuilder detail = new StringBuilder(String.valueOf(e.getOriginalMessage()));
        if (detail.length() > MAX_DETAIL_CHARS) {
            detail.setLength(MAX_DETAIL_CHARS);
            detail.append("...");
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            detail.append(" (at ").append(mapping.getPathReference()).append(')');
        }
        JsonLocation location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            detail.append(" (line ").append(location.getLineNr()).append(", column ").append(location.getColumnNr())
                    .append(')');
        }
        return detail.toString();
    }

    /** Refuses every type id that names a class, before the class is even loaded. */
    private static final class NoClassNameTypeIds extends PolymorphicTypeValidator.Base {
        private static final long serialVersionUID = 1L;

        @Override
        public Validity validateSubClassName(MapperConfig<?> config, JavaType baseType, String subClassName) {
            return Validity.DENIED;
        }

        @Override
        public Validity validateSubType(MapperConfig<?> config, JavaType baseType, JavaType subType) {
            return Validity.DENIED;
        }
    }
}
