package io.zeroagents.benchmarks;

import java.util.Arrays;
import java.util.List;

/** Latency samples in nanoseconds, pooled over trials, and their percentiles in microseconds. */
final class Samples {
    private long[] values = new long[1024];
    private int size;

    void add(long[] more) {
        ensure(size + more.length);
        System.arraycopy(more, 0, values, size, more.length);
        size += more.length;
    }

    void add(long value) {
        ensure(size + 1);
        values[size++] = value;
    }

    private void ensure(int capacity) {
        if (capacity > values.length) {
            values = Arrays.copyOf(values, Math.max(capacity, values.length * 2));
        }
    }

    int size() {
        return size;
    }

    /** The samples counted in doubling buckets. */
    Histogram histogram() {
        return Histogram.of(Arrays.copyOf(values, size));
    }

    /** The nearest-rank percentile, in microseconds. */
    double micros(double percentile) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percentile / 100.0 * size);
        return sorted[Math.clamp(rank - 1, 0, size - 1)] / 1_000.0;
    }

    /** The median of some figures (one per trial). */
    static double median(List<Double> figures) {
        if (figures.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = figures.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
