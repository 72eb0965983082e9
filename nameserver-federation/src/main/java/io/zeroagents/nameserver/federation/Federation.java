package io.zeroagents.nameserver.federation;

import io.zeroagents.NameServerException;
import io.zeroagents.NameServerOptions;
import io.zeroagents.nameserver.registry.FederationProvider;
import io.zeroagents.nameserver.registry.Registry;

/**
 * The federation an embedded name server finds with {@link java.util.ServiceLoader} when its
 * options list peers (registered in {@code META-INF/services}), and the daemon's way to start one.
 *
 * <p>This class refers to no Hazelcast type, so it loads even when an application left Hazelcast
 * out of its class path; it checks that Hazelcast is there before starting a federation and says
 * which artifact to add when it is not.
 *
 * @since 0.1
 */
public final class Federation implements FederationProvider {

    /** The artifact that federation needs, for messages. */
    public static final String HAZELCAST_ARTIFACT = "com.hazelcast:hazelcast";

    /** For {@link java.util.ServiceLoader}; the static methods need no instance. */
    public Federation() {
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
     * Joins the federation an embedded name server's options describe, with the secret in the file
     * {@code zeroagents.cluster.secret.file} names; without {@code cluster().host()}, the member
     * binds the name server's own host.
     *
     * @param options the name server's options, with at least one peer
     * @return the registry, which has joined its peers and must be closed
     * @throws NameServerException if Hazelcast is missing or the member cannot start
     * @throws IllegalArgumentException if no cluster secret is set, or a setting is wrong
     */
    @Override
    public Registry join(NameServerOptions options) {
        NameServerOptions.Cluster cluster = options.cluster();
        return start(FederationSettings.builder()
                .hostId(cluster.hostId())
                .clusterName(cluster.clusterName())
                .clusterHost(cluster.host())
                .nameServerEndpoint(options.address())
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
