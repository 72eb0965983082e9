package io.zeroagents.settings;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * This machine's host name, found one way wherever it is needed (a federated name server's host id,
 * the process id agents report to the console, a host's CURVE key name).
 *
 * <p>{@code $HOSTNAME} comes first: a container sets it to the name its peers know it by, and it
 * costs no lookup, where {@link InetAddress#getLocalHost()} may wait for a resolver that does not
 * answer. The resolver's name is the fallback.
 */
public final class HostName {

    private HostName() {
    }

    /**
     * Finds this machine's host name.
     *
     * @return the name, empty when neither {@code $HOSTNAME} nor the resolver gives one
     */
    public static Optional<String> local() {
        return local(System.getenv("HOSTNAME"));
    }

    /** As {@link #local()}, with the environment's value given, so tests need not set it. */
    static Optional<String> local(@Nullable String fromEnvironment) {
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Optional.of(fromEnvironment.strip());
        }
        try {
            String resolved = InetAddress.getLocalHost().getHostName();
            return resolved.isBlank() ? Optional.empty() : Optional.of(resolved);
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }
}
