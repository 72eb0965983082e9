package io.zeroagents.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak test end to end in a few seconds, without floods: its JVMs start, the traffic flows
 * through the three phases, nothing accepted is lost, and the report is written.
 */
class SoakSmokeTest {
    @Test
    @Timeout(180)
    void run_shortPhasesWithoutAttack_passesAndWritesTheReport(@TempDir Path out) throws Exception {
        int exit = Soak.run("hosts=2", "agents=1", "baseline=2", "attack=2", "recovery=2", "attacks=none",
                "sample=1s", "drain=20s", "calls=10", "heap=128m", "out=" + out);

        String report = Files.readString(out.resolve("latest-soak.md"));
        assertEquals(0, exit, report);
        assertTrue(report.contains("**Passed**"), report);
        for (String phase : Soak.PHASES) {
            assertTrue(report.contains("| " + phase + " | 2 s | "), phase + " missing from " + report);
        }
        assertTrue(Files.readString(out.resolve("latest-soak.csv")).contains("host2"));
        assertTrue(Files.readString(out.resolve("latest-soak.json")).contains("\"lost\": 0"));
    }
}
