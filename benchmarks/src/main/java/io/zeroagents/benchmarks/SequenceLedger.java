package io.zeroagents.benchmarks;

import java.util.BitSet;

/**
 * The soak test's receiving side of one sender's numbered messages: which sequence numbers arrived,
 * so that delivered messages are counted exactly, per phase, whatever their order, and a message
 * that came twice counts once (and as a duplicate).
 *
 * <p>The sender numbers its messages 0, 1, 2, … and moves to the next number only when
 * {@code send} returned normally: the messages it <em>accepted</em> in a phase are the numbers from
 * its count at the phase's start to its count at the phase's end, and those not delivered after the
 * drain are lost. Thread-safe: the receiving agent records, the host's command thread reads.
 */
final class SequenceLedger {
    private final BitSet received = new BitSet();
    private long duplicates;
    private long foreign;

    /** Records message {@code sequence}; a negative number is counted as foreign (not the sender's). */
    synchronized void record(long sequence) {
        if (sequence < 0 || sequence > Integer.MAX_VALUE) {
            foreign++;
            return;
        }
        int index = (int) sequence;
        if (received.get(index)) {
            duplicates++;
        } else {
            received.set(index);
        }
    }

    /** How many distinct messages numbered from {@code from} (inclusive) to {@code to} (exclusive) arrived. */
    synchronized long delivered(long from, long to) {
        if (to <= from) {
            return 0;
        }
        return received.get((int) from, (int) Math.min(to, Integer.MAX_VALUE)).cardinality();
    }

    /** How many distinct messages arrived in all. */
    synchronized long delivered() {
        return received.cardinality();
    }

    /** Messages that arrived a second time or more. */
    synchronized long duplicates() {
        return duplicates;
    }

    /** Messages that carried no sequence number of this sender. */
    synchronized long foreign() {
        return foreign;
    }

    /**
     * The messages lost of those accepted in {@code [from, to)}: accepted minus delivered.
     *
     * @param from the sender's count when the phase began
     * @param to   the sender's count when it ended
     */
    synchronized long lost(long from, long to) {
        return Math.max(0, to - from) - delivered(from, to);
    }

    /** Encodes a sequence number as the first eight bytes of a payload of {@code size} bytes (at least 8). */
    static byte[] payload(long sequence, int size) {
        byte[] bytes = new byte[Math.max(8, size)];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (sequence >>> (56 - 8 * i));
        }
        return bytes;
    }

    /** The sequence number a payload carries, or -1 when it is too short to carry one. */
    static long sequenceOf(byte[] payload) {
        if (payload.length < 8) {
            return -1;
        }
        long sequence = 0;
        for (int i = 0; i < 8; i++) {
            sequence = sequence << 8 | (payload[i] & 0xff);
        }
        return sequence;
    }
}
