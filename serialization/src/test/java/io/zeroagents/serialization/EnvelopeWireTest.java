package io.zeroagents.serialization;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The byte comparison every received frame's head and repeated fields go through. */
class EnvelopeWireTest {

    /** {@code length} bytes counting up from {@code first}. */
    private static byte[] counting(int first, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (first + i);
        }
        return bytes;
    }

    @Test
    void same_equalRangesOfEveryLengthAtEveryOffset_true() {
        for (int length = 0; length <= 40; length++) {
            byte[] bytes = counting(7, length);
            for (int offset = 0; offset <= 9; offset++) {
                byte[] frame = new byte[offset + length + 3];
                System.arraycopy(bytes, 0, frame, offset, length);
                assertTrue(EnvelopeWire.same(frame, offset, length, bytes), "length " + length + " at " + offset);
            }
        }
    }

    @Test
    void same_oneByteDiffers_falseWhereverItIs() {
        for (int length = 1; length <= 40; length++) {
            byte[] bytes = counting(-20, length);
            for (int differing = 0; differing < length; differing++) {
                byte[] frame = new byte[length + 5];
                System.arraycopy(bytes, 0, frame, 5, length);
                frame[5 + differing] ^= (byte) 0x80;
                assertFalse(EnvelopeWire.same(frame, 5, length, bytes),
                        "length " + length + ", byte " + differing + " differs");
            }
        }
    }

    @Test
    void same_otherLength_false() {
        byte[] bytes = counting(1, 12);
        byte[] frame = Arrays.copyOf(bytes, 20);
        assertFalse(EnvelopeWire.same(frame, 0, 11, bytes));
        assertFalse(EnvelopeWire.same(frame, 0, 13, bytes));
    }
}
