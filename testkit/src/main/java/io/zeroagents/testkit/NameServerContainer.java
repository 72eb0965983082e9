package io.zeroagents.testkit;

import java.time.Duration;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * A name server daemon in a container on a Docker network, with CURVE keys of its own, healthy
 * once {@code agents ping} answers.
 *
 * <pre>{@code
 * try (Network network = Network.newNetwork();
 *      NameServerContainer registry = new NameServerContainer(network, "registry")) {
 *     registry.start();
 *     try (NameServer ns = registry.nameServer()) {
 *         Proxy alice = Agents.runAgent("Alice", AgentOptions.builder().nameServer(ns.address()).build());
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>Agents in other containers reach it at {@code tcp://ALIAS:9091}; see {@link AgentHostContainer}
 * for hosts with agents, and {@link HostImage} for the image. Not thread-safe, as Testcontainers'
 * containers are not.
 *
 * @since 0.1
 */
public final class NameServerContainer extends HostContainer<NameServerContainer> {
    /** The name server's port inside the container. */
    public static final int PORT = NAME_SERVER_PORT;

    /**
     * A name server on the image {@link HostImage#fromSystemProperties()} names.
     *
     * @param network the Docker network
     * @param alias   its name on the network (and its host name)
     */
    public NameServerContainer(Network network, String alias) {
        this(HostImage.fromSystemProperties(), network, alias);
    }

    /**
     * A name server on this image.
     *
     * @param image   the image
     * @param network the Docker network
     * @param alias   its name on the network (and its host name)
     */
    public NameServerContainer(HostImage image, Network network, String alias) {
        super(image, network, alias);
        waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofSeconds(120)));
    }

    @Override
    protected void configure() {
        withCommand("sh", "-c", daemonCommand(false, ""));
    }
}
