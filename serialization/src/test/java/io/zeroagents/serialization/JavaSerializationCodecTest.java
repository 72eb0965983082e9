package io.zeroagents.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.Codec;
import io.zeroagents.MessageDecodingException;
import io.zeroagents.MessageEncodingException;
import io.zeroagents.serialization.internal.JavaSerializationCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JavaSerializationCodecTest {

    /** A value a system chooses to exchange. */
    record Order(String item, int quantity) implements Serializable {
    }

    /** A deserialization gadget: reading it runs code. */
    static final class Gadget implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        static volatile boolean ran;

        @Serial
        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            ran = true;
        }
    }

    private static byte[] serialized(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    @Test
    void decode_allowListedClass_roundTrips() {
        JavaSerializationCodec codec = new JavaSerializationCodec(Order.class.getName());
        assertTrue(codec.enabled());
        Order order = new Order("bolts", 12);
        assertEquals(order, codec.decode(codec.encode(order), Order.class));
    }

    @Test
    void decode_gadgetOutsideAllowList_isRefusedBeforeItRuns() throws IOException {
        JavaSerializationCodec codec = new JavaSerializationCodec(Order.class.getName());
        Gadget.ran = false;
        MessageDecodingException error = assertThrows(MessageDecodingException.class,
                () -> codec.decode(serialized(new Gadget()), Object.class));
        assertFalse(Gadget.ran, "the gadget's readObject never ran");
        assertTrue(error.getMessage().contains("allow-list"), error.getMessage());
    }

    @Test
    void decode_gadgetNestedInAllowedCollection_isRefused() throws IOException {
        JavaSerializationCodec codec = new JavaSerializationCodec("java.util.ArrayList;" + Order.class.getName());
        Gadget.ran = false;
        List<Object> smuggled = new ArrayList<>(List.of(new Order("x", 1), new Gadget()));
        assertThrows(MessageDecodingException.class, () -> codec.decode(serialized(smuggled), Object.class));
        assertFalse(Gadget.ran);
    }

    @Test
    void codec_withoutAllowList_refusesBothWays() throws IOException {
        JavaSerializationCodec off = new JavaSerializationCodec(null);
        assertFalse(off.enabled());
        assertFalse(off.canEncode(new Order("x", 1)));
        assertThrows(MessageEncodingException.class, () -> off.encode(new Order("x", 1)));
        Gadget.ran = false;
        assertThrows(MessageDecodingException.class, () -> off.decode(serialized(new Gadget()), Object.class));
        assertFalse(Gadget.ran);
    }

    @Test
    void standardRegistry_javaCodecIsOffByDefaultAndNeverChosenByAuto() {
        CodecRegistry registry = CodecRegistry.standard();
        assertTrue(registry.ids().contains("java"));
        assertEquals("json", registry.encode(new Order("x", 1), Codec.AUTO).codecId());
        assertThrows(MessageEncodingException.class, () -> registry.encode(new Order("x", 1), Codec.JAVA));
    }
}
