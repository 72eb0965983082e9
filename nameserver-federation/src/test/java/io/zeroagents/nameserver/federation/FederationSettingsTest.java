package io.zeroagents.nameserver.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.instance.EndpointQualifier;
import io.zeroagents.settings.ZeroAgentsSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Federation settings and the Hazelcast member configuration made from them. */
class FederationSettingsTest {
    private static final String SECRET = TestFederation.SECRET;

    private static FederationSettings.Builder withSecret() {
        return FederationSettings.builder().clusterSecret(SECRET);
    }

    @Test
    void peer_givenAsATcpEndpoint_isRefusedWithWhatToGiveInstead() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> withSecret().peers(List.of("tcp://ns-b:9091")).build());
        assertTrue(refused.getMessage().contains("'tcp://ns-b:9091'") && refused.getMessage().contains("host[:port]"),
                refused.getMessage());
    }

    @Test
    void peer_withABadPort_isRefused() {
        for (String peer : List.of("ns-b:", "ns-b:http", "ns-b:70000", "ns-b:123456789012")) {
            assertThrows(IllegalArgumentException.class, () -> withSecret().peers(List.of(peer)).build(),
                    peer);
        }
    }

    @Test
    void peers_withOrWithoutPort_orIpv6_areAccepted() {
        List<String> peers = List.of("ns-b", "ns-c:5702", "10.0.0.7:5701", "[::1]:5701", "fe80::1");
        assertEquals(peers, withSecret().peers(peers).build().peers());
    }

    @Test
    void limits_defaultToASingleNameServers_andMustBePositive() {
        FederationSettings settings = withSecret().build();
        assertEquals(ZeroAgentsSettings.NAMESERVER_MAX_AGENTS.read(), settings.maxAgents());
        assertEquals(ZeroAgentsSettings.NAMESERVER_MAX_AGENTS_PER_HOST.read(), settings.maxAgentsPerHost());
        assertEquals(7, withSecret().limits(7, 3).build().maxAgents());
        assertThrows(IllegalArgumentException.class, () -> withSecret().limits(0, 3).build());
        assertThrows(IllegalArgumentException.class, () -> withSecret().limits(7, 0).build());
    }

    @Test
    void hostId_defaultsToTheMachinesName() {
        assertFalse(withSecret().build().hostId().isBlank());
        assertEquals("ns-a", withSecret().hostId(" ns-a ").build().hostId());
    }

    @Test
    void memberConfig_joinsOnlyTheListedPeers_neverPhonesHome_andMergesWithTheRegistryRule() {
        FederationSettings settings = withSecret().hostId("ns-a").clusterName("prod")
                .clusterHost("10.0.0.5").clusterPort(5801).peers(List.of("10.0.0.6:5801", "10.0.0.7"))
                .hazelcastProperty("hazelcast.max.no.heartbeat.seconds", "9").build();

        Config config = MemberConfig.of(settings);

        ServerSocketEndpointConfig members = (ServerSocketEndpointConfig) config.getAdvancedNetworkConfig()
                .getEndpointConfigs().get(EndpointQualifier.MEMBER);
        assertEquals(5801, members.getPort());
        assertFalse(members.isPortAutoIncrement());
        assertFalse(config.getAdvancedNetworkConfig().getJoin().getMulticastConfig().isEnabled());
        assertFalse(config.getAdvancedNetworkConfig().getJoin().getAutoDetectionConfig().isEnabled());
        assertTrue(config.getAdvancedNetworkConfig().getJoin().getTcpIpConfig().isEnabled());
        assertEquals(List.of("10.0.0.6:5801", "10.0.0.7"),
                config.getAdvancedNetworkConfig().getJoin().getTcpIpConfig().getMembers());
        assertEquals("false", config.getProperty("hazelcast.phone.home.enabled"));
        assertEquals("log4j2", config.getProperty("hazelcast.logging.type"));
        assertEquals("10.0.0.5", config.getProperty("hazelcast.local.localAddress"));
        assertEquals("9", config.getProperty("hazelcast.max.no.heartbeat.seconds"), "settings override the defaults");
        assertEquals(RegistryMergePolicy.class.getName(),
                config.getMapConfig(MemberConfig.MAP_NAME).getMergePolicyConfig().getPolicy());
    }

    @Test
    void memberConfig_listensForMembersOnly_onOneAddress_underAClusterNameMadeFromTheSecret() {
        FederationSettings settings = withSecret().clusterName("prod").build();

        Config config = MemberConfig.of(settings);

        assertTrue(config.getAdvancedNetworkConfig().isEnabled());
        assertEquals(Set.of(EndpointQualifier.MEMBER), config.getAdvancedNetworkConfig().getEndpointConfigs()
                .keySet(), "no client, REST or memcache endpoint");
        assertEquals("false", config.getProperty("hazelcast.socket.bind.any"));
        assertEquals("false", config.getProperty("hazelcast.logging.details.enabled"));
        assertTrue(config.getClusterName().startsWith("zeroagents-") && !config.getClusterName().contains(SECRET)
                && !config.getClusterName().contains("prod"), config.getClusterName());
        assertEquals(config.getClusterName(), MemberConfig.of(withSecret().clusterName("prod").build()).getClusterName());
        assertFalse(config.getClusterName().equals(MemberConfig.of(FederationSettings.builder().clusterName("prod")
                .clusterSecret(SECRET + "!").build()).getClusterName()), "another secret, another cluster");
        assertTrue(config.getSerializationConfig().getJavaSerializationFilterConfig().isDefaultsDisabled());
    }

    @Test
    void clusterHost_defaultsToTheNameServersHost_andToHazelcastsPickForAWildcard() {
        assertEquals("127.0.0.1", withSecret().nameServerEndpoint("tcp://127.0.0.1:9091").build().clusterHost());
        assertEquals("::1", withSecret().nameServerEndpoint("tcp://[::1]:9091").build().clusterHost());
        assertEquals("ns-a.example", withSecret().nameServerEndpoint("tcp://ns-a.example:*").build().clusterHost());
        assertEquals(null, withSecret().nameServerEndpoint("tcp://0.0.0.0:9091").build().clusterHost());
        assertEquals(null, withSecret().nameServerEndpoint("tcp://*:9091").build().clusterHost());
        assertEquals("10.0.0.5", withSecret().nameServerEndpoint("tcp://127.0.0.1:9091").clusterHost("10.0.0.5")
                .build().clusterHost(), "--cluster-host wins");
    }

    @Test
    void secret_missing_isRefusedSayingHowToMakeOne() {
        assumeTrue(ZeroAgentsSettings.CLUSTER_SECRET_FILE.find().isEmpty(),
                "the environment names a secret file, which then is the default");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> FederationSettings.builder().build());

        assertTrue(refused.getMessage().contains("--cluster-secret-file")
                && refused.getMessage().contains("zeroagents.cluster.secret.file")
                && refused.getMessage().contains("/dev/urandom"), refused.getMessage());
    }

    @Test
    void secret_tooShort_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> FederationSettings.builder().clusterSecret("hunter2").build());
    }

    @Test
    void secret_fromAFile_isItsContentWithoutSurroundingBlanks_andNeverPrinted(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("cluster.secret"), "  " + SECRET + "\n");

        FederationSettings settings = FederationSettings.builder().clusterSecretFile(file).build();

        assertEquals(SECRET, settings.clusterSecret());
        assertFalse(settings.toString().contains(SECRET), settings.toString());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> FederationSettings.builder().clusterSecretFile(dir.resolve("nothing")).build());
        assertTrue(missing.getMessage().contains("nothing"), missing.getMessage());
    }
}
