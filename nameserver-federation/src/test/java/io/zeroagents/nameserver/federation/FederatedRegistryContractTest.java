package io.zeroagents.nameserver.federation;

import io.zeroagents.nameserver.registry.Registry;
import io.zeroagents.nameserver.registry.RegistryContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The registry contract for a federated registry: two members in this JVM, the tests going
 * through the first; each test's names are its own, so the members are shared.
 */
class FederatedRegistryContractTest extends RegistryContract {
    private static final Duration LEASE = Duration.ofSeconds(2);
    private static TestFederation federation;

    @BeforeAll
    static void startFederation() {
        federation = TestFederation.start(2, LEASE);
    }

    @AfterAll
    static void stopFederation() {
        if (federation != null) {
            federation.close();
        }
    }

    @Override
    protected Registry registry() {
        return federation.member(0);
    }

    @Override
    protected Duration lease() {
        return LEASE;
    }
}
