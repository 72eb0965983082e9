package io.zeroagents.testkit;

import io.zeroagents.Agents;
import io.zeroagents.NameServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * What the kit's containers share: a name server daemon bound on every interface of a Docker
 * network, with CURVE keys of its own, optionally federated with other hosts' name servers.
 *
 * <p>Every container gets a key directory of its own ({@code keys init}); the hosts of a test and
 * this JVM let each other in and exchange only public certificates. This JVM's runtime runs with
 * its own keys too ({@code zeroagents.curve.dir}, set when the first container is made), and every
 * container lists it as an admin, so the test's proxies may configure and shut down agents. The
 * runtime reads that setting once, when it starts: make the containers before starting any agent
 * in the test's JVM, and make all the hosts of a test before starting any of them (each one's
 * allow-list names those known when it starts).
 *
 * @param <SELF> the container type, as Testcontainers' containers are typed
 */
abstract class HostContainer<SELF extends HostContainer<SELF>> extends GenericContainer<SELF> {
    /** The name server's port in every container. */
    static final int NAME_SERVER_PORT = 9091;
    /** The federation's (Hazelcast's) port in every container. */
    static final int FEDERATION_PORT = 5701;
    /** The secret the federated hosts share: one per test JVM, as an operator would make one. */
    private static final String CLUSTER_SECRET = UUID.randomUUID().toString();
    private static final String KEYS_COPIED = "/keys-in";
    /** Where the container's keys are, owned by its user (the image's HEALTHCHECK reads them there). */
    static final String KEYS = "/tmp/keys";

    private final String alias;
    private final Network network;
    private final List<String> daemonOptions = new ArrayList<>();

    @SuppressWarnings("this-escape") // Testcontainers' own setters, before any subclass state is used.
    HostContainer(HostImage image, Network network, String alias) {
        super(DockerImageName.parse(image.name()));
        this.alias = alias;
        this.network = network;
        HostKeys.useDaemonJar(image.daemonJar());
        Path keys = HostKeys.host(alias);
        // Copied as root's files, readable, then copied again by the container's own user into a
        // directory only it reads, as the key check asks.
        withCopyFileToContainer(MountableFile.forHostPath(keys, 0755), KEYS_COPIED);
        withNetwork(network);
        withNetworkAliases(alias);
        withCreateContainerCmdModifier(cmd -> cmd.withHostName(alias));
    }

    /**
     * Federates this host's name server with the others' (Hazelcast on port 5701, with a cluster
     * secret every host of this JVM shares): each name server then sees every host's agents.
     *
     * @param peers the network aliases of the hosts to federate with (this one may be among them)
     * @return this container
     */
    public SELF withFederation(String... peers) {
        daemonOptions.add("--host-id " + alias + " --cluster-secret-file /tmp/cluster.secret");
        for (String peer : peers) {
            daemonOptions.add("--peer " + peer + ":" + FEDERATION_PORT);
        }
        return self();
    }

    /**
     * Adds options to the name server daemon's command line.
     *
     * @param options daemon options, as {@code java -jar nameserver.jar --help} lists them
     * @return this container
     */
    public SELF withDaemonOptions(String options) {
        daemonOptions.add(options);
        return self();
    }

    /**
     * The host's network alias, which other hosts reach it by.
     *
     * @return the alias
     */
    public String alias() {
        return alias;
    }

    /**
     * The host's name server as this JVM reaches it (the container's address on the network); this
     * JVM trusts the host's key there.
     *
     * @return {@code tcp://IP:9091}
     */
    public String nameServerAddress() {
        String ip = getContainerInfo().getNetworkSettings().getNetworks().values().stream()
                .filter(n -> network.getId().equals(n.getNetworkID())).findFirst()
                .orElseThrow(() -> new IllegalStateException("Host '" + alias + "' is not on the network "
                        + network.getId()))
                .getIpAddress();
        String endpoint = "tcp://" + ip + ":" + NAME_SERVER_PORT;
        HostKeys.trust(HostKeys.runner(), alias, endpoint);
        return endpoint;
    }

    /**
     * Attaches to the host's name server; close it when done.
     *
     * @return the name server
     */
    public NameServer nameServer() {
        return Agents.nameServer(nameServerAddress());
    }

    /** Kills the container at once (SIGKILL), as a machine that loses power; {@code start()} brings it back. */
    public void kill() {
        DockerClientFactory.instance().client().killContainerCmd(getContainerId()).exec();
    }

    /** Stops the container and starts it again, with the same keys and options. */
    public void restart() {
        stop();
        start();
    }

    /**
     * The shell command that prepares the keys and runs the name server; {@code then} follows it.
     *
     * @param background whether the name server runs in the background (then {@code then} runs)
     */
    String daemonCommand(boolean background, String then) {
        String daemon = "java -Xmx256m -Dhazelcast.max.no.heartbeat.seconds=4 -jar /app/nameserver.jar"
                + " --bind tcp://0.0.0.0:" + NAME_SERVER_PORT + " --curve " + KEYS + " "
                + String.join(" ", daemonOptions);
        return "umask 077 && rm -rf " + KEYS + " && cp -r " + KEYS_COPIED + " " + KEYS + " && chmod -R go-rwx " + KEYS
                + " && echo " + CLUSTER_SECRET + " > /tmp/cluster.secret && "
                + (background ? daemon + " & " + then : "exec " + daemon);
    }
}
