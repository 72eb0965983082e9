package io.zeroagents.serialization;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The envelope's protobuf wire format written and read by hand for the shape every agent message
 * has (version, codec, payload type, payload, sender, topic, correlation id, error flag), and the
 * flag of an envelope whose payload follows in a frame of its own. The generated code's builder,
 * map field and unknown-field handling cost more than the rest of a message's trip through a local
 * socket (measured with the benchmarks harness and JFR); anything else (headers, reply-to, fields
 * of newer senders, non-ASCII text, malformed bytes) is left to the generated parser.
 *
 * <p>Frames are written {@link Head head} first: the fields a stream of messages repeats, then the
 * ones that vary, then the payload. Protobuf readers take fields in any order, so the generated
 * parser reads these frames as it reads its own, and a receiver that finds one of the last heads
 * it read at the start of a frame takes its fields without reading them again.
 */
final class EnvelopeWire {
    /** Reads eight bytes of an array as one long, for {@link #same}. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.nativeOrder());
    static final int VERSION_TAG = 1 << 3;
    static final int CODEC_TAG = 2 << 3 | 2;
    static final int TYPE_TAG = 3 << 3 | 2;
    static final int PAYLOAD_TAG = 4 << 3 | 2;
    static final int SENDER_TAG = 5 << 3 | 2;
    static final int TOPIC_TAG = 6 << 3 | 2;
    static final int CORRELATION_TAG = 7 << 3;
    static final int ERROR_TAG = 10 << 3;
    static final int PAYLOAD_FOLLOWS_TAG = 11 << 3;

    static final byte[] NO_BYTES = new byte[0];

    private EnvelopeWire() {
    }

    /**
     * The fields a stream of messages repeats (version, codec, payload type, sender and topic),
     * encoded once. A sender finds its head by the texts it was made from, compared by identity (a
     * sender passes the same strings again); a receiver by its bytes at the start of a frame.
     */
    record Head(String codec, String type, String sender, String topic, byte[] bytes) {
    }

    /**
     * The largest head kept for the next frame, written or read: real heads are a few dozen bytes,
     * and a hostile sender's huge sender or topic field must not be copied again for every frame
     * or held by a socket's reader.
     */
    static final int MAX_KEPT_HEAD_BYTES = 256;

    static final Head NO_HEAD = new Head("", "", "", "", NO_BYTES);

    /** The head of frames with these fields, made anew; a writer keeps the last one it made. */
    static Head head(String codec, String type, String sender, String topic) {
        byte[] codecBytes = utf8(codec);
        byte[] typeBytes = utf8(type);
        byte[] senderBytes = utf8(sender);
        byte[] topicBytes = utf8(topic);
        byte[] out = new byte[1 + varintSize(EnvelopeCodec.VERSION) + field(codecBytes.length) + field(typeBytes.length)
                + field(senderBytes.length) + field(topicBytes.length)];
        int pos = 0;
        out[pos++] = VERSION_TAG;
        pos = varint(out, pos, EnvelopeCodec.VERSION);
        pos = bytes(out, pos, CODEC_TAG, codecBytes);
        pos = bytes(out, pos, TYPE_TAG, typeBytes);
        pos = bytes(out, pos, SENDER_TAG, senderBytes);
        bytes(out, pos, TOPIC_TAG, topicBytes);
        return new Head(codec, type, sender, topic, out);
    }

    /** Whether {@code head} was made from these texts, compared by identity (a sender passes the same strings again). */
    static boolean madeFrom(Head head, String codec, String type, String sender, String topic) {
        return head.codec == codec && head.type == type && head.sender == sender && head.topic == topic;
    }

    /** The size of the frame {@link #write} makes. */
    static int size(Head head, byte[] payload, long correlationId, boolean error, boolean payloadFollows) {
        return head.bytes.length + (correlationId == 0 ? 0 : 1 + varintSize(correlationId)) + (error ? 2 : 0)
                + (payloadFollows ? 2 : 0) + field(payload.length);
    }

    /**
     * Writes a frame of exactly {@code size} bytes: the head, the fields that vary, the payload; empty
     * and zero fields are left out, as proto3 does.
     */
    static byte[] write(int size, Head head, byte[] payload, long correlationId, boolean error,
                        boolean payloadFollows) {
        byte[] out = new byte[size];
        System.arraycopy(head.bytes, 0, out, 0, head.bytes.length);
        int pos = head.bytes.length;
        if (correlationId != 0) {
            out[pos++] = CORRELATION_TAG;
            pos = varint(out, pos, correlationId);
        }
        if (error) {
            out[pos++] = ERROR_TAG;
            out[pos++] = 1;
        }
        if (payloadFollows) {
            out[pos++] = PAYLOAD_FOLLOWS_TAG;
            out[pos++] = 1;
        }
        pos = bytes(out, pos, PAYLOAD_TAG, payload);
        assert pos == size;
        return out;
    }

    /** The payload of a batch: each envelope frame after its length as a varint, as protobuf's repeated bytes. */
    static byte[] batchPayload(List<byte[]> frames) {
        int size = 0;
        for (byte[] frame : frames) {
            size += varintSize(frame.length) + frame.length;
        }
        byte[] out = new byte[size];
        int pos = 0;
        for (byte[] frame : frames) {
            pos = varint(out, pos, frame.length);
            System.arraycopy(frame, 0, out, pos, frame.length);
            pos += frame.length;
        }
        return out;
    }

    /**
     * The ranges {@code [from, to)} of the envelopes in a batch's payload, two ints each; {@code null}
     * when a length runs past the payload.
     */
    static int @Nullable [] batchRanges(byte[] frame, int from, int length) {
        int pos = from;
        int end = from + length;
        int[] ranges = new int[16];
        int count = 0;
        while (pos < end) {
            long field = lengthAt(frame, pos, end);
            int size = (int) field;
            if (field < 0 || size == 0) {
                return null;
            }
            pos = (int) (field >>> 32);
            if (count == ranges.length) {
                ranges = Arrays.copyOf(ranges, count * 2);
            }
            ranges[count++] = pos;
            ranges[count++] = pos + size;
            pos += size;
        }
        return Arrays.copyOf(ranges, count);
    }

    /**
     * The length (a varint) at {@code pos} of a field that must end by {@code end}: the position after
     * the varint in the high 32 bits and the length in the low ones, or -1 when the varint is
     * truncated, too long, or the length negative or past {@code end}.
     */
    static long lengthAt(byte[] frame, int pos, int end) {
        int length = 0;
        int shift = 0;
        while (true) {
            if (pos >= end || shift > 28) {
                return -1;
            }
            byte b = frame[pos++];
            length |= (b & 0x7F) << shift;
            if (b >= 0) {
                break;
            }
            shift += 7;
        }
        return length < 0 || length > end - pos ? -1 : (long) pos << 32 | length;
    }

    static byte[] utf8(String text) {
        return text.isEmpty() ? NO_BYTES : text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Whether {@code length} bytes of {@code frame} from {@code from} are {@code bytes}, compared
     * eight at a time. These fields are mostly a few dozen bytes long: {@code Arrays.equals} over
     * ranges costs more in its set-up than such a comparison, and a byte loop takes a step per byte.
     */
    static boolean same(byte[] frame, int from, int length, byte[] bytes) {
        if (length != bytes.length) {
            return false;
        }
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            if ((long) LONGS.get(frame, from + i) != (long) LONGS.get(bytes, i)) {
                return false;
            }
        }
        for (; i < length; i++) {
            if (frame[from + i] != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    /** The text of an ASCII field, or {@code null} when it has other bytes (left to the strict UTF-8 check). */
    static @Nullable String ascii(byte[] frame, int from, int length) {
        for (int i = from; i < from + length; i++) {
            if (frame[i] < 0) {
                return null;
            }
        }
        return length == 0 ? "" : new String(frame, from, length, StandardCharsets.ISO_8859_1);
    }

    private static int field(int length) {
        return length == 0 ? 0 : 1 + varintSize(length) + length;
    }

    private static int bytes(byte[] out, int pos, int tag, byte[] value) {
        if (value.length == 0) {
            return pos;
        }
        out[pos++] = (byte) tag;
        pos = varint(out, pos, value.length);
        System.arraycopy(value, 0, out, pos, value.length);
        return pos + value.length;
    }

    private static int varintSize(long value) {
        int size = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            size++;
        }
        return size;
    }

    private static int varint(byte[] out, int pos, long value) {
        while ((value & ~0x7FL) != 0) {
            out[pos++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out[pos++] = (byte) value;
        return pos;
    }
}
