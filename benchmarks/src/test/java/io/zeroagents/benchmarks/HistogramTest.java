package io.zeroagents.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HistogramTest {
    @Test
    void of_samplesOnAndPastBounds_countEachInTheBucketItFits() {
        Histogram histogram = Histogram.of(new long[] {1_000, 8_000, 8_001, 64_000, 4_000_000, 70_000_000});

        long[] expected = new long[Histogram.UPPER_MICROS.length + 1];
        expected[0] = 2; // 1 µs and 8 µs: up to 8 µs, inclusive
        expected[1] = 1; // 8.001 µs
        expected[3] = 1; // 64 µs
        expected[9] = 1; // 4 ms: up to 4,096 µs
        expected[Histogram.UPPER_MICROS.length] = 1; // 70 ms: over the last bound
        assertArrayEquals(expected, histogram.counts());
    }

    @Test
    void addLatency_roundTrips_addsThreePercentilesAndAHistogramToTheFiles() {
        Report report = new Report(Config.parse("quick"));
        Samples framework = new Samples();
        Samples raw = new Samples();
        for (int i = 1; i <= 1000; i++) {
            framework.add(i * 1_000L);
            raw.add(i * 900L);
        }

        report.addLatency("REQ→REP tcp", "", framework, raw, Target.none());

        String markdown = report.markdown();
        assertTrue(markdown.contains("| REQ→REP tcp | p99.9 |"), markdown);
        assertTrue(markdown.contains("| REQ→REP tcp, round trips | ZeroAgents | 8 | 8 | 16 | 32 | 64 | 128 | 256 | 488 |"),
                markdown);
    }
}
