package io.zeroagents.testkit;

import io.zeroagents.BaseAgent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * A host in a container: a name server daemon and a JVM running agents of the test's own classes
 * ({@link AgentHostMain}), on a Docker network, with CURVE keys of its own.
 *
 * <pre>{@code
 * AgentHostContainer host1 = new AgentHostContainer(network, "host1").withAgent("A1", Worker.class)
 *         .withFederation("host1", "host2", "host3");
 * ...                                                    // host2, host3 alike
 * try (HostGroup<AgentHostContainer> hosts = HostGroup.start(List.of(host1, host2, host3));
 *      NameServer ns = host1.nameServer()) {
 *     assertTrue(AgentAwait.until(() -> ns.agents().size() == 3, Duration.ofSeconds(60)));
 *     host3.kill();
 *     ...
 * }
 * }</pre>
 *
 * <p>The agents register with the host's own name server, or with another host's
 * ({@link #withAgentsRegisteredAt}). The container is started once its agents run. Make every host
 * of a test before starting any (see {@link NameServerContainer} and {@link HostImage}). Not
 * thread-safe, as Testcontainers' containers are not.
 *
 * @since 0.1
 */
public final class AgentHostContainer extends HostContainer<AgentHostContainer> {
    private final List<String> agents = new ArrayList<>();
    private @Nullable String agentNameServer;

    /**
     * A host on the image {@link HostImage#fromSystemProperties()} names.
     *
     * @param network the Docker network
     * @param alias   its name on the network (and its host name)
     */
    public AgentHostContainer(Network network, String alias) {
        this(HostImage.fromSystemProperties(), network, alias);
    }

    /**
     * A host on this image.
     *
     * @param image   the image
     * @param network the Docker network
     * @param alias   its name on the network (and its host name)
     */
    public AgentHostContainer(HostImage image, Network network, String alias) {
        super(image, network, alias);
        waitingFor(Wait.forLogMessage(".*" + AgentHostMain.READY + ".*\\n", 1)
                .withStartupTimeout(Duration.ofSeconds(120)));
    }

    /**
     * Adds an agent the host runs.
     *
     * @param name the agent's name
     * @param type its class, which must be on the image's class path (a test's own classes are)
     * @return this container
     */
    public AgentHostContainer withAgent(String name, Class<? extends BaseAgent> type) {
        agents.add(Objects.requireNonNull(name, "name") + "=" + type.getName());
        return this;
    }

    /**
     * Adds agents of one class.
     *
     * @param type  their class
     * @param names their names
     * @return this container
     */
    public AgentHostContainer withAgents(Class<? extends BaseAgent> type, String... names) {
        for (String name : names) {
            withAgent(name, type);
        }
        return this;
    }

    /**
     * Registers this host's agents with another host's name server instead of its own; this host
     * trusts the other's key at {@code tcp://ALIAS:9091}.
     *
     * @param other the host whose name server the agents use
     * @return this container
     */
    public AgentHostContainer withAgentsRegisteredAt(AgentHostContainer other) {
        return registeredAt(other.alias());
    }

    /**
     * Registers this host's agents with a name server container instead of the host's own; this
     * host trusts its key at {@code tcp://ALIAS:9091}.
     *
     * @param other the name server the agents use
     * @return this container
     */
    public AgentHostContainer withAgentsRegisteredAt(NameServerContainer other) {
        return registeredAt(other.alias());
    }

    private AgentHostContainer registeredAt(String otherAlias) {
        agentNameServer = "tcp://" + otherAlias + ":" + NAME_SERVER_PORT;
        HostKeys.trust(HostKeys.host(alias()), otherAlias, agentNameServer);
        return this;
    }

    @Override
    protected void configure() {
        String nameServer = agentNameServer != null ? agentNameServer : "tcp://127.0.0.1:" + NAME_SERVER_PORT;
        withCommand("sh", "-c", daemonCommand(true, "exec java -Xmx256m -Dzeroagents.default.host=0.0.0.0"
                + " -Dzeroagents.curve.dir=" + KEYS + " " + AgentHostMain.class.getName() + " " + nameServer + " "
                + String.join(" ", agents)));
    }
}
