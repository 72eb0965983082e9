package io.zeroagents.nameserver.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Federation settings and the Hazelcast member configuration made from them. */
class FederationSettingsTest {

    @Test
    void peer_givenAsATcpEndpoint_isRefusedWithWhatToGiveInstead() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> FederationSettings.builder().peers(List.of("tcp://ns-b:9091")).build());
        assertTrue(refused.getMessage().contains("'tcp://ns-b:9091'") && refused.getMessage().contains("host[:port]"),
                refused.getMessage());
    }

    @Test
    void peer_withABadPort_isRefused() {
        for (String peer : List.of("ns-b:", "ns-b:http", "ns-b:70000", "ns-b:123456789012")) {
            assertThrows(IllegalArgumentException.class, () -> FederationSettings.builder().peers(List.of(peer)).build(),
                    peer);
        }
    }

    @Test
    void peers_withOrWithoutPort_orIpv6_areAccepted() {
        List<String> peers = List.of("ns-b", "ns-c:5702", "10.0.0.7:5701", "[::1]:5701", "fe80::1");
        assertEquals(peers, FederationSettings.builder().peers(peers).build().peers());
    }

    @Test
    void hostId_defaultsToTheMachinesName() {
        assertFalse(FederationSettings.builder().build().hostId().isBlank());
        assertEquals("ns-a", FederationSettings.builder().hostId(" ns-a ").build().hostId());
    }

    @Test
    void memberConfig_joinsOnlyTheListedPeers_neverPhonesHome_andMergesWithTheRegistryRule() {
        FederationSettings settings = FederationSettings.builder().hostId("ns-a").clusterName("prod")
                .clusterHost("10.0.0.5").clusterPort(5801).peers(List.of("10.0.0.6:5801", "10.0.0.7"))
                .hazelcastProperty("hazelcast.max.no.heartbeat.seconds", "9").build();

        Config config = MemberConfig.of(settings);

        assertEquals("prod", config.getClusterName());
        assertEquals(5801, config.getNetworkConfig().getPort());
        assertFalse(config.getNetworkConfig().isPortAutoIncrement());
        assertFalse(config.getNetworkConfig().getJoin().getMulticastConfig().isEnabled());
        assertFalse(config.getNetworkConfig().getJoin().getAutoDetectionConfig().isEnabled());
        assertTrue(config.getNetworkConfig().getJoin().getTcpIpConfig().isEnabled());
        assertEquals(List.of("10.0.0.6:5801", "10.0.0.7"), config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers());
        assertEquals("false", config.getProperty("hazelcast.phone.home.enabled"));
        assertEquals("log4j2", config.getProperty("hazelcast.logging.type"));
        assertEquals("10.0.0.5", config.getProperty("hazelcast.local.localAddress"));
        assertEquals("9", config.getProperty("hazelcast.max.no.heartbeat.seconds"), "settings override the defaults");
        assertEquals(RegistryMergePolicy.class.getName(),
                config.getMapConfig(MemberConfig.MAP_NAME).getMergePolicyConfig().getPolicy());
    }
}
