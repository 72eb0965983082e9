package io.zeroagents.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.testcontainers.lifecycle.Startable;
import org.testcontainers.lifecycle.Startables;

/**
 * The hosts of one test, started together and stopped together, for a try-with-resources block.
 *
 * <pre>{@code
 * try (Network network = Network.newNetwork();
 *      HostGroup<AgentHostContainer> hosts = HostGroup.start(List.of(host1, host2, host3))) {
 *     hosts.get(2).kill();
 *     ...
 * }
 * }</pre>
 *
 * <p>{@link #start} starts every container at once, each on a thread of its own, and returns when
 * all run (federated name servers then find each other as they come up). Make the containers
 * before starting the group, as {@link AgentHostContainer} asks. Not thread-safe.
 *
 * @param <T> the type of the containers (any Testcontainers {@link Startable})
 * @since 0.1
 */
public final class HostGroup<T extends Startable> implements AutoCloseable {
    private final List<T> hosts;

    private HostGroup(List<T> hosts) {
        this.hosts = hosts;
    }

    /**
     * Starts the containers, all at once, and waits until every one runs. When one fails to start,
     * every container is stopped and that failure is thrown.
     *
     * @param hosts the containers, made and configured
     * @param <T>   their type
     * @return the running group, which stops them when closed
     * @throws RuntimeException the first failure to start, after every container was stopped
     */
    public static <T extends Startable> HostGroup<T> start(List<T> hosts) {
        HostGroup<T> group = new HostGroup<>(List.copyOf(hosts));
        try {
            Startables.deepStart(group.hosts).join();
        } catch (CompletionException e) {
            RuntimeException failure = e.getCause() instanceof RuntimeException cause ? cause
                    : new IllegalStateException("A host of the group failed to start", e.getCause());
            try {
                group.close();
            } catch (RuntimeException stopFailure) {
                failure.addSuppressed(stopFailure);
            }
            throw failure;
        }
        return group;
    }

    /**
     * A container of the group.
     *
     * @param index its position in the list given to {@link #start}
     * @return the container
     */
    public T get(int index) {
        return hosts.get(index);
    }

    /**
     * The containers, in the order given to {@link #start}.
     *
     * @return an unmodifiable list
     */
    public List<T> hosts() {
        return hosts;
    }

    /**
     * Stops every container, each even when stopping another failed.
     *
     * @throws RuntimeException the first failure to stop, with the later ones suppressed
     */
    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (T host : hosts) {
            try {
                host.stop();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }
}
