package io.zeroagents.benchmarks;

import org.jspecify.annotations.Nullable;

/**
 * A target from the benchmark issue: a bound on the framework's figure, or on its ratio to raw
 * JeroMQ's. Reported, never asserted.
 */
record Target(Kind kind, double bound, String text) {
    enum Kind { NONE, RATIO_AT_LEAST, RATIO_AT_MOST, AT_LEAST, AT_MOST }

    static Target none() {
        return new Target(Kind.NONE, 0, "");
    }

    static Target ratioAtLeast(double bound) {
        return new Target(Kind.RATIO_AT_LEAST, bound, "≥ " + bound + "× raw");
    }

    static Target ratioAtMost(double bound) {
        return new Target(Kind.RATIO_AT_MOST, bound, "≤ " + bound + "× raw");
    }

    static Target atLeast(double bound, String text) {
        return new Target(Kind.AT_LEAST, bound, text);
    }

    static Target atMost(double bound, String text) {
        return new Target(Kind.AT_MOST, bound, text);
    }

    /** Whether the figures meet the target, or {@code null} when there is none to meet. */
    @Nullable Boolean met(double framework, double ratio) {
        return switch (kind) {
            case NONE -> null;
            case RATIO_AT_LEAST -> Double.isNaN(ratio) ? null : ratio >= bound;
            case RATIO_AT_MOST -> Double.isNaN(ratio) ? null : ratio <= bound;
            case AT_LEAST -> framework >= bound;
            case AT_MOST -> framework <= bound;
        };
    }
}
