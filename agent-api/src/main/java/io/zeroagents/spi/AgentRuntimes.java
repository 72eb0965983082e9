package io.zeroagents.spi;

import io.zeroagents.RuntimeNotFoundException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Finds the runtime with {@link ServiceLoader}, once per JVM.
 *
 * @since 0.1
 */
public final class AgentRuntimes {
    /** The system property that forces a provider by class name. */
    public static final String PROVIDER_PROPERTY = "zeroagents.runtime";

    private static final Object LOCK = new Object();
    private static @Nullable AgentRuntime runtime;

    private AgentRuntimes() {
    }

    /**
     * The runtime of this JVM, created on first use.
     *
     * @return the runtime
     * @throws RuntimeNotFoundException naming {@code io.zeroagents:agent-runtime} when no provider is
     *                                  available, or naming the forced provider when it is missing
     */
    public static AgentRuntime get() {
        synchronized (LOCK) {
            AgentRuntime current = runtime;
            if (current == null) {
                current = select(ServiceLoader.load(AgentRuntimeProvider.class, AgentRuntimes.class.getClassLoader()))
                        .create();
                runtime = current;
            }
            return current;
        }
    }

    /**
     * Chooses among providers: the forced one, else the available one of highest priority.
     *
     * @param candidates the providers found
     * @return the chosen provider
     * @throws RuntimeNotFoundException when none fits
     */
    static AgentRuntimeProvider select(Iterable<AgentRuntimeProvider> candidates) {
        List<AgentRuntimeProvider> available = new ArrayList<>();
        List<String> found = new ArrayList<>();
        for (AgentRuntimeProvider provider : candidates) {
            found.add(provider.getClass().getName());
            if (provider.isAvailable()) {
                available.add(provider);
            }
        }
        String forced = System.getProperty(PROVIDER_PROPERTY);
        if (forced != null && !forced.isBlank()) {
            return available.stream()
                    .filter(p -> p.getClass().getName().equals(forced.trim()))
                    .findFirst()
                    .orElseThrow(() -> new RuntimeNotFoundException("The runtime provider '" + forced
                            + "' named by -D" + PROVIDER_PROPERTY + " is not available (found: " + found + ")"));
        }
        if (available.isEmpty()) {
            throw new RuntimeNotFoundException("No ZeroAgents runtime on the class path"
                    + (found.isEmpty() ? "" : " (unavailable providers: " + found + ")")
                    + ". Add the artifact io.zeroagents:agent-runtime as a runtime dependency"
                    + " next to io.zeroagents:agent-api.");
        }
        available.sort(Comparator.comparingInt(AgentRuntimeProvider::priority).reversed());
        if (available.size() > 1) {
            Logger.getLogger(AgentRuntimes.class.getName()).warning("Several ZeroAgents runtimes found "
                    + available.stream().map(p -> p.getClass().getName()).toList() + "; using "
                    + available.get(0).getClass().getName() + " (force one with -D" + PROVIDER_PROPERTY + ")");
        }
        return available.get(0);
    }
}
