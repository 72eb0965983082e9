package io.zeroagents.nameserver.registry;

import io.zeroagents.NameServerException;
import io.zeroagents.NameServerOptions;
import java.util.Iterator;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Where an embedded name server gets its registry: a {@link LocalRegistry} on its own, the
 * {@link FederationProvider} on the class path when its options list peers.
 *
 * @since 0.1
 */
public final class Registries {

    /** The artifact that provides federation, for messages. */
    public static final String FEDERATION_ARTIFACT = "io.zeroagents:nameserver-federation";

    private Registries() {
    }

    /**
     * Returns the registry for an embedded name server's options: federated when they list peers,
     * local otherwise.
     *
     * @param options the name server's options
     * @return a new registry; a federated one has joined its peers and must be closed
     * @throws NameServerException if the options list peers and no federation is on the class
     *                             path, or it cannot start
     */
    public static Registry forOptions(NameServerOptions options) {
        if (options.peers().isEmpty()) {
            return new LocalRegistry(options.lease());
        }
        return federation(options).join(options);
    }

    private static FederationProvider federation(NameServerOptions options) {
        Iterator<FederationProvider> providers =
                ServiceLoader.load(FederationProvider.class, Registries.class.getClassLoader()).iterator();
        try {
            if (providers.hasNext()) {
                return providers.next();
            }
        } catch (ServiceConfigurationError e) {
            throw new NameServerException("Name server federation (peers " + options.peers()
                    + ") could not be loaded: " + e.getMessage(), e);
        }
        throw new NameServerException("Name server federation (peers " + options.peers() + ") needs "
                + FEDERATION_ARTIFACT + " on the class path (it brings Hazelcast), or run the daemon jar"
                + " (nameserver.jar), which carries it");
    }
}
