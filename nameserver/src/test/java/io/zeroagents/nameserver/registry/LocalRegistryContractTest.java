package io.zeroagents.nameserver.registry;

import java.time.Duration;

/** The registry contract for the in-memory registry of one name server. */
class LocalRegistryContractTest extends RegistryContract {
    private static final Duration LEASE = Duration.ofSeconds(1);
    private final LocalRegistry registry = new LocalRegistry(LEASE);

    @Override
    protected Registry registry() {
        return registry;
    }

    @Override
    protected Duration lease() {
        return LEASE;
    }
}
