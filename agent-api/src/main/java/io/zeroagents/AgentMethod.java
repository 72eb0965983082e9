package io.zeroagents;

import java.io.Serializable;
import org.jspecify.annotations.Nullable;

/**
 * A method added to a running agent with {@link AgentOperations#setMethod} and called by name with
 * {@link AgentOperations#call}.
 *
 * <p>Like osBrain's {@code set_method}: {@code agent.setMethod("add", (self, args) ->
 * self.getAttr("x", Integer.class) + self.getAttr("y", Integer.class))}.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface AgentMethod extends Serializable {
    /**
     * Runs the method on the agent's loop thread (for safe calls).
     *
     * @param self the agent the method was added to
     * @param args the arguments of the call, possibly none
     * @return the result, or {@code null}
     * @throws Exception any failure; re-thrown to the caller as a {@link RemoteAgentException}
     */
    @Nullable Object invoke(Agent self, @Nullable Object... args) throws Exception;
}
