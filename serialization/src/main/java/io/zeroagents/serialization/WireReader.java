package io.zeroagents.serialization;

import static io.zeroagents.serialization.EnvelopeWire.CODEC_TAG;
import static io.zeroagents.serialization.EnvelopeWire.CORRELATION_TAG;
import static io.zeroagents.serialization.EnvelopeWire.ERROR_TAG;
import static io.zeroagents.serialization.EnvelopeWire.MAX_KEPT_HEAD_BYTES;
import static io.zeroagents.serialization.EnvelopeWire.NO_BYTES;
import static io.zeroagents.serialization.EnvelopeWire.NO_HEAD;
import static io.zeroagents.serialization.EnvelopeWire.PAYLOAD_FOLLOWS_TAG;
import static io.zeroagents.serialization.EnvelopeWire.PAYLOAD_TAG;
import static io.zeroagents.serialization.EnvelopeWire.SENDER_TAG;
import static io.zeroagents.serialization.EnvelopeWire.TOPIC_TAG;
import static io.zeroagents.serialization.EnvelopeWire.TYPE_TAG;
import static io.zeroagents.serialization.EnvelopeWire.VERSION_TAG;
import static io.zeroagents.serialization.EnvelopeWire.ascii;
import static io.zeroagents.serialization.EnvelopeWire.lengthAt;
import static io.zeroagents.serialization.EnvelopeWire.same;

import io.zeroagents.serialization.EnvelopeWire.Head;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Reads frames of the common shape ({@link EnvelopeWire}) for one receiver, remembering what the
 * frames of a stream repeat: the last heads, the last announcing envelope, the last texts of the
 * codec, payload type and sender fields. What it remembers belongs to one receiving socket and
 * the thread that owns it; it is not thread-safe.
 */
final class WireReader {

    /**
     * Reads a frame of the common shape and this version, its payload aliasing {@code frame} (the
     * caller owns the array and never changes it); {@code null} when the frame has anything else,
     * for the generated parser to read or refuse.
     */
    @Nullable EnvelopeView read(byte[] frame) {
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
    @Nullable EnvelopeView announced(byte[] frame, byte[] payloadFrame) {
        Announcement seen = lastAnnouncement;
        return seen.frame == frame ? new EnvelopeView(seen.codec(), seen.type(), seen.sender(), seen.topic(),
                seen.correlationId, seen.error, true, payloadFrame, 0, payloadFrame.length) : null;
    }

    /** Reads the envelope in {@code frame} from {@code from} to {@code to}, as {@link #read(byte[])}. */
    @Nullable EnvelopeView read(byte[] frame, int from, int to) {
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
            pos += seen.bytes().length;
            version = EnvelopeCodec.VERSION;
            codec = seen.codec();
            type = seen.type();
            sender = seen.sender();
            topic = seen.topic();
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
                    case CODEC_TAG -> lastCodec.text(frame, pos, length);
                    case TYPE_TAG -> lastType.text(frame, pos, length);
                    case SENDER_TAG -> lastSender.text(frame, pos, length);
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
     * agents) both find theirs; a socket fed by more streams at once takes turns, and a frame whose
     * head is neither costs reading its fields.
     */
    private Head lastRead = NO_HEAD;
    private Head readBefore = NO_HEAD;
    /**
     * Frames in a row whose head was neither of the last two: with three streams or more in turn,
     * only one such head in {@value #KEEP_ONE_HEAD_IN} is kept, so that reading them does not also
     * copy each head.
     */
    private int missesInARow;
    private static final int KEEP_ONE_HEAD_IN = 8;

    /** The last or the one-before-last head read, when {@code frame} starts with it. */
    private @Nullable Head headOf(byte[] frame, int from, int to) {
        Head last = lastRead;
        Head match = starts(frame, from, to, last) ? last : starts(frame, from, to, readBefore) ? readBefore : null;
        if (match != null && missesInARow != 0) {
            missesInARow = 0;
        }
        return match;
    }

    private static boolean starts(byte[] frame, int from, int to, Head head) {
        int length = head.bytes().length;
        return length > 0 && to - from >= length && same(frame, from, length, head.bytes());
    }

    private void remember(byte[] frame, int from, int headEnd, long version, String codec, String type,
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
     * frames are never changed once received, so it is not read again.
     */
    private record Announcement(byte[] frame, String codec, String type, String sender, String topic,
                                long correlationId, boolean error) {
        EnvelopeView view() {
            return new EnvelopeView(codec, type, sender, topic, correlationId, error, true, frame, 0, 0);
        }
    }

    private Announcement lastAnnouncement = new Announcement(new byte[0], "", "", "", "", 0, false);

    /**
     * The last text read for one field and its bytes: a stream of messages repeats its codec, payload
     * type and sender, so they are compared, not decoded again (the decoding was a third of a
     * receiving agent's time).
     */
    private static final class LastText {
        private record Pair(byte[] bytes, String text) {
        }

        private Pair last = new Pair(NO_BYTES, "");

        @Nullable String text(byte[] frame, int from, int length) {
            Pair seen = last;
            if (same(frame, from, length, seen.bytes())) {
                return seen.text;
            }
            String text = ascii(frame, from, length);
            if (text != null) {
                last = new Pair(Arrays.copyOfRange(frame, from, from + length), text);
            }
            return text;
        }
    }

    private final LastText lastCodec = new LastText();
    private final LastText lastType = new LastText();
    private final LastText lastSender = new LastText();
}
