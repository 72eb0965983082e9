package io.zeroagents.runtime.internal;

import io.zeroagents.spi.AgentRuntime;
import io.zeroagents.spi.AgentRuntimeProvider;

/**
 * Provides the JeroMQ runtime to {@code agent-api} through {@link java.util.ServiceLoader}.
 *
 * <p>Public only because ServiceLoader needs it; not API.
 */
public final class JeroMqRuntimeProvider implements AgentRuntimeProvider {

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public JeroMqRuntimeProvider() {
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public int priority() {
        return 5;
    }

    @Override
    public AgentRuntime create() {
        return new JeroMqRuntime(Settings.fromEnvironment());
    }
}
