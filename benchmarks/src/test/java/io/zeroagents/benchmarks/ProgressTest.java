package io.zeroagents.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void trialEnded_atAnEvenPace_estimatesTheRestFromTheMeanTrial() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        long[] now = {0};
        Progress progress = new Progress(new PrintStream(printed, true, StandardCharsets.UTF_8), () -> now[0]);

        now[0] = 2_000_000_000L;
        progress.trialEnded(true, 4);
        now[0] = 4_000_000_000L;
        progress.trialEnded(false, 4);

        String[] lines = printed.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals("   trial 1/4 (warm-up), 2.0 s so far, about 6 s left", lines[0]);
        assertEquals("   trial 2/4, 4.0 s so far, about 4 s left", lines[1]);
    }

    @Test
    void plainTable_rows_areAlignedTextWithoutMarkdown() {
        Report report = new Report(Config.parse("quick"));
        report.add(Result.of("REQ→REP tcp", "p50", "µs", 52.3, 50.7, Target.ratioAtMost(1.2)));
        report.add(Result.of("name server", "registrations / s", "", 15_986, 17_166, Target.none()));

        String[] lines = report.plainTable().split("\n");

        assertTrue(lines[0].startsWith("scenario "), lines[0]);
        assertEquals(lines[0].indexOf("metric"), lines[1].indexOf("p50"), String.join("\n", lines));
        assertTrue(lines.length == 3 && !String.join("\n", lines).contains("|"), String.join("\n", lines));
    }
}
