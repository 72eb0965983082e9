package io.zeroagents.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.GeneratedMessage;
import com.google.protobuf.Message;
import io.zeroagents.Codec;
import io.zeroagents.MessageDecodingException;
import io.zeroagents.serialization.testproto.Line;
import io.zeroagents.serialization.testproto.Order;
import org.junit.jupiter.api.Test;

class ProtobufCodecTest {

    private static final Order ORDER = Order.newBuilder()
            .setId(42)
            .setCustomer("Ada")
            .addLines(Line.newBuilder().setSku("ABC-1").setQuantity(3))
            .addLines(Line.newBuilder().setSku("XYZ-9").setQuantity(1))
            .build();

    @Test
    void roundTrip_message_isEqual() {
        assertEquals(ORDER, Wire.roundTrip(ORDER, Codec.PROTOBUF, Order.class));
    }

    @Test
    void roundTrip_defaultMessage_isEqual() {
        assertEquals(Order.getDefaultInstance(),
                Wire.roundTrip(Order.getDefaultInstance(), Codec.PROTOBUF, Order.class));
    }

    @Test
    void encode_message_isItsBinaryForm() throws Exception {
        assertEquals(ORDER, Order.parseFrom(Wire.REGISTRY.encode(ORDER, Codec.PROTOBUF).bytes()));
    }

    @Test
    void decode_asObject_throwsAskingForTheMessageClass() {
        MessageDecodingException e = assertThrows(MessageDecodingException.class,
                () -> Wire.roundTrip(ORDER, Codec.PROTOBUF, Object.class));
        assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
        assertTrue(e.getMessage().contains("generated message class"), e.getMessage());
    }

    @Test
    void decode_asNonMessageType_throws() {
        MessageDecodingException e = assertThrows(MessageDecodingException.class,
                () -> Wire.roundTrip(ORDER, Codec.PROTOBUF, String.class));
        assertTrue(e.getMessage().contains("not a protobuf message"), e.getMessage());
    }

    @Test
    void decode_asMessageInterface_throws() {
        MessageDecodingException e = assertThrows(MessageDecodingException.class,
                () -> Wire.roundTrip(ORDER, Codec.PROTOBUF, Message.class));
        assertTrue(e.getMessage().contains("not a concrete message class"), e.getMessage());
    }

    @Test
    void decode_asAbstractGeneratedMessage_throws() {
        assertThrows(MessageDecodingException.class,
                () -> Wire.roundTrip(ORDER, Codec.PROTOBUF, GeneratedMessage.class));
    }

    @Test
    void decode_malformedBytes_throwsNamingTheType() {
        byte[] truncated = {0x12, 0x05, 'A'};
        MessageDecodingException e = assertThrows(MessageDecodingException.class,
                () -> Wire.decode("protobuf", truncated, Order.class));
        assertTrue(e.getMessage().contains(Order.class.getName()), e.getMessage());
    }
}
