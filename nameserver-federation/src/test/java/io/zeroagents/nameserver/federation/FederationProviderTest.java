package io.zeroagents.nameserver.federation;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.zeroagents.nameserver.registry.FederationProvider;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** Embedded name servers find the federation with ServiceLoader (see Registries in nameserver). */
class FederationProviderTest {

    @Test
    void serviceLoader_findsTheHazelcastFederation() {
        assertInstanceOf(Federation.class, ServiceLoader.load(FederationProvider.class).findFirst().orElseThrow());
    }
}
