package io.zeroagents.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.Codec;
import io.zeroagents.MessageDecodingException;
import io.zeroagents.serialization.Messages.ClassTyped;
import io.zeroagents.serialization.Messages.Customer;
import io.zeroagents.serialization.Messages.Holder;
import io.zeroagents.serialization.Messages.Point;
import io.zeroagents.serialization.Messages.Reading;
import io.zeroagents.serialization.Messages.Route;
import io.zeroagents.serialization.Messages.Stop;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonCodecTest {

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String encodedText(Object value) {
        return new String(Wire.REGISTRY.encode(value, Codec.JSON).bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void roundTrip_record_isEqual() {
        assertEquals(new Point(3, -4), Wire.roundTrip(new Point(3, -4), Codec.JSON, Point.class));
    }

    @Test
    void roundTrip_nestedRecord_isEqual() {
        Route route = new Route("loop", new Point(0, 0), List.of(new Point(1, 2), new Point(3, 4)));
        assertEquals(route, Wire.roundTrip(route, Codec.JSON, Route.class));
    }

    @Test
    void roundTrip_pojo_isEqual() {
        Customer ada = new Customer("Ada", 36);
        assertEquals(ada, Wire.roundTrip(ada, Codec.JSON, Customer.class));
    }

    @Test
    void roundTrip_map_isEqual() {
        Map<String, Object> map = Map.of("name", "Ada", "age", 36, "tags", List.of("a", "b"));
        assertEquals(map, Wire.roundTrip(map, Codec.JSON, Map.class));
    }

    @Test
    void roundTrip_list_isEqual() {
        List<Object> list = List.of(1, "two", true, List.of(3));
        assertEquals(list, Wire.roundTrip(list, Codec.JSON, List.class));
    }

    @Test
    void roundTrip_instantAndDurationFields_areEqual() {
        Reading reading = new Reading("t1", Instant.parse("2024-05-01T10:15:30.123456789Z"), Optional.of("warm"),
                Duration.ofSeconds(90));
        assertEquals(reading, Wire.roundTrip(reading, Codec.JSON, Reading.class));
    }

    @Test
    void encode_instant_isIsoString() {
        Reading reading = new Reading("t1", Instant.parse("2024-05-01T10:15:30Z"), Optional.empty(), Duration.ZERO);
        String text = encodedText(reading);
        assertTrue(text.contains("\"2024-05-01T10:15:30Z\""), text);
        assertTrue(text.contains("\"PT0S\""), text);
    }

    @Test
    void roundTrip_emptyOptionalField_staysEmpty() {
        Reading reading = new Reading("t1", Instant.EPOCH, Optional.empty(), Duration.ZERO);
        assertEquals(Optional.empty(), Wire.roundTrip(reading, Codec.JSON, Reading.class).note());
    }

    @Test
    void roundTrip_primitiveInt_givesBoxedValue() {
        Integer value = Wire.roundTrip(42, Codec.JSON, int.class);
        assertEquals(42, value);
    }

    @Test
    void roundTrip_numbersAndBooleans_keepTheirTypes() {
        assertEquals(1234567890123L, Wire.roundTrip(1234567890123L, Codec.JSON, Long.class));
        assertEquals(2.5, Wire.roundTrip(2.5, Codec.JSON, double.class));
        assertEquals(true, Wire.roundTrip(true, Codec.JSON, boolean.class));
    }

    @Test
    void roundTrip_stringAsJson_isEqual() {
        assertEquals("quoted \"text\"", Wire.roundTrip("quoted \"text\"", Codec.JSON, String.class));
    }

    @Test
    void roundTrip_fieldlessRecord_isEqual() {
        assertEquals(new Stop(), Wire.roundTrip(new Stop(), Codec.JSON, Stop.class));
    }

    @Test
    void decode_asObject_givesNaturalJavaValues() {
        Object decoded = Wire.decode("json", json("{\"a\":1,\"b\":[true,\"x\"],\"c\":null}"), Object.class);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("a", 1);
        expected.put("b", List.of(true, "x"));
        expected.put("c", null);
        assertEquals(expected, decoded);
    }

    @Test
    void decode_unknownProperties_areIgnoredSoSendersCanAddFields() {
        assertEquals(new Point(1, 2), Wire.decode("json", json("{\"x\":1,\"y\":2,\"z\":3}"), Point.class));
    }

    @Test
    void decode_jsonNull_givesNull() {
        assertNull(Wire.decode("json", json("null"), Point.class));
    }

    @Test
    void decode_malformedJson_throwsNamingTheType() {
        MessageDecodingException e = assertThrows(MessageDecodingException.class,
                () -> Wire.decode("json", json("{\"x\":1,"), Point.class));
        assertTrue(e.getMessage().contains(Point.class.getName()), e.getMessage());
    }

    @Test
    void decode_trailingContent_throws() {
        assertThrows(MessageDecodingException.class, () -> Wire.decode("json", json("{\"x\":1} {}"), Point.class));
    }

    @Test
    void decode_wrongShape_throwsNamingTypeAndJacksonReason() {
        MessageDecodingException e = assertThrows(MessageDecodingException.class,
                () -> Wire.roundTrip(List.of(1, 2), Codec.JSON, Point.class));
        assertTrue(e.getMessage().contains("'json'"), e.getMessage());
        assertTrue(e.getMessage().contains(Point.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("Cannot deserialize"), e.getMessage());
    }

    @Test
    void decode_failure_doesNotCopyThePayloadIntoTheMessage() {
        String secret = "s3cr3t-" + "x".repeat(2000);
        MessageDecodingException e = assertThrows(MessageDecodingException.class,
                () -> Wire.decode("json", json("{\"password\":\"" + secret + "\", broken"), Point.class));
        assertFalse(e.getMessage().contains(secret), e.getMessage());
        assertTrue(e.getMessage().length() < 1000, e.getMessage());
    }

    @Test
    void decode_classPropertyAsObject_givesPlainMap() {
        Object decoded = Wire.decode("json", json("{\"@class\":\"java.lang.ProcessBuilder\",\"command\":[\"sh\"]}"),
                Object.class);
        Map<?, ?> map = assertInstanceOf(Map.class, decoded);
        assertEquals("java.lang.ProcessBuilder", map.get("@class"));
    }

    @Test
    void decode_classPropertyInObjectField_givesPlainMap() {
        Holder holder = Wire.decode("json",
                json("{\"value\":{\"@class\":\"java.lang.ProcessBuilder\",\"command\":[\"sh\"]}}"), Holder.class);
        assertInstanceOf(Map.class, holder.value());
    }

    @Test
    void decode_classNameTypeIdRequestedByReceiver_isRefused() {
        MessageDecodingException e = assertThrows(MessageDecodingException.class,
                () -> Wire.decode("json", json("{\"value\":{\"@class\":\"java.util.TreeMap\",\"a\":1}}"), ClassTyped.class));
        assertTrue(e.getMessage().contains(ClassTyped.class.getName()), e.getMessage());
    }

    @Test
    void decode_classNameTypeId_neverLoadsTheNamedClass() {
        byte[] payload = json("{\"value\":{\"@class\":\"io.zeroagents.serialization.Tripwire\"}}");
        assertThrows(MessageDecodingException.class, () -> Wire.decode("json", payload, ClassTyped.class));
        assertFalse(TripwireState.INITIALIZED.get(), "Tripwire was initialized");
        assertFalse(TripwireState.INSTANTIATED.get(), "Tripwire was instantiated");
    }
}
