package io.zeroagents.settings;

import io.zeroagents.Codec;
import io.zeroagents.Transport;
import io.zeroagents.serialization.EnvelopeCodec;
import java.time.Duration;
import java.util.List;

/**
 * Every {@code zeroagents.*} setting, each as one {@link ConfigKey}: the one list the readers use
 * and the settings reference ({@code docs/reference/settings.md}) is checked against.
 *
 * <p>One setting is not here: {@code zeroagents.runtime}, which picks the runtime provider. It is
 * read by agent-api's {@code AgentRuntimes} before any runtime is loaded, and agent-api depends on
 * nothing.
 */
public final class ZeroAgentsSettings {
    /** The polling windows' default: long enough to catch a call that follows at once, short enough to cost little. */
    private static final Duration SPIN = Duration.ofNanos(200_000);
    /** A polling window longer than a second is a busy core, not a window. */
    private static final long MAX_SPIN_MICROS = 1_000_000;

    /** The name server agents register with when their options name none. */
    public static final ConfigKey<String> NAMESERVER = ConfigKey.optional("nameserver", ValueType.text(),
            "the latest name server started in this JVM", "the name server agents register with");
    /** How agents' sockets bind when neither the agent nor the bind says. */
    public static final ConfigKey<Transport> DEFAULT_TRANSPORT = ConfigKey.of("default.transport",
            ValueType.transport(), Transport.TCP, "the transport sockets bind with");
    /** The host agents' tcp sockets bind. */
    public static final ConfigKey<String> DEFAULT_HOST = ConfigKey.of("default.host", ValueType.text(), "127.0.0.1",
            "the host tcp sockets bind");
    /** The codec of agents' sockets. */
    public static final ConfigKey<Codec> DEFAULT_CODEC = ConfigKey.of("default.codec", ValueType.codec(), Codec.AUTO,
            "the codec of sockets");
    /** How long a closing socket may still send what it queued. */
    public static final ConfigKey<Duration> DEFAULT_LINGER = ConfigKey.of("default.linger", ValueType.millis(true),
            Duration.ofSeconds(1), "how long a closing socket may still send what it queued");
    /** Whether proxy calls run on the agent's own loop. */
    public static final ConfigKey<Boolean> DEFAULT_SAFE = ConfigKey.of("default.safe", ValueType.bool(), true,
            "whether proxy calls run on the agent's own loop");
    /** How long proxy calls, {@code recv} and blocked sends wait. */
    public static final ConfigKey<Duration> DEFAULT_TIMEOUT = ConfigKey.of("default.timeout", ValueType.millis(false),
            Duration.ofSeconds(30), "how long proxy calls, recv and blocked sends wait");
    /** ZeroMQ's high-water mark of agents' sockets, ZeroMQ's own default unless set. */
    public static final ConfigKey<Integer> DEFAULT_HWM = ConfigKey.of("default.hwm", ValueType.positiveInt(), 1000,
            "messages each socket queues per peer and direction");
    /** How often an agent host renews its agents' leases. */
    public static final ConfigKey<Duration> HEARTBEAT = ConfigKey.of("heartbeat", ValueType.millis(false),
            Duration.ofSeconds(1), "how often an agent host renews its agents' leases");
    /**
     * How long an agent socket waits for a ZeroMQ handshake. JeroMQ 0.6.0 leaves about one fresh tcp
     * connection in twenty without its handshake (zeromq/jeromq#1022): a one-second limit makes it
     * reconnect instead of waiting 30 s.
     */
    public static final ConfigKey<Duration> HANDSHAKE = ConfigKey.of("handshake", ValueType.millis(false),
            Duration.ofSeconds(1), "how long an agent socket waits for a ZeroMQ handshake");
    /** What other machines connect to when a socket binds a wildcard; detected when unset. */
    public static final ConfigKey<String> ADVERTISED_HOST = ConfigKey.optional("advertised.host", ValueType.text(),
            "detected", "the host other machines connect to when a socket binds a wildcard");
    /** A CURVE key directory, which switches encryption and authentication on for every socket. */
    public static final ConfigKey<String> CURVE_DIR = ConfigKey.optional("curve.dir", ValueType.text(), "off",
            "the CURVE key directory that encrypts and authenticates every socket");
    /**
     * Consent to plain text where other machines can reach it: without CURVE, a bind on anything but
     * loopback, {@code inproc} or {@code ipc} is refused unless this is set, because anyone who
     * reaches such a port could send to the agent, call it through the control endpoint or rewrite
     * the name server's registry.
     */
    public static final ConfigKey<Boolean> INSECURE_NO_CURVE = ConfigKey.of("insecure.no.curve", ValueType.bool(),
            false, "lets sockets bind addresses other machines can reach without CURVE, in plain text");
    /**
     * The largest frame a socket takes: JeroMQ drops a connection that declares a bigger one before
     * allocating it, and the envelope codec refuses to send one.
     */
    public static final ConfigKey<Integer> MAX_FRAME_BYTES = ConfigKey.of("max.frame.bytes",
            ValueType.positiveInt(), EnvelopeCodec.DEFAULT_MAX_FRAME_BYTES,
            "the largest frame a socket sends or takes");
    /**
     * The longest topic a subscriber may subscribe to: a PUB socket (agents', SYNC_PUB's, the Log4j
     * appender's) closes the connection of a subscriber sending a longer subscription before
     * JeroMQ's subscription trie, which recurses once per byte, sees it, and an agent refuses to
     * subscribe to a longer one.
     */
    public static final ConfigKey<Integer> MAX_SUBSCRIPTION_BYTES = ConfigKey.of("max.subscription.bytes",
            ValueType.positiveInt(), 1024, "the longest topic a subscriber may subscribe to");
    /**
     * How many connections a name server or a control endpoint keeps open at once; one over it is
     * closed as it is accepted.
     */
    public static final ConfigKey<Integer> MAX_CONNECTIONS = ConfigKey.of("max.connections", ValueType.positiveInt(),
            4096, "how many connections a name server or a control endpoint keeps open at once");
    /** How many of those connections may come from one IP address. */
    public static final ConfigKey<Integer> MAX_CONNECTIONS_PER_PEER = ConfigKey.of("max.connections.per.peer",
            ValueType.positiveInt(), 1024, "how many connections a name server or a control endpoint keeps from one"
                    + " IP address");
    /**
     * How long a control endpoint polls after a proxy call from another process: back-to-back calls
     * find it awake instead of waking its thread for each (tens of microseconds on a virtual machine).
     */
    public static final ConfigKey<Duration> CONTROL_SPIN = ConfigKey.of("control.spin.micros",
            ValueType.micros(MAX_SPIN_MICROS), SPIN, "how long a control endpoint and an agent's loop poll after"
                    + " proxy calls in a row");
    /** How long a name server polls after answering requests in a row, for the same reason. */
    public static final ConfigKey<Duration> NAMESERVER_SPIN = ConfigKey.of("nameserver.spin.micros",
            ValueType.micros(MAX_SPIN_MICROS), SPIN, "how long a name server polls after requests in a row");
    /**
     * How long {@code shutdown()} keeps handling the messages an agent's sockets already received
     * before it closes them; what is left then is counted as dropped and logged. {@code kill()}
     * never waits.
     */
    public static final ConfigKey<Duration> SHUTDOWN_DRAIN = ConfigKey.of("shutdown.drain", ValueType.millis(true),
            Duration.ofSeconds(1), "how long shutdown() keeps handling messages an agent's sockets already received");
    /** The tasks (calls from other threads, remote calls, one-way requests) an agent's loop queues at most. */
    public static final ConfigKey<Integer> LOOP_MAX_TASKS = ConfigKey.of("loop.max.tasks", ValueType.positiveInt(),
            100_000, "the calls an agent's loop queues at most; more are refused");
    /** The requests a control endpoint has in progress at most; more are refused at once. */
    public static final ConfigKey<Integer> CONTROL_MAX_PENDING = ConfigKey.of("control.max.pending",
            ValueType.positiveInt(), 10_000, "the proxy calls a control endpoint has in progress at most");
    /** The agents a name server's registry holds at most. */
    public static final ConfigKey<Integer> NAMESERVER_MAX_AGENTS = ConfigKey.of("nameserver.max.agents",
            ValueType.positiveInt(), 200_000, "the agents a name server holds at most");
    /** The agents one host may hold in a name server's registry at most. */
    public static final ConfigKey<Integer> NAMESERVER_MAX_AGENTS_PER_HOST = ConfigKey.of(
            "nameserver.max.agents.per.host", ValueType.positiveInt(), 50_000,
            "the agents one host holds in a name server at most");
    /** Whether agent metrics are published over JMX, when Micrometer's JMX registry is on the class path. */
    public static final ConfigKey<Boolean> METRICS_JMX = ConfigKey.of("metrics.jmx", ValueType.bool(), true,
            "whether agent metrics are published over JMX (with micrometer-registry-jmx on the class path)");
    /** The classes Java serialization may read, in {@code ObjectInputFilter} syntax; the codec is off without. */
    public static final ConfigKey<String> SERIALIZATION_JAVA_ALLOW = ConfigKey.optional("serialization.java.allow",
            ValueType.text(), "off", "the classes the java codec may read, in ObjectInputFilter syntax");

    /**
     * The file holding the secret every name server of a federation shares: a federated name server
     * does not start without one. A file, not the secret itself, so that the secret shows in no
     * command line, process listing or environment dump.
     */
    public static final ConfigKey<String> CLUSTER_SECRET_FILE = ConfigKey.optional("cluster.secret.file",
            ValueType.text(), "none", "the file with the secret every federated name server shares");

    private static final List<ConfigKey<?>> ALL = List.of(NAMESERVER, DEFAULT_TRANSPORT, DEFAULT_HOST, DEFAULT_CODEC,
            DEFAULT_LINGER, DEFAULT_SAFE, DEFAULT_TIMEOUT, DEFAULT_HWM, HEARTBEAT, ADVERTISED_HOST, HANDSHAKE,
            MAX_FRAME_BYTES, MAX_SUBSCRIPTION_BYTES, MAX_CONNECTIONS, MAX_CONNECTIONS_PER_PEER, CONTROL_SPIN,
            NAMESERVER_SPIN, SHUTDOWN_DRAIN, LOOP_MAX_TASKS, CONTROL_MAX_PENDING, NAMESERVER_MAX_AGENTS,
            NAMESERVER_MAX_AGENTS_PER_HOST, CURVE_DIR, INSECURE_NO_CURVE, METRICS_JMX, SERIALIZATION_JAVA_ALLOW,
            CLUSTER_SECRET_FILE);

    private ZeroAgentsSettings() {
    }

    /**
     * What a refused plain-text bind beyond loopback tells its user: how to switch CURVE on, and
     * the setting that accepts plain text instead.
     *
     * @return advice naming {@link #CURVE_DIR} and {@link #INSECURE_NO_CURVE}, property and variable
     */
    public static String insecureBindAdvice() {
        return "set " + CURVE_DIR.property() + " (or " + CURVE_DIR.variable() + ") to a key directory made by"
                + " 'java -jar nameserver.jar keys init DIR', bind a loopback address, or, on a network where"
                + " every host is trusted, accept plain text with " + INSECURE_NO_CURVE.property() + "=true (or "
                + INSECURE_NO_CURVE.variable() + "=true)";
    }

    /**
     * Every key, in the order the settings reference ({@code docs/reference/settings.md}) lists them.
     *
     * @return the keys
     */
    public static List<ConfigKey<?>> all() {
        return ALL;
    }
}
