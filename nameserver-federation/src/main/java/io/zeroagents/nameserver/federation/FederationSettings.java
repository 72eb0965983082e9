package io.zeroagents.nameserver.federation;

import io.zeroagents.NameServerOptions;
import io.zeroagents.settings.HostName;
import io.zeroagents.settings.ZeroAgentsSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a name server joins a federation: its host id, the cluster it belongs to and the secret its
 * members share, where its Hazelcast member listens, which peers it contacts, and the lease of its
 * entries.
 *
 * <p>Every name server of a federation must use the same cluster name, secret and lease, and
 * should list the same peers (a list may include the name server itself: Hazelcast skips its own
 * address), so that any of them can be started first and any can restart.
 *
 * @since 0.1
 */
public final class FederationSettings {

    // The defaults are agent-api's, written there once: an embedded name server and the daemon
    // must federate alike.
    /** The default cluster name. */
    public static final String DEFAULT_CLUSTER_NAME = NameServerOptions.Cluster.DEFAULTS.clusterName();
    /** The default port of a name server's Hazelcast member, Hazelcast's own default. */
    public static final int DEFAULT_CLUSTER_PORT = NameServerOptions.Cluster.DEFAULTS.port();
    /** The default lease, the same as an embedded name server's. */
    public static final Duration DEFAULT_LEASE = NameServerOptions.defaults().lease();
    /** The shortest cluster secret taken: anything shorter is guessed, not shared. */
    public static final int MIN_SECRET_LENGTH = 16;

    private final String hostId;
    private final String clusterName;
    private final String clusterSecret;
    private final @Nullable String clusterHost;
    private final int clusterPort;
    private final List<String> peers;
    private final Duration lease;
    private final int maxAgents;
    private final int maxAgentsPerHost;
    private final Map<String, String> hazelcastProperties;

    private FederationSettings(Builder builder, String hostId, String clusterSecret, @Nullable String clusterHost) {
        this.hostId = hostId;
        this.clusterName = builder.clusterName;
        this.clusterSecret = clusterSecret;
        this.clusterHost = clusterHost;
        this.clusterPort = builder.clusterPort;
        this.peers = List.copyOf(builder.peers);
        this.lease = builder.lease;
        this.maxAgents = builder.maxAgents;
        this.maxAgentsPerHost = builder.maxAgentsPerHost;
        this.hazelcastProperties = Map.copyOf(builder.hazelcastProperties);
    }

    /**
     * Starts a builder with the defaults: this machine's host name as host id, cluster
     * {@link #DEFAULT_CLUSTER_NAME}, the secret in the file {@code zeroagents.cluster.secret.file}
     * names, port {@link #DEFAULT_CLUSTER_PORT} on the name server's own host (or the one address
     * Hazelcast picks), no peers, a lease of {@link #DEFAULT_LEASE}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The id of this name-server host, written into every entry registered through it
     * ({@code nameserver_host}) so that each entry says where its agent lives.
     *
     * @return the host id, not blank
     */
    public String hostId() {
        return hostId;
    }

    /**
     * The federation's name, shown in logs; name servers with another name never join this one.
     * Hazelcast's own cluster name is made from it and {@link #clusterSecret()}, so that the name,
     * which is no secret, is not all a stranger needs.
     *
     * @return the cluster name
     */
    public String clusterName() {
        return clusterName;
    }

    /**
     * The secret every member of the federation shares; a member without it is not let in.
     *
     * @return the secret, at least {@link #MIN_SECRET_LENGTH} characters
     */
    public String clusterSecret() {
        return clusterSecret;
    }

    /**
     * The address the Hazelcast member binds and announces to its peers, or null to let Hazelcast
     * pick one (an interface matching the peers, else the first non-loopback one). Either way the
     * member listens on that one address, never on every interface.
     *
     * @return the host or IP address, or null
     */
    public @Nullable String clusterHost() {
        return clusterHost;
    }

    /**
     * The port of the Hazelcast member; 0 takes a free one.
     *
     * @return the port
     */
    public int clusterPort() {
        return clusterPort;
    }

    /**
     * The Hazelcast members to contact when joining and after a partition, as {@code host[:port]}
     * (port {@link #DEFAULT_CLUSTER_PORT} when missing).
     *
     * @return the peers, in the order given
     */
    public List<String> peers() {
        return peers;
    }

    /**
     * How long a registration or renewal keeps an entry alive.
     *
     * @return the lease, positive
     */
    public Duration lease() {
        return lease;
    }

    /**
     * The agents the federation holds at most, counted across all its members; a registration
     * through this name server beyond it is refused. Every name server of a federation should use
     * the same limits.
     *
     * @return the limit, positive
     */
    public int maxAgents() {
        return maxAgents;
    }

    /**
     * The agents one host (host id) holds in the federation at most, counted across all its members.
     *
     * @return the limit, positive
     */
    public int maxAgentsPerHost() {
        return maxAgentsPerHost;
    }

    /**
     * Hazelcast properties that override the federation's defaults (for example
     * {@code hazelcast.max.no.heartbeat.seconds}); system properties of the same names override the
     * defaults too.
     *
     * @return the properties
     */
    public Map<String, String> hazelcastProperties() {
        return hazelcastProperties;
    }

    @Override
    public String toString() {
        // Never the secret.
        return "FederationSettings[host=" + hostId + ", cluster=" + clusterName + ", member="
                + (clusterHost == null ? "(picked)" : clusterHost) + ":" + clusterPort + ", peers=" + peers + ", lease="
                + lease + ", maxAgents=" + maxAgents + ", maxAgentsPerHost=" + maxAgentsPerHost + "]";
    }

    /** Builds {@link FederationSettings}; {@link #build()} validates. */
    public static final class Builder {
        private @Nullable String hostId;
        private String clusterName = DEFAULT_CLUSTER_NAME;
        private @Nullable String clusterSecret;
        private @Nullable Path clusterSecretFile;
        private @Nullable String clusterHost;
        private @Nullable String nameServerEndpoint;
        private int clusterPort = DEFAULT_CLUSTER_PORT;
        private final List<String> peers = new ArrayList<>();
        private Duration lease = DEFAULT_LEASE;
        private int maxAgents = ZeroAgentsSettings.NAMESERVER_MAX_AGENTS.read();
        private int maxAgentsPerHost = ZeroAgentsSettings.NAMESERVER_MAX_AGENTS_PER_HOST.read();
        private final Map<String, String> hazelcastProperties = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Sets the id of this name-server host; by default the machine's host name.
         *
         * @param hostId a short, stable name such as {@code ns-paris}; null for the default
         * @return this builder
         */
        public Builder hostId(@Nullable String hostId) {
            this.hostId = hostId;
            return this;
        }

        /**
         * Sets the Hazelcast cluster name.
         *
         * @param clusterName the name, the same on every name server of the federation
         * @return this builder
         */
        public Builder clusterName(String clusterName) {
            this.clusterName = Objects.requireNonNull(clusterName, "clusterName");
            return this;
        }

        /**
         * Sets the secret the federation's members share.
         *
         * @param clusterSecret at least {@link #MIN_SECRET_LENGTH} characters, the same on every
         *                      name server of the federation; null for the file's
         * @return this builder
         */
        public Builder clusterSecret(@Nullable String clusterSecret) {
            this.clusterSecret = clusterSecret;
            return this;
        }

        /**
         * Sets the file the secret is read from (its content, without surrounding blanks), unless
         * {@link #clusterSecret(String)} gives it; by default the file
         * {@code zeroagents.cluster.secret.file} ({@code ZEROAGENTS_CLUSTER_SECRET_FILE}) names.
         *
         * @param file a file only this name server's user can read; null for the default
         * @return this builder
         */
        public Builder clusterSecretFile(@Nullable Path file) {
            this.clusterSecretFile = file;
            return this;
        }

        /**
         * Sets the name server's own endpoint: without {@link #clusterHost(String)}, the member binds
         * its host, so that a name server on loopback keeps its member on loopback too.
         *
         * @param endpoint such as {@code tcp://10.0.0.5:9091}; a wildcard host ({@code *},
         *                 {@code 0.0.0.0}, {@code ::}) lets Hazelcast pick one address
         * @return this builder
         */
        public Builder nameServerEndpoint(@Nullable String endpoint) {
            this.nameServerEndpoint = endpoint;
            return this;
        }

        /**
         * Sets the address the member binds and announces.
         *
         * @param clusterHost a host name or IP address of this machine; null for the name server's
         *                    own host, or one Hazelcast picks
         * @return this builder
         */
        public Builder clusterHost(@Nullable String clusterHost) {
            this.clusterHost = clusterHost == null || clusterHost.isBlank() ? null : clusterHost;
            return this;
        }

        /**
         * Sets the member's port.
         *
         * @param clusterPort 1 to 65535, or 0 for a free one
         * @return this builder
         */
        public Builder clusterPort(int clusterPort) {
            this.clusterPort = clusterPort;
            return this;
        }

        /**
         * Adds peers.
         *
         * @param peers {@code host[:port]} addresses of other name servers' members
         * @return this builder
         */
        public Builder peers(Collection<String> peers) {
            for (String peer : peers) {
                this.peers.add(Objects.requireNonNull(peer, "peer").strip());
            }
            return this;
        }

        /**
         * Sets the lease.
         *
         * @param lease positive; the same on every name server of the federation
         * @return this builder
         */
        public Builder lease(Duration lease) {
            this.lease = Objects.requireNonNull(lease, "lease");
            return this;
        }

        /**
         * Sets the limits of the federation's registry; by default those of a single name server,
         * {@code zeroagents.nameserver.max.agents} and {@code zeroagents.nameserver.max.agents.per.host}.
         *
         * @param maxAgents        the agents the federation holds at most; positive
         * @param maxAgentsPerHost the agents of one host it holds at most; positive
         * @return this builder
         */
        public Builder limits(int maxAgents, int maxAgentsPerHost) {
            this.maxAgents = maxAgents;
            this.maxAgentsPerHost = maxAgentsPerHost;
            return this;
        }

        /**
         * Sets a Hazelcast property, overriding the federation's default and any system property.
         *
         * @param name  the property, such as {@code hazelcast.heartbeat.interval.seconds}
         * @param value its value
         * @return this builder
         */
        public Builder hazelcastProperty(String name, String value) {
            hazelcastProperties.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the settings
         * @throws IllegalArgumentException naming the setting that is wrong, or saying how to make the
         *                                  secret when none is given
         */
        public FederationSettings build() {
            if (clusterName.isBlank()) {
                throw new IllegalArgumentException("The federation's cluster name must not be blank");
            }
            if (clusterPort < 0 || clusterPort > 65_535) {
                throw new IllegalArgumentException("Cluster port " + clusterPort
                        + " is not a port; use 1 to 65535, or 0 for a free one");
            }
            for (String peer : peers) {
                requireValidPeer(peer);
            }
            if (lease.isNegative() || lease.isZero()) {
                throw new IllegalArgumentException("Lease must be positive, got " + lease);
            }
            if (maxAgents <= 0 || maxAgentsPerHost <= 0) {
                throw new IllegalArgumentException("Registry limits must be positive, got " + maxAgents
                        + " agents and " + maxAgentsPerHost + " per host");
            }
            // Without a resolvable name the id is still unique enough to tell hosts apart.
            String id = hostId == null || hostId.isBlank()
                    ? HostName.local().orElseGet(() -> "host-" + Long.toHexString(System.nanoTime())) : hostId.strip();
            String host = clusterHost != null ? clusterHost : nameServerEndpoint == null ? null
                    : hostOf(nameServerEndpoint);
            return new FederationSettings(this, id, secret(), host);
        }

        private String secret() {
            if (clusterSecret != null) {
                return requireStrong(clusterSecret.strip(), "The cluster secret given");
            }
            Path file = clusterSecretFile != null ? clusterSecretFile
                    : ZeroAgentsSettings.CLUSTER_SECRET_FILE.find().map(Path::of).orElse(null);
            if (file == null) {
                throw new IllegalArgumentException("A federation needs a secret that all its name servers share,"
                        + " and none was given: write one to a file only the name server's user can read"
                        + " (head -c 32 /dev/urandom | base64 > cluster.secret; chmod 600 cluster.secret), copy it"
                        + " to every name server, and name it with --cluster-secret-file (the daemon) or "
                        + ZeroAgentsSettings.CLUSTER_SECRET_FILE.property() + " / "
                        + ZeroAgentsSettings.CLUSTER_SECRET_FILE.variable());
            }
            try {
                return requireStrong(Files.readString(file, StandardCharsets.UTF_8).strip(),
                        "The cluster secret in " + file);
            } catch (IOException e) {
                throw new IllegalArgumentException("Cannot read the cluster secret file " + file + ": " + e, e);
            }
        }

        private static String requireStrong(String secret, String what) {
            if (secret.length() < MIN_SECRET_LENGTH) {
                throw new IllegalArgumentException(what + " has " + secret.length() + " characters; use at least "
                        + MIN_SECRET_LENGTH + ", random (head -c 32 /dev/urandom | base64)");
            }
            return secret;
        }

        /** The host of a {@code tcp://host:port} endpoint, or null when it is a wildcard or not tcp. */
        private static @Nullable String hostOf(String endpoint) {
            if (!endpoint.startsWith("tcp://")) {
                return null;
            }
            String address = endpoint.substring("tcp://".length());
            int colon = address.lastIndexOf(':');
            String host = colon < 0 ? address : address.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return switch (host) {
                case "", "*", "0.0.0.0", "::", "0:0:0:0:0:0:0:0" -> null;
                default -> host;
            };
        }

        private static void requireValidPeer(String peer) {
            if (peer.isEmpty()) {
                throw new IllegalArgumentException("A federation peer is blank; give host[:port], e.g. ns-b:5701");
            }
            if (peer.contains("://")) {
                throw new IllegalArgumentException("Federation peer '" + peer + "' is an endpoint; give the"
                        + " Hazelcast member address host[:port] of the other name server (its --cluster-port,"
                        + " default " + DEFAULT_CLUSTER_PORT + "), e.g. ns-b:5701, not its tcp:// endpoint");
            }
            int colon = peer.lastIndexOf(':');
            boolean ipv6WithoutPort = peer.indexOf(':') != colon && !peer.startsWith("[");
            if (colon >= 0 && !ipv6WithoutPort && !peer.endsWith("]")) {
                String port = peer.substring(colon + 1);
                if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)
                        || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65_535) {
                    throw new IllegalArgumentException("Federation peer '" + peer + "' has no valid port after"
                            + " ':'; give host[:port], e.g. ns-b:5701");
                }
            }
        }
    }
}
