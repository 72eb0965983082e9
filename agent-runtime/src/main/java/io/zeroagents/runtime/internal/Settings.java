package io.zeroagents.runtime.internal;

import io.zeroagents.AgentOptions;
import io.zeroagents.BindOptions;
import io.zeroagents.Codec;
import io.zeroagents.Transport;
import io.zeroagents.settings.ConfigSource;
import io.zeroagents.settings.ZeroAgentsSettings;
import io.zeroagents.transport.ConnectionLimits;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The global defaults, read once through the settings' registry ({@link ZeroAgentsSettings}: system
 * properties, then environment variables), and how an agent's and a bind's options override them.
 */
record Settings(
        @Nullable String nameServer,
        Transport transport,
        String host,
        Codec codec,
        Duration linger,
        boolean safeCalls,
        Duration timeout,
        int highWaterMark,
        Duration heartbeat,
        Duration handshake,
        @Nullable String advertisedHost,
        @Nullable String curveDirectory,
        boolean insecureNoCurve,
        int maxFrameBytes,
        int maxSubscriptionBytes,
        ConnectionLimits controlConnections,
        Duration controlSpin,
        Duration shutdownDrain,
        int loopMaxTasks,
        int controlMaxPending) {

    /** ZeroMQ's own high-water mark, which agents' sockets keep unless told otherwise. */
    static final int DEFAULT_HIGH_WATER_MARK = ZeroAgentsSettings.DEFAULT_HWM.defaultValue().orElseThrow();
    /** How long the control endpoint polls after its last request or answer before it sleeps. */
    static final Duration DEFAULT_CONTROL_SPIN = ZeroAgentsSettings.CONTROL_SPIN.defaultValue().orElseThrow();

    static Settings fromEnvironment() {
        return from(ConfigSource.system());
    }

    /**
     * Reads the defaults through a property lookup and an environment map, so tests can supply
     * both.
     */
    static Settings from(Function<String, @Nullable String> properties, Map<String, String> environment) {
        return from(ConfigSource.of(properties, environment));
    }

    /** Reads every setting of the runtime through the registry, which says what each accepts and why. */
    private static Settings from(ConfigSource source) {
        return new Settings(
                source.find(ZeroAgentsSettings.NAMESERVER).orElse(null),
                source.read(ZeroAgentsSettings.DEFAULT_TRANSPORT),
                source.read(ZeroAgentsSettings.DEFAULT_HOST),
                source.read(ZeroAgentsSettings.DEFAULT_CODEC),
                source.read(ZeroAgentsSettings.DEFAULT_LINGER),
                source.read(ZeroAgentsSettings.DEFAULT_SAFE),
                source.read(ZeroAgentsSettings.DEFAULT_TIMEOUT),
                source.read(ZeroAgentsSettings.DEFAULT_HWM),
                source.read(ZeroAgentsSettings.HEARTBEAT),
                source.read(ZeroAgentsSettings.HANDSHAKE),
                source.find(ZeroAgentsSettings.ADVERTISED_HOST).orElse(null),
                source.find(ZeroAgentsSettings.CURVE_DIR).orElse(null),
                source.read(ZeroAgentsSettings.INSECURE_NO_CURVE),
                source.read(ZeroAgentsSettings.MAX_FRAME_BYTES),
                source.read(ZeroAgentsSettings.MAX_SUBSCRIPTION_BYTES),
                new ConnectionLimits(source.read(ZeroAgentsSettings.MAX_CONNECTIONS),
                        source.read(ZeroAgentsSettings.MAX_CONNECTIONS_PER_PEER)),
                source.read(ZeroAgentsSettings.CONTROL_SPIN),
                source.read(ZeroAgentsSettings.SHUTDOWN_DRAIN),
                source.read(ZeroAgentsSettings.LOOP_MAX_TASKS),
                source.read(ZeroAgentsSettings.CONTROL_MAX_PENDING));
    }

    /**
     * How long a name-server request may take: the general timeout, but at most five seconds, so an
     * absent name server is reported quickly.
     */
    Duration nameServerTimeout() {
        Duration fiveSeconds = Duration.ofSeconds(5);
        return timeout.compareTo(fiveSeconds) < 0 ? timeout : fiveSeconds;
    }

    /** The settings of one agent: its options over the global defaults. */
    Settings forAgent(AgentOptions options) {
        return new Settings(
                options.nameServer() != null ? options.nameServer() : nameServer,
                options.transport() != null ? options.transport() : transport,
                options.host() != null ? options.host() : host,
                options.codec() != null ? options.codec() : codec,
                options.linger() != null ? options.linger() : linger,
                options.safeCalls() != null ? options.safeCalls() : safeCalls,
                options.timeout() != null ? options.timeout() : timeout,
                options.highWaterMark() != null ? options.highWaterMark() : highWaterMark,
                heartbeat,
                handshake,
                advertisedHost,
                curveDirectory,
                insecureNoCurve,
                maxFrameBytes,
                maxSubscriptionBytes,
                controlConnections,
                controlSpin,
                shutdownDrain,
                loopMaxTasks,
                controlMaxPending);
    }

    /** The codec of one bind: its option over the agent's. */
    Codec codecFor(BindOptions options) {
        return options.codec() != null ? options.codec() : codec;
    }

    /**
     * The endpoint one bind asks for. A full endpoint is used as is; a bare host gets a random tcp
     * port; otherwise the bind's or the agent's transport decides, with a unique inproc name.
     */
    String endpointFor(BindOptions options, String agentName, String alias, long unique) {
        String address = options.address();
        if (address != null && address.contains("://")) {
            return address;
        }
        Transport chosen = options.transport() != null ? options.transport() : transport;
        String bindHost = address != null ? address : host;
        return switch (chosen) {
            // A bare name with inproc or ipc is the endpoint's name, as osBrain's bind(addr='name') is.
            case INPROC -> address != null ? "inproc://" + address : "inproc://" + agentName + "/" + alias + "/" + unique;
            case IPC -> address != null ? "ipc://" + address : "ipc://*";
            case TCP -> "tcp://" + bindHost + ":*";
        };
    }
}
