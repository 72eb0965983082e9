package io.zeroagents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionsTest {

    /** An abstract agent class cannot be instantiated. */
    abstract static class AbstractAgent extends BaseAgent {
    }

    @Test
    void agentOptions_defaults_leaveEverythingToGlobalDefaults() {
        AgentOptions options = AgentOptions.defaults();

        assertEquals(BaseAgent.class, options.agentClass());
        assertNull(options.transport());
        assertNull(options.nameServer());
        assertEquals(Duration.ofSeconds(1), options.idlePeriod());
        assertEquals(Duration.ZERO, options.spinWait());
        assertEquals(1, options.batchSends());
        assertTrue(!options.stopOnHandlerError());
    }

    @Test
    void agentOptions_build_validatesEachSetting() {
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.builder().linger(Duration.ofMillis(-1)).build());
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.builder().timeout(Duration.ZERO).build());
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.builder().idlePeriod(Duration.ZERO).build());
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.builder().nameServer("localhost").build());
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.of(AbstractAgent.class));
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.builder().attribute(" ", 1).build());
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.builder().spinWait(Duration.ofNanos(-1)).build());
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.builder().spinWait(Duration.ofMillis(1001)).build());
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.builder().batchSends(0).build());
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.builder().batchSends(10_001).build());
    }

    @Test
    void agentOptions_toBuilder_keepsEverySetting() {
        AgentOptions options = AgentOptions.builder().attributes(Map.of("x", 1)).transport(Transport.INPROC)
                .codec(Codec.JSON).linger(Duration.ZERO).safeCalls(false).stopOnHandlerError(true)
                .spinWait(Duration.ofNanos(200_000)).batchSends(64).build();

        AgentOptions copy = options.toBuilder().build();

        assertEquals(options.toString(), copy.toString());
        assertEquals(Duration.ofNanos(200_000), copy.spinWait());
        assertEquals(64, copy.batchSends());
        assertEquals(Map.of("x", 1), copy.attributes());
    }

    @Test
    void bindOptions_badAddress_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> BindOptions.builder().address(" ").build());
        assertThrows(IllegalArgumentException.class, () -> BindOptions.builder().address("udp://x:1").build());
        assertEquals("localhost", BindOptions.builder().address("localhost").build().address());
    }

    @Test
    void nameServerOptions_needTcpAndSensibleLease() {
        assertThrows(IllegalArgumentException.class, () -> NameServerOptions.builder().address("inproc://ns").build());
        assertThrows(IllegalArgumentException.class, () -> NameServerOptions.builder().lease(Duration.ofMillis(5)).build());
        assertEquals("tcp://127.0.0.1:*", NameServerOptions.defaults().address());
    }

    @Test
    void pattern_twin_pairsEachSide() {
        for (Pattern pattern : Pattern.values()) {
            assertEquals(pattern, pattern.twin().twin());
            if (pattern.serverOnly() || pattern.clientOnly()) {
                assertTrue(pattern.serverOnly() != pattern.twin().serverOnly(), pattern + " has one server side");
            } else {
                assertTrue(pattern.receives() != pattern.twin().receives() || pattern == Pattern.REQ
                        || pattern == Pattern.REP, pattern + " has one receiving side");
            }
        }
    }

    @Test
    void agentAddress_syncPubWithoutRequestEndpoint_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new AgentAddress("tcp://127.0.0.1:1", Pattern.SYNC_PUB, Codec.AUTO));
        AgentAddress channel = new AgentAddress("tcp://127.0.0.1:1", Pattern.SYNC_PUB, Codec.AUTO, false, "tcp://127.0.0.1:2");
        assertEquals(Pattern.SYNC_SUB, channel.twin().pattern());
        assertEquals("tcp://127.0.0.1:2", channel.twin().requestEndpoint());
        assertEquals(channel, channel.twin().twin());
    }

    @Test
    void agentAddress_withServerKey_keepsItThroughTwinsAndRefusesOneOfTheWrongLength() {
        String key = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";
        AgentAddress pinned = AgentAddress.raw("tcp://10.0.0.5:1", Pattern.PULL, Codec.RAW).withServerKey(key);

        assertEquals(key, pinned.serverKey());
        assertEquals(key, pinned.twin().serverKey());
        assertTrue(pinned.raw());
        assertEquals(null, new AgentAddress("tcp://10.0.0.5:1", Pattern.PULL, Codec.RAW).serverKey());
        assertThrows(IllegalArgumentException.class, () -> pinned.withServerKey("too-short"));
    }

    @Test
    void agentAddress_rawChannel_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> AgentAddress.raw("tcp://127.0.0.1:1", Pattern.ASYNC_REP, Codec.RAW));
        assertThrows(IllegalArgumentException.class,
                () -> new AgentAddress("tcp://127.0.0.1:1", Pattern.PUSH, Codec.RAW, false, "tcp://127.0.0.1:2"));
        assertTrue(AgentAddress.raw("tcp://127.0.0.1:1", Pattern.PULL, Codec.RAW).raw());
    }

    @Test
    void requestOptions_onNoReplyWithoutWait_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> RequestOptions.builder().onNoReply((agent, request) -> { }).build());
        assertThrows(IllegalArgumentException.class, () -> RequestOptions.builder().waitAtMost(Duration.ZERO).build());
        assertEquals(Duration.ofSeconds(1), RequestOptions.builder().waitAtMost(Duration.ofSeconds(1)).build().waitAtMost());
    }

    @Test
    void agentAddress_rejectsEndpointWithoutTransport() {
        assertThrows(IllegalArgumentException.class, () -> new AgentAddress("127.0.0.1:5555", Pattern.PUSH, Codec.AUTO));
        assertEquals(Transport.INPROC, new AgentAddress("inproc://x", Pattern.PUB, Codec.JSON).transport());
        assertEquals(Pattern.SUB, new AgentAddress("tcp://127.0.0.1:1", Pattern.PUB, Codec.JSON).clientPattern());
    }

    @Test
    void codec_of_normalisesCaseAndRefusesBlank() {
        assertEquals(Codec.JSON, Codec.of(" JSON "));
        assertThrows(IllegalArgumentException.class, () -> Codec.of(" "));
    }
}
