package io.zeroagents.nameserver.registry;

import io.zeroagents.NameServerOptions;

/**
 * Starts the registry of a name server that federates with peers: the service an embedded name
 * server looks up with {@link java.util.ServiceLoader} when its {@link NameServerOptions} list
 * peers.
 *
 * <p>The {@code nameserver-federation} artifact provides one, on Hazelcast; a name server without
 * peers never looks for it, so applications that do not federate need neither that artifact nor
 * Hazelcast.
 *
 * @since 0.1
 */
public interface FederationProvider {

    /**
     * Joins the federation the options describe and returns its registry.
     *
     * @param options the name server's options; they list at least one peer
     * @return a registry that has joined its peers; the name server closes it (it is
     *         {@link AutoCloseable}) when it closes
     * @throws io.zeroagents.NameServerException if the federation cannot start
     */
    Registry join(NameServerOptions options);
}
