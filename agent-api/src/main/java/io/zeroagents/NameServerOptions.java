package io.zeroagents;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How {@link Agents#runNameServer(NameServerOptions)} starts an embedded name server.
 *
 * @since 0.1
 */
public final class NameServerOptions {
    private static final NameServerOptions DEFAULTS = builder().build();

    private final String address;
    private final Duration lease;
    private final List<String> peers;
    private final Cluster cluster;

    private NameServerOptions(Builder builder) {
        this.address = builder.address;
        this.lease = builder.lease;
        this.peers = List.copyOf(builder.peers);
        this.cluster = builder.cluster;
    }

    /**
     * The defaults: a random loopback port and a 5-second lease.
     *
     * @return the default options
     */
    public static NameServerOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Starts a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The endpoint to bind, e.g. {@code tcp://127.0.0.1:*} (a random port).
     *
     * @return the endpoint to bind, e.g. {@code tcp://127.0.0.1:*} (a random port)
     */
    public String address() {
        return address;
    }

    /**
     * How long a registration lives without a heartbeat from its agent's host.
     *
     * @return how long a registration lives without a heartbeat from its agent's host
     */
    public Duration lease() {
        return lease;
    }

    /**
     * The other name servers to federate with, as {@code host[:port]} addresses of their cluster
     * members; empty for a name server of its own.
     *
     * @return the peers, empty unless set
     * @since 0.1
     */
    public List<String> peers() {
        return peers;
    }

    /**
     * How this name server's cluster member runs when {@link #peers()} is not empty.
     *
     * @return the cluster settings
     * @since 0.1
     */
    public Cluster cluster() {
        return cluster;
    }

    @Override
    public String toString() {
        return "NameServerOptions[address=" + address + ", lease=" + lease
                + (peers.isEmpty() ? "" : ", peers=" + peers + ", " + cluster) + "]";
    }

    /**
     * Where a federated name server's cluster member listens and which federation it belongs to,
     * as the daemon's {@code --cluster-host}, {@code --cluster-port}, {@code --cluster-name} and
     * {@code --host-id} say.
     *
     * @param host        the address the member binds and announces, or null for the host of the
     *                    name server's own address (for a wildcard, one address the cluster engine
     *                    picks); the member listens on that one address only
     * @param port        the member's port, 0 for a free one
     * @param clusterName the federation's name, the same on every name server of it
     * @param hostId      this name-server host's id, recorded in the entries registered through it,
     *                    or null for the machine's host name
     * @since 0.1
     */
    public record Cluster(@Nullable String host, int port, String clusterName, @Nullable String hostId) {
        /**
         * The defaults: the name server's host, port 5701, cluster {@code zeroagents}, the machine's
         * host name. The federation's secret is not an option: it comes from a file, which the
         * setting {@code zeroagents.cluster.secret.file} names.
         */
        public static final Cluster DEFAULTS = new Cluster(null, 5701, "zeroagents", null);

        /**
         * Validates.
         *
         * @throws IllegalArgumentException if the port is out of range or the cluster name blank
         */
        public Cluster {
            Objects.requireNonNull(clusterName, "clusterName");
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("Cluster port " + port + " is not a port; use 1 to 65535, or 0");
            }
            if (clusterName.isBlank()) {
                throw new IllegalArgumentException("Cluster name must not be blank");
            }
        }
    }

    /** Builds {@link NameServerOptions}; {@link #build()} validates. */
    public static final class Builder {
        private String address = "tcp://127.0.0.1:*";
        private Duration lease = Duration.ofSeconds(5);
        private final List<String> peers = new ArrayList<>();
        private Cluster cluster = Cluster.DEFAULTS;

        private Builder() {
        }

        /**
         * Sets the tcp endpoint to bind; {@code *} as the port takes a random free one.
         *
         * @param address e.g. {@code tcp://0.0.0.0:9091}
         * @return this builder
         */
        public Builder address(String address) {
            this.address = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * Sets how long a registration lives without a heartbeat.
         *
         * @param lease at least 100 ms
         * @return this builder
         */
        public Builder lease(Duration lease) {
            this.lease = Objects.requireNonNull(lease, "lease");
            return this;
        }

        /**
         * Federates this name server with others: it runs a cluster member (Hazelcast, from the
         * artifact {@code io.zeroagents:nameserver-federation}, which must then be on the class
         * path) that joins theirs, and
         * {@code agents()} and {@code proxy(name)} see the agents of every host. Every name server of
         * the federation needs the same secret, in the file {@code zeroagents.cluster.secret.file}
         * names; starting fails without it.
         *
         * @param peers {@code host[:port]} cluster addresses of the other name servers (port 5701
         *              when missing); may include this one
         * @return this builder
         * @since 0.1
         */
        public Builder peers(Collection<String> peers) {
            for (String peer : peers) {
                this.peers.add(Objects.requireNonNull(peer, "peer"));
            }
            return this;
        }

        /**
         * Federates this name server with others; see {@link #peers(Collection)}.
         *
         * @param peers {@code host[:port]} cluster addresses of the other name servers
         * @return this builder
         * @since 0.1
         */
        public Builder peers(String... peers) {
            return peers(List.of(peers));
        }

        /**
         * Sets where the cluster member of a federated name server listens and which federation it
         * belongs to; used only with {@link #peers(Collection)}.
         *
         * @param cluster the settings
         * @return this builder
         * @since 0.1
         */
        public Builder cluster(Cluster cluster) {
            this.cluster = Objects.requireNonNull(cluster, "cluster");
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the options
         * @throws IllegalArgumentException naming the setting that is out of range
         */
        public NameServerOptions build() {
            if (!address.startsWith("tcp://")) {
                throw new IllegalArgumentException(
                        "Name server address '" + address + "' must be a tcp endpoint, e.g. tcp://127.0.0.1:9091");
            }
            if (lease.compareTo(Duration.ofMillis(100)) < 0) {
                throw new IllegalArgumentException("lease must be at least 100 ms, got " + lease);
            }
            return new NameServerOptions(this);
        }
    }
}
