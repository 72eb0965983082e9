package io.zeroagents.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.Codec;
import io.zeroagents.Transport;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ValueTypeTest {

    @Test
    void bool_documentedSpellings_areReadInAnyCase() {
        for (String yes : new String[] {"true", "TRUE", "Yes", "1"}) {
            assertEquals(true, ZeroAgentsSettings.METRICS_JMX.parse(yes), yes);
        }
        for (String no : new String[] {"false", "False", "NO", "0"}) {
            assertEquals(false, ZeroAgentsSettings.METRICS_JMX.parse(no), no);
        }
    }

    @Test
    void bool_otherText_isRefusedNamingTheSpellings() {
        for (String bad : new String[] {"maybe", "on", "off", "2", "ture"}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> ZeroAgentsSettings.DEFAULT_SAFE.parse(bad));
            assertTrue(refused.getMessage().endsWith("must be true, false, yes, no, 1 or 0"), refused.getMessage());
        }
    }

    @Test
    void millis_zeroAllowedOrNot_checksTheLeastValue() {
        assertEquals(Duration.ZERO, ZeroAgentsSettings.DEFAULT_LINGER.parse("0"));
        assertThrows(IllegalArgumentException.class, () -> ZeroAgentsSettings.DEFAULT_LINGER.parse("-1"));
        assertThrows(IllegalArgumentException.class, () -> ZeroAgentsSettings.DEFAULT_TIMEOUT.parse("0"));
        assertEquals(Duration.ofMillis(1), ZeroAgentsSettings.DEFAULT_TIMEOUT.parse("1"));
        assertThrows(IllegalArgumentException.class, () -> ZeroAgentsSettings.HEARTBEAT.parse("1.5"));
        assertThrows(IllegalArgumentException.class, () -> ZeroAgentsSettings.HEARTBEAT.parse("99999999999999999999"));
    }

    @Test
    void micros_bounds_areZeroToOneSecond() {
        assertEquals(Duration.ZERO, ZeroAgentsSettings.CONTROL_SPIN.parse("0"));
        assertEquals(Duration.ofSeconds(1), ZeroAgentsSettings.CONTROL_SPIN.parse("1000000"));
        assertThrows(IllegalArgumentException.class, () -> ZeroAgentsSettings.CONTROL_SPIN.parse("1000001"));
        assertThrows(IllegalArgumentException.class, () -> ZeroAgentsSettings.NAMESERVER_SPIN.parse("-1"));
    }

    @Test
    void positiveInt_zeroOrTooLarge_isRefused() {
        assertEquals(Integer.MAX_VALUE, ZeroAgentsSettings.DEFAULT_HWM.parse(String.valueOf(Integer.MAX_VALUE)));
        assertThrows(IllegalArgumentException.class, () -> ZeroAgentsSettings.DEFAULT_HWM.parse("0"));
        assertThrows(IllegalArgumentException.class, () -> ZeroAgentsSettings.MAX_FRAME_BYTES.parse("2147483648"));
    }

    @Test
    void transportAndCodec_namesInAnyCase_areRead() {
        assertEquals(Transport.INPROC, ZeroAgentsSettings.DEFAULT_TRANSPORT.parse("InProc"));
        assertEquals(Codec.JSON, ZeroAgentsSettings.DEFAULT_CODEC.parse("JSON"));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ZeroAgentsSettings.DEFAULT_TRANSPORT.parse("udp"));
        assertTrue(refused.getMessage().endsWith("must be inproc, ipc or tcp"), refused.getMessage());
    }

    @Test
    void format_everyDefault_parsesBackToItself() {
        for (ConfigKey<?> key : ZeroAgentsSettings.all()) {
            assertRoundTrip(key);
        }
    }

    private static <T> void assertRoundTrip(ConfigKey<T> key) {
        key.defaultValue().ifPresent(value -> assertEquals(value, key.parse(key.format(value)), key.property()));
    }
}
