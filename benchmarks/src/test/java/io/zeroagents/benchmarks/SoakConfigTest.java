package io.zeroagents.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoakConfigTest {
    @Test
    void parse_minutes_splitsIntoAFifthThreeFifthsAndAFifth() {
        SoakConfig config = SoakConfig.parse("hosts=2", "minutes=5");

        assertEquals(2, config.hosts());
        assertEquals(Duration.ofMinutes(1), config.baseline());
        assertEquals(Duration.ofMinutes(3), config.attack());
        assertEquals(Duration.ofMinutes(1), config.recovery());
    }

    @Test
    void parse_attacksNone_runsNoFlood() {
        assertEquals(List.of(), SoakConfig.parse("attacks=none").attacks());
    }

    @Test
    void parse_unknownAttack_isRefusedWithTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SoakConfig.parse("attacks=unending,meteor"));

        assertTrue(e.getMessage().contains("'meteor'") && e.getMessage().contains("subscription"), e.getMessage());
    }

    @Test
    void parse_unknownKey_isRefusedWithTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SoakConfig.parse("scenarios=x"));

        assertTrue(e.getMessage().contains("'scenarios'") && e.getMessage().contains("hosts"), e.getMessage());
    }

    @Test
    void receiverOf_agentOnTheLastHost_pushesToItsNamesakeOnTheFirst() {
        assertEquals("SoakH2A3", Soak.receiverOf("SoakH1A3", 3));
        assertEquals("SoakH1A3", Soak.receiverOf("SoakH3A3", 3));
        assertEquals("SoakH1A12", Soak.receiverOf("SoakH1A12", 1));
    }
}
