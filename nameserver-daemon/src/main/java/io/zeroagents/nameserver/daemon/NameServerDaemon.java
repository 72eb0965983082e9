package io.zeroagents.nameserver.daemon;

import io.zeroagents.nameserver.NameServerService;
import io.zeroagents.nameserver.console.ConsoleServer;
import io.zeroagents.nameserver.federation.FederatedRegistry;
import io.zeroagents.nameserver.federation.Federation;
import io.zeroagents.nameserver.federation.FederationSettings;
import io.zeroagents.nameserver.registry.LocalRegistry;
import io.zeroagents.nameserver.registry.Registry;
import io.zeroagents.transport.CurveKeys;
import io.zeroagents.transport.Endpoints;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The name-server daemon: {@code java -jar nameserver.jar --bind tcp://0.0.0.0:9091 --curve DIR} serves
 * until SIGTERM (or a client's shutdown request), then closes cleanly. Beyond loopback it refuses to
 * start without CURVE ({@code --curve}, keys made by {@code keys init DIR}) unless
 * {@code --insecure-no-curve} says plain text is wanted there. With {@code --peer host:port}
 * (repeated) it federates with other name servers over Hazelcast: every one of them sees the agents
 * of all. The same jar is the command line
 * for a running name server: {@code java -jar nameserver.jar agents list --ns tcp://host:9091}.
 *
 * <p>Exit codes: 0 success, 1 the name server failed or was unreachable, 2 bad usage, 3 no such
 * agent or alias.
 */
@Command(name = "nameserver", mixinStandardHelpOptions = true, versionProvider = JarVersion.class,
        description = "Runs a ZeroAgents name server until SIGTERM, or talks to a running one (see 'agents').",
        subcommands = {AgentsCommand.class, KeysCommand.class})
public final class NameServerDaemon implements Callable<Integer> {
    /** Exit code when the name server failed or could not be reached. */
    static final int EXIT_FAILURE = 1;
    /** Exit code when the agent or alias asked for does not exist. */
    static final int EXIT_UNKNOWN = 3;
    /** The flag that lets the daemon serve plain text where other machines reach it. */
    static final String INSECURE_FLAG = "--insecure-no-curve";

    @Option(names = "--bind", defaultValue = "tcp://127.0.0.1:9091", paramLabel = "ENDPOINT",
            description = "Endpoint to serve on; * as the port takes a free one (default: ${DEFAULT-VALUE}).")
    private String bind = "tcp://127.0.0.1:9091";

    // The lease and the cluster's port and name default to the fields' initial values, which picocli
    // shows as ${DEFAULT-VALUE}: agent-api's NameServerOptions writes them once, for embedded name
    // servers and the daemon alike.
    @Option(names = "--lease", paramLabel = "MILLIS",
            description = "How long a registration lives without a heartbeat, in ms (default: ${DEFAULT-VALUE}).")
    private long leaseMillis = FederationSettings.DEFAULT_LEASE.toMillis();

    @Option(names = "--peer", paramLabel = "HOST[:PORT]",
            description = {"Federates with the name server whose cluster member listens there (its --cluster-port);"
                    + " repeat for each. Every name server of a federation should list the same"
                    + " peers, itself included or not. Without --peer the name server runs on its own."})
    private List<String> peers = new ArrayList<>();

    @Option(names = "--cluster-host", paramLabel = "HOST",
            description = "Address of this machine the cluster member binds and announces to its peers"
                    + " (default: the host of --bind; for a wildcard --bind, one address Hazelcast picks).")
    private @Nullable String clusterHost;

    @Option(names = "--cluster-secret-file", paramLabel = "FILE",
            description = "File with the secret every name server of the federation shares; needed with --peer"
                    + " (default: the file zeroagents.cluster.secret.file / ZEROAGENTS_CLUSTER_SECRET_FILE names).")
    private java.nio.file.@Nullable Path clusterSecretFile;

    @Option(names = "--cluster-port", paramLabel = "PORT",
            description = "Port of the cluster member; 0 takes a free one (default: ${DEFAULT-VALUE}).")
    private int clusterPort = FederationSettings.DEFAULT_CLUSTER_PORT;

    @Option(names = "--cluster-name", paramLabel = "NAME",
            description = "Name of the federation; name servers with another name never join it"
                    + " (default: ${DEFAULT-VALUE}).")
    private String clusterName = FederationSettings.DEFAULT_CLUSTER_NAME;

    @Option(names = "--host-id", paramLabel = "ID",
            description = "Id of this name-server host, shown in the entries registered through it"
                    + " (default: the machine's host name).")
    private @Nullable String hostId;

    @Option(names = "--curve", paramLabel = "DIR",
            description = "Encrypt with CURVE and let in only clients authorized in this key directory"
                    + " (made by 'keys init').")
    private java.nio.file.@org.jspecify.annotations.Nullable Path curve;

    @Option(names = INSECURE_FLAG,
            description = "Serve plain text on a --bind address other machines can reach, without --curve: anyone"
                    + " who reaches the port can register, remove and look up agents and stop their hosts. Refused"
                    + " without this flag; warned at every start with it. Only for a network where every host is"
                    + " trusted.")
    private boolean insecureNoCurve;

    @Option(names = "--http", paramLabel = "PORT",
            description = "Serve the web console and its JSON API (/api/snapshot) on this port; 0 takes a free one."
                    + " Off by default.")
    private @Nullable Integer httpPort;

    @Option(names = "--http-host", defaultValue = "127.0.0.1", paramLabel = "HOST",
            description = "Address the console listens on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    private String httpHost = "127.0.0.1";

    @Option(names = "--admin", description = "Let the console shut agents down; it is read-only without this.")
    private boolean admin;

    @Option(names = "--token-dir", paramLabel = "DIR",
            description = "Where to write the admin token (an owner-only file, nameserver-PORT.token) that"
                    + " 'agents shutdown' and 'agents evict' read (default: ~/.zeroagents/nameservers).")
    private java.nio.file.@Nullable Path tokenDirectory;

    @Option(names = "--log-level", paramLabel = "LEVEL", converter = LogLevelConverter.class,
            description = "How much the daemon logs: ERROR, WARN, INFO, DEBUG or TRACE (default: INFO, or what"
                    + " log4j2.configurationFile says).")
    private @Nullable Level logLevel;

    @CommandLine.Spec
    private CommandLine.Model.@Nullable CommandSpec spec;

    /** What --bind takes: tcp with a host and a port or *, or ipc. */
    private static final Pattern ENDPOINT = Pattern.compile("tcp://[^\\s/]+:(\\d{1,5}|\\*)|ipc://\\S+");

    /** Log4j's level names, in any case; anything else is bad usage. */
    static final class LogLevelConverter implements CommandLine.ITypeConverter<Level> {
        @Override
        public Level convert(String value) {
            Level level = Level.getLevel(value.toUpperCase(java.util.Locale.ROOT));
            if (level == null) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a log level; use ERROR, WARN,"
                        + " INFO, DEBUG or TRACE");
            }
            return level;
        }
    }

    /**
     * Runs the daemon or a command.
     *
     * @param args command-line arguments; {@code --help} lists them
     */
    public static void main(String[] args) {
        // Before the first logger: the daemon's logging, unless the user chose another file.
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "classpath:zeroagents-nameserver-log4j2.xml");
        }
        int exitCode = commandLine().execute(args);
        LogManager.shutdown();
        System.exit(exitCode);
    }

    /** The daemon's command line, with its error reporting ({@link CommandLineErrors}). */
    static CommandLine commandLine() {
        return CommandLineErrors.install(new CommandLine(new NameServerDaemon()));
    }

    @Override
    public Integer call() throws Exception {
        if (logLevel != null) {
            Configurator.setRootLevel(logLevel);
        }
        if (!ENDPOINT.matcher(bind).matches()) {
            throw new CommandLine.ParameterException(spec().commandLine(), "--bind takes an endpoint such as"
                    + " tcp://127.0.0.1:9091 or tcp://0.0.0.0:* (a free port), got '" + bind + "'");
        }
        if (admin && httpPort == null) {
            throw new CommandLine.ParameterException(spec().commandLine(),
                    "--admin needs --http PORT: it lets the console shut agents down");
        }
        if (leaseMillis <= 0) {
            throw new CommandLine.ParameterException(spec().commandLine(),
                    "--lease must be a positive number of milliseconds, got " + leaseMillis);
        }
        try {
            // Before the keys, the federation or the socket: a bad setting is reported first.
            NameServerService.configuredSpin();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec().commandLine(), e.getMessage(), e);
        }
        refusePlainTextBeyondLoopback();
        // Keys first: a bad key directory must not leave a federation member running.
        io.zeroagents.transport.CurveKeys keys;
        try {
            keys = curve == null ? null : io.zeroagents.transport.CurveKeys.load(curve);
        } catch (IllegalArgumentException e) {
            // A missing, shared or old-layout key directory: the message says what to do.
            throw new CommandLine.ParameterException(spec().commandLine(), e.getMessage(), e);
        }
        Registry registry;
        String federation = "";
        if (peers.isEmpty()) {
            registry = new LocalRegistry(Duration.ofMillis(leaseMillis));
        } else {
            FederationSettings settings;
            try {
                settings = FederationSettings.builder().peers(peers).clusterHost(clusterHost).nameServerEndpoint(bind)
                        .clusterPort(clusterPort).clusterName(clusterName).clusterSecretFile(clusterSecretFile)
                        .hostId(hostId).lease(Duration.ofMillis(leaseMillis)).build();
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec().commandLine(), e.getMessage(), e);
            }
            FederatedRegistry federated = Federation.start(settings);
            registry = federated;
            federation = "; federation '" + settings.clusterName() + "' as host '" + federated.hostId()
                    + "', member " + federated.memberAddress() + ", members " + federated.members();
        }
        NameServerService service = NameServerService.builder()
                .bind(bind)
                .registry(registry)
                .acceptsShutdown(true)
                .curve(keys)
                .plainTextBeyondLoopback(insecureNoCurve)
                .adminTokenDirectory(tokenDirectory != null ? tokenDirectory
                        : io.zeroagents.nameserver.AdminToken.defaultDirectory())
                .start();
        ConsoleServer console = startConsole(service, keys);
        Thread onSigterm = new Thread(() -> {
            closeConsole(console);
            service.close();
            LogManager.shutdown();
        }, "zeroagents-nameserver-shutdown");
        Runtime.getRuntime().addShutdownHook(onSigterm);
        PrintWriter out = out();
        out.println("Name server listening on " + service.address() + " (lease " + leaseMillis + " ms"
                + (curve == null ? "" : ", CURVE keys in " + curve) + federation + ")");
        if (console != null) {
            out.println("Console on " + console.uri() + " (" + (admin ? "admin" : "read-only") + ")");
        }
        service.adminTokenFile().ifPresent(file -> out.println("Admin token in " + file));
        out.flush();
        // Returns on a client's Shutdown request; SIGTERM runs the hook above instead.
        service.shutdownRequested().join();
        Runtime.getRuntime().removeShutdownHook(onSigterm);
        closeConsole(console);
        service.close();
        out.println("Name server on " + service.address() + " shut down");
        out.flush();
        return 0;
    }

    /**
     * Refuses, before anything starts, to serve plain text where other machines reach the daemon,
     * unless {@code --insecure-no-curve} is given. Whoever reaches a plain-text name server can
     * rewrite its registry and stop the agents of every host using it.
     */
    private void refusePlainTextBeyondLoopback() {
        if (curve != null) {
            if (insecureNoCurve) {
                LogManager.getLogger(NameServerDaemon.class).warn("{} has no effect: --curve encrypts and"
                        + " authenticates every client", INSECURE_FLAG);
            }
            return;
        }
        if (!Endpoints.isReachableFromOtherMachines(bind)) {
            return;
        }
        if (!insecureNoCurve) {
            throw new CommandLine.ParameterException(spec().commandLine(), "Refusing to serve " + bind + " without"
                    + " CURVE: other machines can reach it, and anyone who reaches the port could register, remove"
                    + " and look up agents and stop their hosts.\n"
                    + "Switch CURVE on (each host makes its own keys; hosts exchange only public certificates,"
                    + " from 'keys export DIR', into each other's DIR/authorized/):\n"
                    + "  java -jar nameserver.jar keys init DIR\n"
                    + "  java -jar nameserver.jar --bind " + bind + " --curve DIR\n"
                    + "  and agents with -Dzeroagents.curve.dir=DIR (or ZEROAGENTS_CURVE_DIR=DIR).\n"
                    + "Or bind loopback (--bind tcp://127.0.0.1:9091), or, on a network where every host is trusted,"
                    + " add " + INSECURE_FLAG + ".");
        }
        // With the flag, the name server itself warns at every start that it serves plain text there.
    }

    /** Starts the console when --http asks for one; a console that cannot start ends the daemon. */
    private @Nullable ConsoleServer startConsole(NameServerService service,
                                                 @Nullable CurveKeys keys) {
        if (httpPort == null) {
            return null;
        }
        try {
            return ConsoleServer.start(new InetSocketAddress(httpHost, httpPort), service, admin, keys);
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
    }

    private static void closeConsole(@Nullable ConsoleServer console) {
        if (console != null) {
            console.close();
        }
    }

    private PrintWriter out() {
        return spec == null ? new PrintWriter(System.out, true) : spec.commandLine().getOut();
    }

    private CommandLine.Model.CommandSpec spec() {
        if (spec == null) {
            throw new IllegalStateException("picocli injects the command spec before call()");
        }
        return spec;
    }
}
