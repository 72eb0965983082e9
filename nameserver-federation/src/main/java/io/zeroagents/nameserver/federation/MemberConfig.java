package io.zeroagents.nameserver.federation;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.TcpIpConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The Hazelcast member configuration of a federated name server, from its {@link
 * FederationSettings}.
 *
 * <p>What it sets, and why:
 * <ul>
 *   <li>Join over TCP/IP from the peer list only: multicast and cloud auto-detection are off, so a
 *       name server joins exactly the hosts it was told about.
 *   <li>Phone-home off: a name server does not call out to the Internet.
 *   <li>Hazelcast logs through Log4j 2, like the rest of the name server.
 *   <li>Failure detection in seconds (heartbeat every second, a member silent for 5 s is gone),
 *       because agent leases are seconds too; split-brain merges are looked for every 5 s instead of
 *       Hazelcast's minutes, so a healed partition re-syncs within seconds.
 *   <li>The agents' map keeps every entry on up to three members (one synchronous and one
 *       asynchronous backup), so each side of a partition of a small federation still holds all
 *       the names; its merge policy is {@link RegistryMergePolicy}.
 *   <li>Expired entries are swept every second, and backups expire with their primaries, so a lease
 *       means the same thing on every member.
 *   <li>Hazelcast's own shutdown hook is off: the name server leaves the cluster when it closes.
 * </ul>
 * Each default yields to a system property of the same name and to
 * {@link FederationSettings#hazelcastProperties()}.
 */
final class MemberConfig {

    /** The distributed map of agent entries, keyed by agent name. */
    static final String MAP_NAME = "zeroagents-agents";

    private static final Map<String, String> DEFAULTS = defaults();

    private MemberConfig() {
    }

    private static Map<String, String> defaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("hazelcast.phone.home.enabled", "false");
        defaults.put("hazelcast.logging.type", "log4j2");
        defaults.put("hazelcast.shutdownhook.enabled", "false");
        defaults.put("hazelcast.heartbeat.interval.seconds", "1");
        defaults.put("hazelcast.max.no.heartbeat.seconds", "5");
        defaults.put("hazelcast.merge.first.run.delay.seconds", "5");
        defaults.put("hazelcast.merge.next.run.delay.seconds", "5");
        // A lone first member waits this long for others before it starts a cluster of its own.
        defaults.put("hazelcast.wait.seconds.before.join", "1");
        defaults.put("hazelcast.internal.map.expiration.task.period.seconds", "1");
        defaults.put("hazelcast.map.expiry.delay.seconds", "0");
        // A leaving name server hands its partitions over, but never for minutes.
        defaults.put("hazelcast.graceful.shutdown.max.wait", "15");
        // Every name-server request is served on one thread: a stuck call must fail, not hang for minutes.
        defaults.put("hazelcast.operation.call.timeout.millis", "10000");
        return Map.copyOf(defaults);
    }

    /**
     * Builds the configuration.
     *
     * @param settings the name server's federation settings
     * @return a new configuration for one member
     */
    static Config of(FederationSettings settings) {
        Config config = new Config();
        config.setClusterName(settings.clusterName());
        // Unique per JVM (tests run several members in one); the host id shows in thread names.
        config.setInstanceName("zeroagents-" + settings.hostId() + "-" + UUID.randomUUID().toString().substring(0, 8));
        config.setClassLoader(MemberConfig.class.getClassLoader());
        config.getMetricsConfig().setEnabled(false);
        config.getJetConfig().setEnabled(false);

        Map<String, String> properties = new LinkedHashMap<>();
        DEFAULTS.forEach((name, value) -> {
            if (System.getProperty(name) == null) {
                properties.put(name, value);
            }
        });
        if (settings.clusterHost() != null) {
            properties.put("hazelcast.local.localAddress", settings.clusterHost());
            properties.put("hazelcast.socket.bind.any", "false");
        }
        properties.putAll(settings.hazelcastProperties());
        properties.forEach(config::setProperty);

        NetworkConfig network = config.getNetworkConfig();
        network.setPort(settings.clusterPort());
        network.setPortAutoIncrement(false);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        TcpIpConfig tcpIp = join.getTcpIpConfig();
        tcpIp.setEnabled(true);
        tcpIp.setConnectionTimeoutSeconds(2);
        settings.peers().forEach(tcpIp::addMember);

        MapConfig agents = new MapConfig(MAP_NAME);
        agents.setBackupCount(1);
        agents.setAsyncBackupCount(1);
        agents.getMergePolicyConfig().setPolicy(RegistryMergePolicy.class.getName());
        config.addMapConfig(agents);

        config.getSerializationConfig().addDataSerializableFactory(FederationDataFactory.FACTORY_ID,
                new FederationDataFactory());
        return config;
    }
}
