package io.zeroagents.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class BenchTest {
    /**
     * Each turn records how many round trips it was asked for; its samples are its side's letter
     * times 100 plus its place among all turns (from 1), but for the first, the uncounted round trip
     * that begins every turn, which is -1.
     */
    private static IntFunction<long[]> side(char letter, List<String> turns) {
        return k -> {
            turns.add(letter + "" + k);
            long[] samples = new long[k];
            java.util.Arrays.fill(samples, letter * 100L + turns.size());
            samples[0] = -1;
            return samples;
        };
    }

    @Test
    void inTurns_shortTurns_sidesTakeTurnsWithinEachTrialAndAlternateWhoStarts() {
        List<String> turns = new ArrayList<>();
        Config config = Config.parse("trials=2 warmups=1 turn=3");

        Bench.Both<long[]> both = Bench.inTurns(config, side('r', turns), side('f', turns), 7);

        // Turns of 3, 3 and 1 counted round trips, each asked for with one more that is not counted.
        // Warm-up (framework first), measured trial 0 (raw first), measured trial 1 (framework first).
        assertEquals(List.of("f4", "r4", "f4", "r4", "f2", "r2",
                "r4", "f4", "r4", "f4", "r2", "f2",
                "f4", "r4", "f4", "r4", "f2", "r2"), turns);
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

        assertEquals(List.of("r6", "f6", "f6", "r6"), turns);
        assertArrayEquals(new long[] {'f' * 100L + 2, 'f' * 100L + 2, 'f' * 100L + 2, 'f' * 100L + 2,
                'f' * 100L + 2}, both.framework().get(0));
    }

    @Test
    void inTurns_turnLongerThanTheTrial_eachSideTakesTheWholeTrialAtOnce() {
        List<String> turns = new ArrayList<>();
        Config config = Config.parse("trials=1 warmups=0 turn=500");

        Bench.Both<long[]> both = Bench.inTurns(config, side('r', turns), side('f', turns), 5);

        assertEquals(List.of("r6", "f6"), turns);
        assertEquals(5, both.raw().get(0).length);
    }
}
