package io.zeroagents.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Latency samples counted in buckets whose bounds double, from 8 µs to 65,536 µs, and one for
 * anything slower: the shape of a tail that percentiles alone hide (a few slow calls, or a second
 * mode at a scheduler tick).
 *
 * @param counts one count per bucket of {@link #UPPER_MICROS}, then the count over the last bound
 */
record Histogram(long[] counts) {
    /** The buckets' upper bounds, inclusive, in microseconds. */
    static final long[] UPPER_MICROS = {8, 16, 32, 64, 128, 256, 512, 1_024, 2_048, 4_096, 8_192, 16_384, 32_768,
        65_536};

    /** The histogram of samples in nanoseconds. */
    static Histogram of(long[] nanos) {
        long[] counts = new long[UPPER_MICROS.length + 1];
        for (long sample : nanos) {
            double micros = sample / 1_000.0;
            int bucket = 0;
            while (bucket < UPPER_MICROS.length && micros > UPPER_MICROS[bucket]) {
                bucket++;
            }
            counts[bucket]++;
        }
        return new Histogram(counts);
    }

    /** The buckets' headings, e.g. {@code ≤8 µs}, then {@code >65,536 µs}. */
    static List<String> headings() {
        List<String> headings = new java.util.ArrayList<>();
        for (long bound : UPPER_MICROS) {
            headings.add(String.format(Locale.ROOT, "≤%,d µs", bound));
        }
        headings.add(String.format(Locale.ROOT, ">%,d µs", UPPER_MICROS[UPPER_MICROS.length - 1]));
        return headings;
    }

    /** The counts as a JSON array. */
    String json() {
        return Arrays.toString(counts);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Histogram h && Arrays.equals(counts, h.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "Histogram" + Arrays.toString(counts);
    }
}
