package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentOptions;
import io.zeroagents.BindOptions;
import io.zeroagents.Codec;
import io.zeroagents.Transport;
import io.zeroagents.serialization.EnvelopeCodec;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

    private static Settings from(Map<String, String> properties, Map<String, String> environment) {
        return Settings.from(properties::get, environment);
    }

    @Test
    void from_nothingSet_usesDocumentedDefaults() {
        Settings settings = from(Map.of(), Map.of());

        assertNull(settings.nameServer());
        assertEquals(Transport.TCP, settings.transport());
        assertEquals("127.0.0.1", settings.host());
        assertEquals(Codec.AUTO, settings.codec());
        assertEquals(Duration.ofSeconds(1), settings.linger());
        assertTrue(settings.safeCalls());
        assertEquals(Duration.ofSeconds(30), settings.timeout());
        assertEquals(1000, settings.highWaterMark());
        assertEquals(Duration.ofNanos(200_000), settings.controlSpin());
    }

    @Test
    void from_controlSpin_isMicrosecondsFromZeroToOneSecond() {
        assertEquals(Duration.ZERO, from(Map.of("zeroagents.control.spin.micros", "0"), Map.of()).controlSpin());
        assertEquals(Duration.ofMillis(1), from(Map.of(), Map.of("ZEROAGENTS_CONTROL_SPIN_MICROS", "1000")).controlSpin());
        assertEquals(Duration.ofSeconds(1), from(Map.of("zeroagents.control.spin.micros", "1000000"), Map.of())
                .controlSpin());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> from(Map.of("zeroagents.control.spin.micros", "-1"), Map.of()));
        assertTrue(negative.getMessage().contains("zeroagents.control.spin.micros"), negative.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> from(Map.of("zeroagents.control.spin.micros", "1000001"), Map.of()));
    }

    @Test
    void highWaterMark_propertyAndAgentOption_overrideZeroMqsDefault() {
        Settings global = from(Map.of("zeroagents.default.hwm", "5000"), Map.of());

        assertEquals(5000, global.highWaterMark());
        assertEquals(5000, global.forAgent(AgentOptions.defaults()).highWaterMark());
        assertEquals(20, global.forAgent(AgentOptions.builder().highWaterMark(20).build()).highWaterMark());
        assertEquals(7, from(Map.of(), Map.of("ZEROAGENTS_DEFAULT_HWM", "7")).highWaterMark());
        assertThrows(IllegalArgumentException.class, () -> from(Map.of("zeroagents.default.hwm", "0"), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.builder().highWaterMark(0).build());
    }

    @Test
    void from_maxFrameBytes_defaultsToTheCodecsAndIsConfigurable() {
        assertEquals(EnvelopeCodec.DEFAULT_MAX_FRAME_BYTES, from(Map.of(), Map.of()).maxFrameBytes());
        assertEquals(65536, from(Map.of(), Map.of("ZEROAGENTS_MAX_FRAME_BYTES", "65536")).maxFrameBytes());
        assertThrows(IllegalArgumentException.class, () -> from(Map.of("zeroagents.max.frame.bytes", "0"), Map.of()));
    }

    @Test
    void from_propertyAndEnvironment_propertyWins() {
        Settings settings = from(Map.of("zeroagents.default.transport", "inproc"),
                Map.of("ZEROAGENTS_DEFAULT_TRANSPORT", "ipc", "ZEROAGENTS_DEFAULT_CODEC", "json",
                        "ZEROAGENTS_NAMESERVER", "tcp://10.0.0.1:9091", "ZEROAGENTS_DEFAULT_SAFE", "false"));

        assertEquals(Transport.INPROC, settings.transport());
        assertEquals(Codec.JSON, settings.codec());
        assertEquals("tcp://10.0.0.1:9091", settings.nameServer());
        assertTrue(!settings.safeCalls());
    }

    @Test
    void from_badValue_namesPropertyAndVariable() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> from(Map.of("zeroagents.default.linger", "soon"), Map.of()));

        assertTrue(refused.getMessage().contains("zeroagents.default.linger")
                && refused.getMessage().contains("ZEROAGENTS_DEFAULT_LINGER"), refused.getMessage());
    }

    @Test
    void forAgent_optionsOverrideGlobals_andBindOptionsOverrideAgent() {
        Settings global = from(Map.of(), Map.of());
        Settings agent = global.forAgent(AgentOptions.builder().transport(Transport.INPROC).codec(Codec.STRING)
                .linger(Duration.ZERO).timeout(Duration.ofSeconds(2)).build());

        assertEquals(Codec.STRING, agent.codec());
        assertEquals(Duration.ZERO, agent.linger());
        assertTrue(agent.endpointFor(BindOptions.defaults(), "A", "main", 1).startsWith("inproc://"));
        assertEquals("tcp://127.0.0.1:*",
                agent.endpointFor(BindOptions.builder().transport(Transport.TCP).build(), "A", "main", 2));
        assertEquals("tcp://localhost:*",
                agent.endpointFor(BindOptions.builder().transport(Transport.TCP).address("localhost").build(), "A", "m", 3));
        assertEquals("tcp://127.0.0.1:5555",
                agent.endpointFor(BindOptions.builder().address("tcp://127.0.0.1:5555").build(), "A", "m", 4));
        assertEquals(Codec.JSON, agent.codecFor(BindOptions.builder().codec(Codec.JSON).build()));
        assertEquals(Duration.ofSeconds(2), agent.nameServerTimeout());
    }

    @Test
    void endpointFor_inprocNames_areUniquePerBind() {
        Settings settings = from(Map.of("zeroagents.default.transport", "inproc"), Map.of());

        String first = settings.endpointFor(BindOptions.defaults(), "A", "main", 1);
        String second = settings.endpointFor(BindOptions.defaults(), "A", "main", 2);

        assertTrue(!first.equals(second), first + " vs " + second);
    }
}
