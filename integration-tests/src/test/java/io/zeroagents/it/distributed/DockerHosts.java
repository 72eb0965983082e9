package io.zeroagents.it.distributed;

import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import io.zeroagents.testsupport.ChildProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;
import org.zeromq.ZConfig;

/**
 * Hosts for the distributed tests: containers of one image on a Docker network, each running a
 * name server and a JVM of agents, and the faults tests inflict on them.
 *
 * <p>The image is {@code -Dzeroagents.test.image} when given (e.g. one built from
 * {@code src/test/docker/Dockerfile} {@code FROM eclipse-temurin:21-jre}); otherwise it is built
 * here without any registry by {@code src/test/docker/build-image.sh}, once per class path. Without
 * Docker the tests skip with the reason, except under {@code CI=true}, where a skip would hide
 * them, so it fails.
 *
 * <p>The hosts bind on every interface of their network, so they run with CURVE, as
 * docs/security.md tells users to: every host has a key directory of its own ({@link HostKeys}),
 * copied into its container alone, and hosts exchange only public certificates. This JVM is a host
 * too, with its own keys ({@code zeroagents.curve.dir}), which every container lets in and lists in
 * its {@code admins} file, so the test's proxies reach their agents and may bind, shut down and do
 * whatever else only an admin of a host may. The JVM's runtime reads that setting once, when it
 * starts: these tests run in a JVM of their own (surefire's {@code distributed} execution), which
 * starts no agent before them. The hosts of a test are made before any of them starts, so that each
 * one's allow-list names all.
 */
public final class DockerHosts {
    /** The name server's port inside every host. */
    public static final int NAME_SERVER_PORT = 9091;
    /** The daemon option naming the cluster secret file every host writes before its name server starts. */
    public static final String CLUSTER_SECRET_OPTION = "--cluster-secret-file /tmp/cluster.secret";
    /** The secret the federated hosts share: one per test run, as an operator would make it. */
    private static final String CLUSTER_SECRET = java.util.UUID.randomUUID().toString();
    /** Where every host finds its key directory. */
    private static final String KEYS_IN_HOST = "/keys";
    private static final String CURVE_SETTING = "zeroagents.curve.dir";
    private static final List<String> NOT_IN_IMAGE = List.of("testcontainers", "docker-java", "junit-", "jna-",
            "commons-compress", "duct-tape", "opentest4j", "apiguardian", "surefire", "jackson-annotations-2.1",
            "selenium-", "opentelemetry-", "byte-buddy-");
    private static String image;

    private DockerHosts() {
    }

    /** Skips the calling test without Docker, or fails it under CI. */
    public static void requireDocker() {
        boolean available;
        try {
            available = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            available = false;
        }
        if (!available) {
            String reason = "Docker is not available (start an engine as ../shared/ci-docker.md shows)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(reason + "; under CI=true the distributed tests must run");
            }
            Assumptions.abort(reason);
        }
    }

    /** The hosts' image, built on first use. */
    public static synchronized String image() {
        if (image != null) {
            return image;
        }
        String given = System.getProperty("zeroagents.test.image");
        image = given != null && !given.isBlank() ? given : build();
        return image;
    }

    private static String build() {
        try {
            Path jar = Path.of(System.getProperty("zeroagents.test.nameserver.jar"));
            List<String> entries = ChildProcess.testClassPath().stream()
                    .filter(entry -> Files.exists(Path.of(entry)))
                    .filter(entry -> NOT_IN_IMAGE.stream().noneMatch(Path.of(entry).getFileName().toString()::startsWith))
                    .toList();
            long stamp = Files.getLastModifiedTime(jar).toMillis() * 31
                    + Files.getLastModifiedTime(Path.of(System.getProperty("zeroagents.test.image.script"))).toMillis();
            for (String entry : entries) {
                stamp = 31 * stamp + Files.getLastModifiedTime(Path.of(entry)).toMillis();
            }
            String tag = "zeroagents-hosts:" + Long.toHexString(stamp).toLowerCase(Locale.ROOT);
            if (exists(tag)) {
                return tag;
            }
            Path list = Files.createTempFile("zeroagents-classpath", ".txt");
            Files.write(list, entries, StandardCharsets.UTF_8);
            ProcessBuilder builder = new ProcessBuilder("bash", System.getProperty("zeroagents.test.image.script"), tag,
                    list.toString(), jar.toString()).redirectErrorStream(true);
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("Building the hosts' image failed:\n" + output);
            }
            Files.deleteIfExists(list);
            return tag;
        } catch (IOException | InterruptedException e) {
            throw failure("build the hosts' image", e);
        }
    }

    /** What a preparation that failed throws; an interrupt stays set for the caller to see. */
    private static IllegalStateException failure(String doing, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new IllegalStateException("Cannot " + doing + ": " + e, e);
    }

    private static boolean exists(String tag) {
        try {
            client().inspectImageCmd(tag).exec();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * This JVM's key directory ({@link HostKeys#runner()}), named by {@code zeroagents.curve.dir} for
     * this JVM before its agent runtime starts.
     */
    public static Path keys() {
        return HostKeys.runner();
    }

    /** The Docker client Testcontainers uses, for faults it has no method for. */
    public static DockerClient client() {
        return DockerClientFactory.instance().client();
    }

    /**
     * A host: a name server bound on all interfaces, plus a JVM running {@link Collector} agents
     * registered with {@code agentNameServer} (its own name server when {@code null}, else another
     * host's, {@code tcp://ALIAS:PORT}, which this host then trusts there), both with the host's own
     * CURVE keys ({@link HostKeys#host}).
     */
    @SuppressWarnings("resource")
    public static GenericContainer<?> host(Network network, String alias, String nameServerOptions,
                                           String agentNameServer, String... agents) {
        Path hostKeys = HostKeys.host(alias);
        if (agentNameServer != null) {
            String other = agentNameServer.substring("tcp://".length(), agentNameServer.lastIndexOf(':'));
            HostKeys.trust(hostKeys, other, agentNameServer);
        }
        String nameServer = agentNameServer != null ? agentNameServer : "tcp://127.0.0.1:" + NAME_SERVER_PORT;
        String command = "umask 077 && echo " + CLUSTER_SECRET + " > /tmp/cluster.secret && "
                + "java -Xmx256m -Dhazelcast.max.no.heartbeat.seconds=4 -jar /app/nameserver.jar"
                + " --bind tcp://0.0.0.0:" + NAME_SERVER_PORT + " --curve " + KEYS_IN_HOST + " " + nameServerOptions
                + " & exec java -Xmx256m -Dzeroagents.default.host=0.0.0.0 -D" + CURVE_SETTING + "=" + KEYS_IN_HOST
                + " " + HostProgram.class.getName() + " " + nameServer + " " + String.join(" ", agents);
        return new GenericContainer<>(DockerImageName.parse(image()))
                // The host's modes travel with the files: secrets 600, as the key check asks.
                .withCopyFileToContainer(MountableFile.forHostPath(hostKeys), KEYS_IN_HOST)
                .withNetwork(network)
                .withNetworkAliases(alias)
                .withCreateContainerCmdModifier(cmd -> cmd.withHostName(alias))
                .withCommand("sh", "-c", command)
                .waitingFor(Wait.forLogMessage(".*READY.*\\n", 1).withStartupTimeout(Duration.ofSeconds(90)));
    }

    /** The host's address on the network, reachable from the Docker host. */
    public static String ip(GenericContainer<?> host, Network network) {
        return host.getContainerInfo().getNetworkSettings().getNetworks().values().stream()
                .filter(n -> network.getId().equals(n.getNetworkID())).findFirst()
                .orElseThrow(() -> new IllegalStateException(host.getContainerName() + " is not on the network"))
                .getIpAddress();
    }

    /**
     * The host's name server, as the Docker host reaches it; this JVM trusts the host's key there.
     */
    public static String nameServer(GenericContainer<?> host, Network network) {
        String endpoint = "tcp://" + ip(host, network) + ":" + NAME_SERVER_PORT;
        String alias = host.getNetworkAliases().stream().filter(HostKeys::known).findFirst()
                .orElseThrow(() -> new IllegalStateException(host.getContainerName() + " has no keys of a host"));
        HostKeys.trust(keys(), alias, endpoint);
        return endpoint;
    }
}
