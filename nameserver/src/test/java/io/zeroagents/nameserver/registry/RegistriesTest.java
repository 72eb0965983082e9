package io.zeroagents.nameserver.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.NameServerException;
import io.zeroagents.NameServerOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RegistriesTest {

    @Test
    void forOptions_withoutPeers_isALocalRegistryWithTheOptionsLease() {
        Registry registry = Registries.forOptions(NameServerOptions.builder().lease(Duration.ofSeconds(7)).build());

        assertInstanceOf(LocalRegistry.class, registry);
        assertEquals(Duration.ofSeconds(7), registry.lease());
    }

    @Test
    void forOptions_withPeersAndNoFederationOnTheClassPath_namesTheArtifactToAdd() {
        NameServerException refused = assertThrows(NameServerException.class,
                () -> Registries.forOptions(NameServerOptions.builder().peers("127.0.0.1:5701").build()));

        assertTrue(refused.getMessage().contains(Registries.FEDERATION_ARTIFACT), refused.getMessage());
        assertTrue(refused.getMessage().contains("127.0.0.1:5701"), refused.getMessage());
    }
}
