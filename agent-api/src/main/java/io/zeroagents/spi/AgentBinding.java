package io.zeroagents.spi;

import io.zeroagents.Agent;
import io.zeroagents.AgentException;
import io.zeroagents.BaseAgent;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import org.jspecify.annotations.Nullable;

/**
 * Lets a runtime create a {@link BaseAgent} subclass bound to the runtime's own agent, without a
 * public setter users could misuse: the binding is visible to the constructor only while
 * {@link #instantiate} runs it, on the calling thread.
 *
 * @since 0.1
 */
public final class AgentBinding {
    private static final ThreadLocal<@Nullable Agent> CONSTRUCTING = new ThreadLocal<>();

    private AgentBinding() {
    }

    /**
     * Creates an agent object through its no-argument constructor, bound to {@code self}.
     *
     * @param type the agent class
     * @param self the runtime's agent every {@link BaseAgent} method delegates to
     * @param <A>  the agent class
     * @return the new instance
     * @throws AgentException naming the class when it has no accessible no-argument constructor or
     *                        the constructor threw
     */
    public static <A extends BaseAgent> A instantiate(Class<A> type, Agent self) {
        Constructor<A> constructor;
        try {
            constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
        } catch (NoSuchMethodException | RuntimeException e) {
            throw new AgentException("Agent class " + type.getName()
                    + " needs a no-argument constructor the runtime can call", e);
        }
        CONSTRUCTING.set(self);
        try {
            return constructor.newInstance();
        } catch (InvocationTargetException e) {
            throw new AgentException("Constructor of agent class " + type.getName() + " for agent '"
                    + self.name() + "' threw " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new AgentException("Cannot instantiate agent class " + type.getName(), e);
        } finally {
            CONSTRUCTING.remove();
        }
    }

    /**
     * The agent being constructed on this thread; called by {@link BaseAgent}'s constructor.
     *
     * @return the runtime's agent
     * @throws IllegalStateException when no construction is under way
     */
    public static Agent current() {
        Agent agent = CONSTRUCTING.get();
        if (agent == null) {
            throw new IllegalStateException("Agents are created by the runtime, not with new: use "
                    + "Agents.runAgent(name, AgentOptions.of(YourAgent.class))");
        }
        return agent;
    }
}
