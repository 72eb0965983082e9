package io.zeroagents.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class BenchTest {
    /** Each turn records itself; its samples are its side's letter times 100 plus its place among all turns (from 1). */
    private static IntFunction<long[]> side(char letter, List<String> turns) {
        return k -> {
            turns.add(letter + "" + k);
            long[] samples = new long[k];
            java.util.Arrays.fill(samples, letter * 100L + turns.size());
            return samples;
        };
    }

    @Test
    void inTurns_shortTurns_sidesTakeTurnsWithinEachTrialAndAlternateWhoStarts() {
        List<String> turns = new ArrayList<>();
        Config config = Config.parse("trials=2 warmups=1 turn=3");

        Bench.Both<long[]> both = Bench.inTurns(config, side('r', turns), side('f', turns), 7);

        // Warm-up (framework first), measured trial 0 (raw first), measured trial 1 (framework first).
        assertEquals(List.of("f3", "r3", "f3", "r3", "f1", "r1",
                "r3", "f3", "r3", "f3", "r1", "f1",
                "f3", "r3", "f3", "r3", "f1", "r1"), turns);
        assertEquals(2, both.raw().size());
        assertArrayEquals(new long[] {'r' * 100L + 7, 'r' * 100L + 7, 'r' * 100L + 7, 'r' * 100L + 9,
                'r' * 100L + 9, 'r' * 100L + 9, 'r' * 100L + 11}, both.raw().get(0));
        assertArrayEquals(new long[] {'f' * 100L + 13, 'f' * 100L + 13, 'f' * 100L + 13, 'f' * 100L + 15,
                'f' * 100L + 15, 'f' * 100L + 15, 'f' * 100L + 17}, both.framework().get(1));
    }

    @Test
    void inTurns_turnZero_eachSideTakesTheWholeTrialAtOnce() {
        List<String> turns = new ArrayList<>();
        Config config = Config.parse("trials=2 warmups=0 turn=0");

        Bench.Both<long[]> both = Bench.inTurns(config, side('r', turns), side('f', turns), 5);

        assertEquals(List.of("r5", "f5", "f5", "r5"), turns);
        assertEquals(5, both.framework().get(0).length);
    }
}
