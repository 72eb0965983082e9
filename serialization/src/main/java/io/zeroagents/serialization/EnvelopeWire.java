package io.zeroagents.serialization;

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
    private static final int VERSION_TAG = 1 << 3;
    private static final int CODEC_TAG = 2 << 3 | 2;
    private static final int TYPE_TAG = 3 << 3 | 2;
    private static final int PAYLOAD_TAG = 4 << 3 | 2;
    private static final int SENDER_TAG = 5 << 3 | 2;
    private static final int TOPIC_TAG = 6 << 3 | 2;
    private static final int CORRELATION_TAG = 7 << 3;
    private static final int ERROR_TAG = 10 << 3;
    private static final int PAYLOAD_FOLLOWS_TAG = 11 << 3;

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
     * or held by the JVM-wide caches.
     */
    static final int MAX_KEPT_HEAD_BYTES = 256;

    private static final Head NO_HEAD = new Head("", "", "", "", NO_BYTES);

    /**
     * Heads last made, one per slot picked by the sender's name, so the agents of one JVM seldom
     * evict each other's. Shared by all threads: a head's fields are final, so a thread sees a whole
     * head or an older one, and a race only costs encoding one again.
     */
    private static final Head[] WRITTEN = new Head[64];

    static {
        Arrays.fill(WRITTEN, NO_HEAD);
    }

    /** The head of frames with these fields; the one last made for this sender when the texts are the same. */
    static Head head(String codec, String type, String sender, String topic) {
        int slot = sender.hashCode() & (WRITTEN.length - 1);
        Head seen = WRITTEN[slot];
        if (seen.codec == codec && seen.type == type && seen.sender == sender && seen.topic == topic) {
            return seen;
        }
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
        Head made = new Head(codec, type, sender, topic, out);
        if (out.length <= MAX_KEPT_HEAD_BYTES) {
            WRITTEN[slot] = made;
        }
        return made;
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
    private static long lengthAt(byte[] frame, int pos, int end) {
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
     * Reads a frame of the common shape and this version, its payload aliasing {@code frame} (the
     * caller owns the array and never changes it); {@code null} when the frame has anything else,
     * for the generated parser to read or refuse.
     */
    static @Nullable EnvelopeView read(byte[] frame) {
        Announcement seen = lastAnnouncement;
        if (seen.frame == frame) {
            return seen.view();
        }
        return read(frame, 0, frame.length);
    }

    /**
     * The view of {@code frame} with its payload frame when {@code frame} is the last announcing
     * envelope read (validated then), else {@code null}.
     */
    static @Nullable EnvelopeView announced(byte[] frame, byte[] payloadFrame) {
        Announcement seen = lastAnnouncement;
        return seen.frame == frame ? new EnvelopeView(seen.codec, seen.type, seen.sender, seen.topic,
                seen.correlationId, seen.error, true, payloadFrame, 0, payloadFrame.length) : null;
    }

    /** Reads the envelope in {@code frame} from {@code from} to {@code to}, as {@link #read(byte[])}. */
    static @Nullable EnvelopeView read(byte[] frame, int from, int to) {
        int pos = from;
        int end = to;
        long version = 0;
        String codec = "";
        String type = "";
        String sender = "";
        String topic = "";
        int payloadAt = 0;
        int payloadLength = 0;
        long correlationId = 0;
        boolean error = false;
        boolean payloadFollows = false;
        Head seen = headOf(frame, from, to);
        // Whether every field so far is a head field, read from the frame's start.
        boolean inHead = true;
        if (seen != null) {
            pos += seen.bytes.length;
            version = EnvelopeCodec.VERSION;
            codec = seen.codec;
            type = seen.type;
            sender = seen.sender;
            topic = seen.topic;
            inHead = false;
        }
        while (pos < end) {
            int tag = frame[pos++];
            if (inHead && tag != VERSION_TAG && tag != CODEC_TAG && tag != TYPE_TAG && tag != SENDER_TAG
                    && tag != TOPIC_TAG) {
                inHead = false;
                remember(frame, from, pos - 1, version, codec, type, sender, topic);
            }
            if (tag == VERSION_TAG || tag == CORRELATION_TAG || tag == ERROR_TAG || tag == PAYLOAD_FOLLOWS_TAG) {
                long value = 0;
                int shift = 0;
                while (true) {
                    if (pos >= end || shift > 63) {
                        return null;
                    }
                    byte b = frame[pos++];
                    value |= (long) (b & 0x7F) << shift;
                    if (b >= 0) {
                        break;
                    }
                    shift += 7;
                }
                if (tag == VERSION_TAG) {
                    version = value;
                } else if (tag == CORRELATION_TAG) {
                    correlationId = value;
                } else if (tag == ERROR_TAG) {
                    error = value != 0;
                } else {
                    payloadFollows = value != 0;
                }
                continue;
            }
            if (tag != CODEC_TAG && tag != TYPE_TAG && tag != PAYLOAD_TAG && tag != SENDER_TAG && tag != TOPIC_TAG) {
                return null;
            }
            long field = lengthAt(frame, pos, end);
            if (field < 0) {
                return null;
            }
            int length = (int) field;
            pos = (int) (field >>> 32);
            if (tag == PAYLOAD_TAG) {
                payloadAt = pos;
                payloadLength = length;
            } else {
                String text = switch (tag) {
                    case CODEC_TAG -> LAST_CODEC.text(frame, pos, length);
                    case TYPE_TAG -> LAST_TYPE.text(frame, pos, length);
                    case SENDER_TAG -> LAST_SENDER.text(frame, pos, length);
                    default -> ascii(frame, pos, length);
                };
                if (text == null) {
                    return null;
                }
                switch (tag) {
                    case CODEC_TAG -> codec = text;
                    case TYPE_TAG -> type = text;
                    case SENDER_TAG -> sender = text;
                    default -> topic = text;
                }
            }
            pos += length;
        }
        if (version != EnvelopeCodec.VERSION || codec.isEmpty()) {
            return null;
        }
        if (payloadFollows && payloadLength == 0 && from == 0 && to == frame.length) {
            Announcement read = new Announcement(frame, codec, type, sender, topic, correlationId, error);
            lastAnnouncement = read;
            return read.view();
        }
        return new EnvelopeView(codec, type, sender, topic, correlationId, error, payloadFollows, frame, payloadAt,
                payloadLength);
    }

    /**
     * The last two heads read (see {@link Head}): the fields from a frame's start up to its first
     * field that is not a head field, when they hold this version and a codec and are at most
     * {@link #MAX_KEPT_HEAD_BYTES} long. Two, so that two streams in turn (a PULL socket fed by two
     * agents) both find theirs. For the whole JVM, as the sender is not known before the head is
     * read: agents that receive more streams at once take turns, and a frame whose head is neither
     * costs reading its fields. Shared by all threads; a race only costs reading a head again, as
     * heads are immutable. (A head per thread, in a {@code ThreadLocal}, made reading a 16-byte
     * message's frame slower in JMH: 44 ns against 30.)
     */
    private static Head lastRead = NO_HEAD;
    private static Head readBefore = NO_HEAD;
    /**
     * Frames in a row whose head was neither of the last two: with three streams or more in turn,
     * only one such head in {@value #KEEP_ONE_HEAD_IN} is kept, so that reading them does not also
     * copy each head (a hint, shared by all threads without synchronisation).
     */
    private static int missesInARow;
    private static final int KEEP_ONE_HEAD_IN = 8;

    /** The last or the one-before-last head read, when {@code frame} starts with it. */
    private static @Nullable Head headOf(byte[] frame, int from, int to) {
        Head last = lastRead;
        Head match = starts(frame, from, to, last) ? last : starts(frame, from, to, readBefore) ? readBefore : null;
        if (match != null && missesInARow != 0) {
            missesInARow = 0;
        }
        return match;
    }

    private static boolean starts(byte[] frame, int from, int to, Head head) {
        int length = head.bytes.length;
        return length > 0 && to - from >= length && same(frame, from, length, head.bytes);
    }

    private static void remember(byte[] frame, int from, int headEnd, long version, String codec, String type,
                                 String sender, String topic) {
        if (version == EnvelopeCodec.VERSION && !codec.isEmpty() && headEnd > from
                && headEnd - from <= MAX_KEPT_HEAD_BYTES && missesInARow++ % KEEP_ONE_HEAD_IN == 0) {
            readBefore = lastRead;
            lastRead = new Head(codec, type, sender, topic, Arrays.copyOfRange(frame, from, headEnd));
        }
    }

    /**
     * The last envelope frame read that announces a payload frame, by identity: an inproc sender
     * sends the same array again for a stream of messages ({@link EnvelopeCodec#encodeFrames}), and
     * frames are never changed once received, so it is not read again. Shared by all threads; the
     * fields are final.
     */
    private record Announcement(byte[] frame, String codec, String type, String sender, String topic,
                                long correlationId, boolean error) {
        EnvelopeView view() {
            return new EnvelopeView(codec, type, sender, topic, correlationId, error, true, frame, 0, 0);
        }
    }

    private static Announcement lastAnnouncement = new Announcement(new byte[0], "", "", "", "", 0, false);

    /**
     * The last text read for one field and its bytes: a stream of messages repeats its codec, payload
     * type and sender, so they are compared, not decoded again (the decoding was a third of a
     * receiving agent's time). Shared by all threads; a race only costs a decoding, as the pairs
     * are immutable.
     */
    private static final class LastText {
        private record Pair(byte[] bytes, String text) {
        }

        private Pair last = new Pair(NO_BYTES, "");

        @Nullable String text(byte[] frame, int from, int length) {
            Pair seen = last;
            if (same(frame, from, length, seen.bytes)) {
                return seen.text;
            }
            String text = ascii(frame, from, length);
            if (text != null) {
                last = new Pair(Arrays.copyOfRange(frame, from, from + length), text);
            }
            return text;
        }
    }

    /**
     * Whether {@code length} bytes of {@code frame} from {@code from} are {@code bytes}: a plain loop,
     * as these fields are a few bytes long and {@code Arrays.equals} over ranges cost a receiving
     * agent a quarter of its time on them (its vectorized compare has a set-up cost).
     */
    private static boolean same(byte[] frame, int from, int length, byte[] bytes) {
        if (length != bytes.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (frame[from + i] != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    private static final LastText LAST_CODEC = new LastText();
    private static final LastText LAST_TYPE = new LastText();
    private static final LastText LAST_SENDER = new LastText();

    /** The text of an ASCII field, or {@code null} when it has other bytes (left to the strict UTF-8 check). */
    private static @Nullable String ascii(byte[] frame, int from, int length) {
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
