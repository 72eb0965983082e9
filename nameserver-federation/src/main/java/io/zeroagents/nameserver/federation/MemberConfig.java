package io.zeroagents.nameserver.federation;

import com.hazelcast.config.AdvancedNetworkConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.config.TcpIpConfig;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Hazelcast member configuration of a federated name server, from its {@link
 * FederationSettings}.
 *
 * <p>What it sets, and why:
 * <ul>
 *   <li>Members only: the member listens with Hazelcast's advanced network and one endpoint, for
 *       members; there is no client endpoint, so a Hazelcast client (which could read, delete and
 *       forge entries) is refused at its first bytes.
 *   <li>One address: the member binds the address it announces (the name server's host by
 *       default), never every interface.
 *   <li>A secret cluster name: Hazelcast's cluster name is an HMAC of the federation's name under
 *       the shared secret, so a member that lacks the secret is not let in. Open-source Hazelcast
 *       has no member authentication (security realms, TLS and socket interceptors are Enterprise
 *       features); the cluster name is what it checks, so it has to be the secret. Hazelcast's
 *       log lines, which would carry it, leave it out (but for one INFO line at start).
 *   <li>Java serialization reads only the exceptions members answer each other with: the registry
 *       holds strings and bytes, and its processor and merge policy travel as
 *       IdentifiedDataSerializable, so nothing else is Java-serialized; a join request is read
 *       before its cluster name is checked, so a stranger's gadget would otherwise be read.
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
        // Every Hazelcast log line would begin with the cluster name, which is the secret's HMAC.
        defaults.put("hazelcast.logging.details.enabled", "false");
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
        config.setClusterName(hazelcastClusterName(settings));
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
        }
        properties.putAll(settings.hazelcastProperties());
        // After the user's properties: the member binds the one address it announces, whatever they say.
        properties.put("hazelcast.socket.bind.any", "false");
        properties.put("hazelcast.socket.server.bind.any", "false");
        properties.forEach(config::setProperty);

        // The advanced network with a member endpoint and nothing else: no client, REST or memcache socket.
        AdvancedNetworkConfig network = config.getAdvancedNetworkConfig();
        network.setEnabled(true);
        ServerSocketEndpointConfig members = new ServerSocketEndpointConfig();
        members.setPort(settings.clusterPort());
        members.setPortAutoIncrement(false);
        network.setMemberEndpointConfig(members);
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
        // The counts that bound the registry (AgentCounts): recounted from the agents' map after a
        // split heals, so Hazelcast's default merge policy does for them.
        MapConfig counts = new MapConfig(AgentCounts.MAP_NAME);
        counts.setBackupCount(1);
        config.addMapConfig(counts);

        config.getSerializationConfig().addDataSerializableFactory(FederationDataFactory.FACTORY_ID,
                new FederationDataFactory());
        config.getSerializationConfig().setJavaSerializationFilterConfig(javaSerializationFilter());
        return config;
    }

    /**
     * The cluster name Hazelcast checks: {@code zeroagents-} and the HMAC-SHA256 of the federation's
     * name under its secret, so that it proves the secret without being it.
     *
     * @param settings the federation settings
     * @return the name, the same on every member with the same name and secret
     */
    static String hazelcastClusterName(FederationSettings settings) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(settings.clusterSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] tag = mac.doFinal(settings.clusterName().getBytes(StandardCharsets.UTF_8));
            return "zeroagents-" + HexFormat.of().formatHex(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM has no HmacSHA256, which every Java platform has", e);
        }
    }

    /**
     * The classes Java serialization may read: the exceptions members send back in error responses
     * (Hazelcast's, with the JDK types a throwable is made of). Hazelcast's own default list would
     * take every {@code java*} class and all of {@code com.hazelcast.}, shaded libraries included.
     */
    private static JavaSerializationFilterConfig javaSerializationFilter() {
        JavaSerializationFilterConfig filter = new JavaSerializationFilterConfig();
        filter.setDefaultsDisabled(true);
        filter.getWhitelist()
                .addPackages("com.hazelcast.core", "com.hazelcast.spi.exception", "com.hazelcast.map",
                        "com.hazelcast.map.impl.operation", "com.hazelcast.partition", "com.hazelcast.cluster",
                        "com.hazelcast.splitbrainprotection", "com.hazelcast.query", "com.hazelcast.nio.serialization",
                        "com.hazelcast.internal.cluster.impl", "com.hazelcast.internal.partition",
                        "com.hazelcast.spi.impl.operationservice")
                .addClasses("java.lang.Throwable", "java.lang.Exception", "java.lang.RuntimeException",
                        "java.lang.Error", "java.lang.IllegalStateException", "java.lang.IllegalArgumentException",
                        "java.lang.NullPointerException", "java.lang.UnsupportedOperationException",
                        "java.lang.SecurityException", "java.lang.InterruptedException", "java.io.IOException",
                        "java.io.UncheckedIOException", "java.util.concurrent.ExecutionException",
                        "java.util.concurrent.TimeoutException", "java.util.concurrent.CancellationException",
                        "java.lang.StackTraceElement", "[Ljava.lang.StackTraceElement;", "java.util.UUID",
                        "java.util.ArrayList", "java.util.Collections$EmptyList",
                        "java.util.Collections$UnmodifiableCollection", "java.util.Collections$UnmodifiableList",
                        "java.util.Collections$UnmodifiableRandomAccessList");
        return filter;
    }
}
