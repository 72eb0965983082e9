package io.zeroagents.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

class ConfigSourceTest {

    private static ConfigSource source(Map<String, String> properties, Map<String, String> environment) {
        return ConfigSource.of(properties::get, environment);
    }

    @Test
    void read_nothingSet_returnsTheDefault() {
        assertEquals(Duration.ofSeconds(30), source(Map.of(), Map.of()).read(ZeroAgentsSettings.DEFAULT_TIMEOUT));
    }

    @Test
    void read_propertyAndVariableSet_propertyWins() {
        ConfigSource source = source(Map.of("zeroagents.default.hwm", "5"), Map.of("ZEROAGENTS_DEFAULT_HWM", "7"));

        assertEquals(5, source.read(ZeroAgentsSettings.DEFAULT_HWM));
    }

    @Test
    void read_blankProperty_fallsBackToTheVariable() {
        ConfigSource source = source(Map.of("zeroagents.default.hwm", " "), Map.of("ZEROAGENTS_DEFAULT_HWM", "7"));

        assertEquals(7, source.read(ZeroAgentsSettings.DEFAULT_HWM));
    }

    @Test
    void read_blankEverywhere_returnsTheDefault() {
        ConfigSource source = source(Map.of("zeroagents.default.hwm", ""), Map.of("ZEROAGENTS_DEFAULT_HWM", "  "));

        assertEquals(1000, source.read(ZeroAgentsSettings.DEFAULT_HWM));
    }

    @Test
    void read_valueWithBlanksAround_isTrimmed() {
        ConfigSource source = source(Map.of("zeroagents.nameserver", " tcp://10.0.0.1:9091 "), Map.of());

        assertEquals(Optional.of("tcp://10.0.0.1:9091"), source.find(ZeroAgentsSettings.NAMESERVER));
    }

    @Test
    void read_badValue_namesThePropertyTheVariableAndWhatTheyAccept() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> source(Map.of(), Map.of("ZEROAGENTS_NAMESERVER_SPIN_MICROS", "fast"))
                        .read(ZeroAgentsSettings.NAMESERVER_SPIN));

        assertEquals("Bad value 'fast' for zeroagents.nameserver.spin.micros / ZEROAGENTS_NAMESERVER_SPIN_MICROS:"
                + " must be a whole number of microseconds from 0 to 1000000", refused.getMessage());
    }

    @Test
    void read_unsetKeyWithoutDefault_failsSayingToFindIt() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> source(Map.of(), Map.of()).read(ZeroAgentsSettings.CURVE_DIR));

        assertTrue(refused.getMessage().contains("zeroagents.curve.dir"), refused.getMessage());
    }

    @Test
    void find_unsetKey_isEmptyEvenWithADefault() {
        assertEquals(Optional.empty(), source(Map.of(), Map.of()).find(ZeroAgentsSettings.CURVE_DIR));
        assertEquals(Optional.empty(), source(Map.of(), Map.of()).find(ZeroAgentsSettings.DEFAULT_HWM));
    }

    @Test
    @ResourceLock(Resources.SYSTEM_PROPERTIES)
    void system_propertySetNow_isReadNow() {
        String property = ZeroAgentsSettings.SERIALIZATION_JAVA_ALLOW.property();
        String before = System.setProperty(property, "com.example.Order");
        try {
            assertEquals(Optional.of("com.example.Order"), ZeroAgentsSettings.SERIALIZATION_JAVA_ALLOW.find());
        } finally {
            if (before == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, before);
            }
        }
    }
}
