package io.zeroagents;

import java.io.Serializable;
import org.jspecify.annotations.Nullable;

/**
 * A function run inside an agent with {@link AgentOperations#executeAsFunction} (osBrain's
 * {@code execute_as_function}): it gets the call's arguments but not the agent.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface AgentFunction extends Serializable {
    /**
     * Runs on the agent's loop thread (for safe calls).
     *
     * @param args the call's arguments, possibly none
     * @return the result, or {@code null}
     * @throws Exception any failure; re-thrown to the caller as a {@link RemoteAgentException}
     */
    @Nullable Object apply(@Nullable Object... args) throws Exception;
}
