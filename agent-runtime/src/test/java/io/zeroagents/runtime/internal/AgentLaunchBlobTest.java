package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentOptions;
import io.zeroagents.BaseAgent;
import io.zeroagents.Codec;
import io.zeroagents.Transport;
import io.zeroagents.runtime.internal.launch.AgentLaunch;
import io.zeroagents.serialization.CodecRegistry;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class AgentLaunchBlobTest {
    private static final String NAME_SERVER = "tcp://10.0.0.1:9091";

    /** An agent class the new JVM loads by name. */
    public static final class Worker extends BaseAgent {
    }

    private static AgentOptions options() {
        return AgentOptions.builder(Worker.class)
                .attributes(Map.of("x", 1, "label", "left", "sizes", List.of(1, 2)))
                .transport(Transport.INPROC)
                .codec(Codec.JSON)
                .linger(Duration.ZERO)
                .safeCalls(false)
                .timeout(Duration.ofSeconds(2))
                .highWaterMark(50)
                .idlePeriod(Duration.ofMillis(250))
                .stopOnHandlerError(true)
                .spinWait(Duration.ofNanos(30_000))
                .shareSentArrays(true)
                .batchSends(16)
                .nameServerWait(Duration.ofSeconds(3))
                .build();
    }

    private static AgentLaunch describe(AgentOptions options, Properties properties) {
        Settings global = Settings.from(Map.of("zeroagents.default.host", "0.0.0.0")::get, Map.of());
        return AgentLaunchBlob.describe("Alice", options, NAME_SERVER, global.forAgent(options),
                CodecRegistry.standard(), properties);
    }

    @Test
    void read_writtenLaunch_givesBackTheAgentsOptions() throws Exception {
        AgentOptions sent = options();

        AgentLaunch launch = AgentLaunchBlob.read(new String[0], written(describe(sent, new Properties())));
        AgentOptions received = AgentLaunchBlob.options(launch, CodecRegistry.standard());

        assertEquals("Alice", launch.getName());
        assertEquals(NAME_SERVER, AgentLaunchBlob.nameServer(launch));
        assertEquals(Worker.class, received.agentClass());
        assertEquals(sent.attributes(), received.attributes());
        assertEquals(sent.idlePeriod(), received.idlePeriod());
        assertEquals(sent.stopOnHandlerError(), received.stopOnHandlerError());
        assertEquals(sent.spinWait(), received.spinWait());
        assertEquals(sent.shareSentArrays(), received.shareSentArrays());
        assertEquals(sent.batchSends(), received.batchSends());
        assertEquals(sent.nameServerWait(), received.nameServerWait());
    }

    @Test
    void describe_settings_areTheAgentsOverThisJvmsAndReadBackEqual() {
        Properties properties = new Properties();
        properties.setProperty("zeroagents.heartbeat", "250");
        properties.setProperty("zeroagents.default.hwm", "7");
        properties.setProperty("zeroagents.nameserver", "tcp://elsewhere:1");
        properties.setProperty("java.io.tmpdir", "/tmp");

        Map<String, String> settings = describe(options(), properties).getSettingsMap();
        Settings child = Settings.from(settings::get, Map.of());

        assertEquals("250", settings.get("zeroagents.heartbeat"));
        assertFalse(settings.containsKey("java.io.tmpdir"), settings.toString());
        assertEquals(NAME_SERVER, child.nameServer());
        assertEquals(Transport.INPROC, child.transport());
        assertEquals("0.0.0.0", child.host());
        assertEquals(Codec.JSON, child.codec());
        assertEquals(Duration.ZERO, child.linger());
        assertFalse(child.safeCalls());
        assertEquals(Duration.ofSeconds(2), child.timeout());
        assertEquals(50, child.highWaterMark());
        assertEquals(Duration.ofMillis(250), child.heartbeat());
    }

    @Test
    void describe_nullAttribute_isRefusedNamingIt() {
        AgentOptions options = AgentOptions.builder(Worker.class).attribute("missing", null).build();

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> describe(options, new Properties()));
        assertTrue(refused.getMessage().contains("'missing'"), refused.getMessage());
    }

    @Test
    void read_argumentsOrMalformedInput_failSayingWhatAnAgentProcessTakes() throws Exception {
        AgentLaunch valid = describe(options(), new Properties());
        AgentLaunch noName = valid.toBuilder().clearName().build();
        java.io.ByteArrayOutputStream unterminated = new java.io.ByteArrayOutputStream();
        unterminated.write(200);
        unterminated.write(valid.toByteArray(), 0, 10);
        Map<String, Runnable> malformed = new java.util.LinkedHashMap<>();
        malformed.put("an argument", () -> AgentLaunchBlob.read(new String[] {"x"}, written(valid)));
        malformed.put("no input", () -> AgentLaunchBlob.read(new String[0], new ByteArrayInputStream(new byte[0])));
        malformed.put("garbage", () -> AgentLaunchBlob.read(new String[0],
                new ByteArrayInputStream(new byte[] {3, (byte) 0xff, (byte) 0xff, (byte) 0xff})));
        malformed.put("cut short", () -> AgentLaunchBlob.read(new String[0],
                new ByteArrayInputStream(unterminated.toByteArray())));
        malformed.put("no name", () -> AgentLaunchBlob.read(new String[0], written(noName)));
        malformed.forEach((what, reading) -> {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, reading::run, what);
            assertTrue(refused.getMessage().startsWith("Cannot read the launch of an agent process: ")
                    && refused.getMessage().contains("zeroagents.launch.v1.AgentLaunch on standard input"),
                    refused.getMessage());
        });
    }

    private static ByteArrayInputStream written(AgentLaunch launch) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            AgentLaunchBlob.write(launch, out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new ByteArrayInputStream(out.toByteArray());
    }
}
