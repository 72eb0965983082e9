package io.zeroagents.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
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

        Bench.Both<long[]> both = Bench.inTurns(config, side('r', turns), side('f', turns), 7, () -> 0L);

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

        Bench.Both<long[]> both = Bench.inTurns(config, side('r', turns), side('f', turns), 5, () -> 0L);

        assertEquals(List.of("r6", "f6", "f6", "r6"), turns);
        assertArrayEquals(new long[] {'f' * 100L + 2, 'f' * 100L + 2, 'f' * 100L + 2, 'f' * 100L + 2,
                'f' * 100L + 2}, both.framework().get(0));
    }

    @Test
    void inTurns_turnLongerThanTheTrial_eachSideTakesTheWholeTrialAtOnce() {
        List<String> turns = new ArrayList<>();
        Config config = Config.parse("trials=1 warmups=0 turn=500");

        Bench.Both<long[]> both = Bench.inTurns(config, side('r', turns), side('f', turns), 5, () -> 0L);

        assertEquals(List.of("r6", "f6"), turns);
        assertEquals(5, both.raw().get(0).length);
    }

    /**
     * Compile-time readings, taken before and after each warm-up trial, that grow by 50 ms in each
     * of the first {@code busy} trials and stay put after.
     */
    private static LongSupplier compilerBusyFor(int busy) {
        int[] reads = {0};
        return () -> {
            int read = reads[0]++;
            int trialsEnded = read / 2 + read % 2;
            return 50L * Math.min(busy, trialsEnded);
        };
    }

    @Test
    void inTurns_compilersBusy_warmsUpUntilATrialPassesWithoutCompiling() {
        List<String> turns = new ArrayList<>();
        Config config = Config.parse("trials=1 warmups=1 warmups-max=10 turn=0");

        Bench.inTurns(config, side('r', turns), side('f', turns), 5, compilerBusyFor(2));

        // Two busy warm-ups, a quiet one, then the measured trial: two turns each.
        assertEquals(8, turns.size());
    }

    @Test
    void inTurns_compilersNeverSettle_stopsWarmingUpAtWarmupsMax() {
        List<String> turns = new ArrayList<>();
        Config config = Config.parse("trials=1 warmups=1 warmups-max=3 turn=0");

        Bench.inTurns(config, side('r', turns), side('f', turns), 5, compilerBusyFor(Integer.MAX_VALUE));

        assertEquals(8, turns.size());
    }

    @Test
    void inTurns_noWarmupsAsked_runsNoneEvenWhileCompiling() {
        List<String> turns = new ArrayList<>();
        Config config = Config.parse("trials=1 warmups=0 warmups-max=5 turn=0");

        Bench.inTurns(config, side('r', turns), side('f', turns), 5, compilerBusyFor(Integer.MAX_VALUE));

        assertEquals(List.of("r6", "f6"), turns);
    }

    /** A throughput side that records its name each time it runs and returns it. */
    private static java.util.concurrent.Callable<String> trial(String name, List<String> calls) {
        return () -> {
            calls.add(name);
            return name;
        };
    }

    @Test
    void rotate_measuredTrials_eachStartsWithTheNextSide() throws Exception {
        List<String> calls = new ArrayList<>();
        Config config = Config.parse("trials=3 warmups=1 warmups-max=1");

        List<List<String>> figures = Bench.rotate(config,
                List.of(trial("a", calls), trial("b", calls), trial("c", calls)), () -> 0L);

        // One warm-up round, then trials starting with a, b and c in turn.
        assertEquals(List.of("c", "a", "b", "a", "b", "c", "b", "c", "a", "c", "a", "b"), calls);
        assertEquals(List.of(List.of("a", "a", "a"), List.of("b", "b", "b"), List.of("c", "c", "c")), figures);
    }

    @Test
    void rotate_compilersBusy_warmsUpUntilARoundPassesWithoutCompiling() throws Exception {
        List<String> calls = new ArrayList<>();
        Config config = Config.parse("trials=1 warmups=1 warmups-max=10");

        Bench.rotate(config, List.of(trial("r", calls), trial("f", calls)), compilerBusyFor(2));

        // Two busy warm-up rounds, a quiet one, then the measured round: two trials each.
        assertEquals(8, calls.size());
    }

    @Test
    void rotate_compilersNeverSettle_stopsWarmingUpAtWarmupsMax() throws Exception {
        List<String> calls = new ArrayList<>();
        Config config = Config.parse("trials=1 warmups=1 warmups-max=3");

        Bench.rotate(config, List.of(trial("r", calls), trial("f", calls)), compilerBusyFor(Integer.MAX_VALUE));

        assertEquals(8, calls.size());
    }

    @Test
    void rotate_noWarmupsAsked_runsNoneEvenWhileCompiling() throws Exception {
        List<String> calls = new ArrayList<>();
        Config config = Config.parse("trials=1 warmups=0 warmups-max=5");

        List<List<String>> figures = Bench.rotate(config, List.of(trial("r", calls), trial("f", calls)),
                compilerBusyFor(Integer.MAX_VALUE));

        assertEquals(List.of("r", "f"), calls);
        assertEquals(List.of(List.of("r"), List.of("f")), figures);
    }
}
