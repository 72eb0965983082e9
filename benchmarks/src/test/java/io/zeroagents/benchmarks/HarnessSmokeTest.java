package io.zeroagents.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness starts, runs a tiny configuration (the capacity scenario's peer JVM included) and
 * writes its report: what `./mvnw verify` checks of the benchmarks, in a few seconds.
 */
class HarnessSmokeTest {

    @Test
    void tinyRun_writesReportWithBothSidesOfEachScenario(@TempDir Path out) throws Exception {
        Config config = Config.parse("quick", "scenarios=push-inproc,agent-start,nameserver,capacity",
                "payloads=16", "capacity-modes=none", "out=" + out);

        Path json = Harness.run(config);

        assertNotNull(json, "a scenario failed; see the output");
        assertTrue(Files.exists(out.resolve("latest.csv")));
        assertTrue(Files.exists(out.resolve("latest.md")));
        String report = Files.readString(json);
        for (String scenario : List.of("PUSH→PULL inproc, 1 JVM", "agent start, 1 JVM",
                "name server, tcp, 1 JVM (raw: DEALER→ROUTER echo)",
                "capacity, 1 JVM, agents without sockets")) {
            assertTrue(report.contains("\"scenario\": \"" + scenario + "\""), scenario + " missing from " + report);
        }
        assertTrue(report.contains("\"loadAverageAtStart\""));
    }

    @Test
    void parse_refusesUnknownOptionNamingTheKnownOnes() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Config.parse("mesages=10"));
        assertTrue(e.getMessage().contains("messages"), e.getMessage());
    }

    @Test
    void parse_takesSeveralOptionsInOneArgument() {
        Config config = Config.parse("--trials=5 messages=1_000");
        assertEquals(5, config.trials());
        assertEquals(1_000, config.messages());
    }
}
