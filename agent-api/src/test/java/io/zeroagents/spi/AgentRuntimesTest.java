package io.zeroagents.spi;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.RuntimeNotFoundException;
import io.zeroagents.testsupport.SystemProperties;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentRuntimesTest {

    /** A provider that reports what it is told and never creates anything. */
    static class FakeProvider implements AgentRuntimeProvider {
        private final boolean available;
        private final int priority;

        FakeProvider(boolean available, int priority) {
            this.available = available;
            this.priority = priority;
        }

        @Override
        public boolean isAvailable() {
            return available;
        }

        @Override
        public int priority() {
            return priority;
        }

        @Override
        public AgentRuntime create() {
            throw new UnsupportedOperationException();
        }
    }

    /** A second provider class, to force by name. */
    static final class OtherProvider extends FakeProvider {
        OtherProvider() {
            super(true, 1);
        }
    }

    @Test
    void select_noProvider_namesTheArtifactToAdd() {
        RuntimeNotFoundException refused = assertThrows(RuntimeNotFoundException.class,
                () -> AgentRuntimes.select(List.of()));

        assertTrue(refused.getMessage().contains("io.zeroagents:agent-runtime"), refused.getMessage());
    }

    @Test
    void select_onlyUnavailableProviders_listsThem() {
        RuntimeNotFoundException refused = assertThrows(RuntimeNotFoundException.class,
                () -> AgentRuntimes.select(List.of(new FakeProvider(false, 9))));

        assertTrue(refused.getMessage().contains("FakeProvider"), refused.getMessage());
    }

    @Test
    void select_severalAvailable_highestPriorityWins() {
        FakeProvider low = new FakeProvider(true, 1);
        FakeProvider high = new FakeProvider(true, 7);

        assertSame(high, AgentRuntimes.select(List.of(low, high, new FakeProvider(false, 10))));
    }

    @Test
    void select_forcedByProperty_winsOverPriority() {
        OtherProvider forced = new OtherProvider();

        AgentRuntimeProvider selected = SystemProperties.with(AgentRuntimes.PROVIDER_PROPERTY,
                OtherProvider.class.getName(), () -> AgentRuntimes.select(List.of(new FakeProvider(true, 9), forced)));

        assertSame(forced, selected);
    }

    @Test
    void select_forcedProviderMissing_saysSo() {
        RuntimeNotFoundException refused = SystemProperties.with(AgentRuntimes.PROVIDER_PROPERTY,
                "com.example.Missing", () -> assertThrows(RuntimeNotFoundException.class,
                        () -> AgentRuntimes.select(List.of(new FakeProvider(true, 9)))));
        assertTrue(refused.getMessage().contains("com.example.Missing"), refused.getMessage());
    }
}
