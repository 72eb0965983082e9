package io.zeroagents.nameserver.registry;

import static io.zeroagents.nameserver.TestEntries.agent;
import static io.zeroagents.nameserver.TestEntries.owner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.nameserver.protocol.AgentEntry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A local registry holds at most its limits, in total and per host: a new entry beyond either is
 * refused with a message naming the agent, its host and the setting, while what it holds is
 * renewed and re-registered as before, and entries whose lease ran out make room.
 */
class LocalRegistryLimitsTest {
    private static final Duration LEASE = Duration.ofSeconds(10);

    private final AtomicLong clock = new AtomicLong();
    private final LocalRegistry registry = new LocalRegistry(LEASE, clock::get, 4, 2);

    @Test
    void register_beyondTheLimitPerHost_isRefusedNamingAgentHostAndSetting() {
        registry.register(agent("A1", "h1"), owner("h1"));
        registry.register(agent("A2", "h1"), owner("h1"));

        RegistryFullException e = assertThrows(RegistryFullException.class,
                () -> registry.register(agent("A3", "h1"), owner("h1")));

        assertTrue(e.getMessage().contains("'A3'") && e.getMessage().contains("h1")
                && e.getMessage().contains("zeroagents.nameserver.max.agents.per.host"), e.getMessage());
        registry.register(agent("B1", "h2"), owner("h2"));
        assertEquals(List.of("A1", "A2", "B1"), names());
    }

    @Test
    void register_beyondTheTotal_isRefusedNamingAgentHostAndSetting() {
        registry.register(agent("A1", "h1"), owner("h1"));
        registry.register(agent("B1", "h2"), owner("h2"));
        registry.register(agent("C1", "h3"), owner("h3"));
        registry.register(agent("D1", "h4"), owner("h4"));

        RegistryFullException e = assertThrows(RegistryFullException.class,
                () -> registry.register(agent("E1", "h5"), owner("h5")));

        assertTrue(e.getMessage().contains("'E1'") && e.getMessage().contains("h5")
                && e.getMessage().contains("zeroagents.nameserver.max.agents)"), e.getMessage());
        assertEquals(List.of("A1", "B1", "C1", "D1"), names());
    }

    @Test
    void full_entriesHeldAreRenewedAndRegisteredAgain() {
        registry.register(agent("A1", "h1"), owner("h1"));
        registry.register(agent("A2", "h1"), owner("h1"));

        registry.register(agent("A2", "h1").toBuilder().setControlEndpoint("tcp://127.0.0.1:7100").build(), owner("h1"));
        assertEquals(List.of(), registry.renew(owner("h1"), List.of("A1", "A2")));
        assertEquals("tcp://127.0.0.1:7100", registry.lookup("A2").orElseThrow().getControlEndpoint());
    }

    @Test
    void full_leasesRunOut_makeRoomAndAreStillReportedAsExpired() {
        registry.register(agent("A1", "h1"), owner("h1"));
        registry.register(agent("A2", "h1"), owner("h1"));
        clock.addAndGet(LEASE.plusMillis(1).toNanos());

        registry.register(agent("A3", "h1"), owner("h1"));

        assertEquals(List.of("A3"), names());
        assertEquals(List.of("A1", "A2"), registry.expire().stream().map(AgentEntry::getName).toList());
    }

    @Test
    void unregisterAndEvict_makeRoom() {
        registry.register(agent("A1", "h1"), owner("h1"));
        registry.register(agent("A2", "h1"), owner("h1"));

        registry.unregister("A1", owner("h1"));
        registry.register(agent("A3", "h1"), owner("h1"));
        registry.evict("A2");
        registry.register(agent("A4", "h1"), owner("h1"));

        assertEquals(List.of("A3", "A4"), names());
    }

    @Test
    void constructor_limitsNotPositive_areRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LocalRegistry(LEASE, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new LocalRegistry(LEASE, 1, 0));
    }

    private List<String> names() {
        return registry.list().stream().map(AgentEntry::getName).toList();
    }
}
