package io.zeroagents.spi;

/**
 * Makes a runtime available to {@link io.zeroagents.Agents}; found with
 * {@link java.util.ServiceLoader} under {@code META-INF/services/io.zeroagents.spi.AgentRuntimeProvider}.
 *
 * <p>Among available providers the one with the highest {@link #priority()} wins; the system
 * property {@code zeroagents.runtime} (a provider class name) forces one.
 *
 * @since 0.1
 */
public interface AgentRuntimeProvider {

    /**
     * Whether this provider can work in this JVM.
     *
     * @return {@code true} when it can
     */
    boolean isAvailable();

    /**
     * The provider's rank; higher wins.
     *
     * @return a number from 0 to 10, 5 for ordinary runtimes
     */
    int priority();

    /**
     * Creates the runtime; called at most once per JVM.
     *
     * @return the runtime
     */
    AgentRuntime create();
}
