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
import java.time.Duration;
import java.util.Base64;
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
    void decode_encodedLaunch_givesBackTheAgentsOptions() throws Exception {
        AgentOptions sent = options();

        AgentLaunch launch = AgentLaunchBlob.decode(new String[] {
            AgentLaunchBlob.encode(describe(sent, new Properties()))});
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
    void decode_malformedArguments_failSayingWhatAnAgentProcessTakes() {
        String valid = AgentLaunchBlob.encode(describe(options(), new Properties()));
        String noName = AgentLaunchBlob.encode(describe(options(), new Properties()).toBuilder().clearName().build());
        String[][] malformed = {
            {},
            {valid, valid},
            {"not base64 at all!"},
            {Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff})},
            {""},
            {noName},
        };
        for (String[] args : malformed) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> AgentLaunchBlob.decode(args), () -> List.of(args).toString());
            assertTrue(refused.getMessage().startsWith("Cannot read the launch of an agent process: ")
                    && refused.getMessage().contains("zeroagents.launch.v1.AgentLaunch"), refused.getMessage());
        }
    }
}
