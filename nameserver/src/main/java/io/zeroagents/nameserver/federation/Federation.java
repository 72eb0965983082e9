package io.zeroagents.nameserver.federation;

import io.zeroagents.NameServerException;
import io.zeroagents.NameServerOptions;
import io.zeroagents.nameserver.registry.LocalRegistry;
import io.zeroagents.nameserver.registry.Registry;

/**
 * Where a name server gets its registry: a {@link LocalRegistry} on its own, a {@link
 * FederatedRegistry} when it has peers.
 *
 * <p>This class refers to no Hazelcast type, so code that runs without Hazelcast on the class path
 * can call it; it checks that Hazelcast is there before starting a federation and says which
 * artifact to add when it is not.
 *
 * @since 0.1
 */
public final class Federation {

    /** The artifact that federation needs, for messages. */
    public static final String HAZELCAST_ARTIFACT = "com.hazelcast:hazelcast";

    private Federation() {
    }

    /**
     * Tells whether Hazelcast is on the class path.
     *
     * @return true if federation can start
     */
    public static boolean available() {
        try {
            Class.forName("com.hazelcast.core.Hazelcast", false, Federation.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Returns the registry for an embedded name server's options: federated when they list peers,
     * local otherwise.
     *
     * @param options the name server's options
     * @return a new registry; a federated one has joined its peers and must be closed
     * @throws NameServerException if the options list peers and Hazelcast is missing or cannot start
     */
    public static Registry registry(NameServerOptions options) {
        if (options.peers().isEmpty()) {
            return new LocalRegistry(options.lease());
        }
        NameServerOptions.Cluster cluster = options.cluster();
        return start(FederationSettings.builder()
                .hostId(cluster.hostId())
                .clusterName(cluster.clusterName())
                .clusterHost(cluster.host())
                .clusterPort(cluster.port())
                .peers(options.peers())
                .lease(options.lease())
                .build());
    }

    /**
     * Starts a federated registry, after checking that Hazelcast is on the class path.
     *
     * @param settings how to join
     * @return the registry
     * @throws NameServerException if Hazelcast is missing or the member cannot start
     */
    public static FederatedRegistry start(FederationSettings settings) {
        if (!available()) {
            throw new NameServerException("Name server federation (peers " + settings.peers() + ") needs Hazelcast:"
                    + " add " + HAZELCAST_ARTIFACT + " to the class path, or run the daemon jar (nameserver.jar),"
                    + " which carries it");
        }
        return FederatedRegistry.start(settings);
    }
}
