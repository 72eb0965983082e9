package io.zeroagents.runtime.internal;

import io.zeroagents.AgentOptions;
import io.zeroagents.BindOptions;
import io.zeroagents.Codec;
import io.zeroagents.Transport;
import io.zeroagents.serialization.EnvelopeCodec;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The global defaults, read once from system properties, then environment variables (the table in
 * {@link AgentOptions}'s Javadoc), and how an agent's and a bind's options override them.
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
        int maxFrameBytes,
        Duration controlSpin) {

    /** ZeroMQ's own high-water mark, which agents' sockets keep unless told otherwise. */
    static final int DEFAULT_HIGH_WATER_MARK = 1000;
    /** How long the control endpoint polls after its last request or answer before it sleeps. */
    static final Duration DEFAULT_CONTROL_SPIN = Duration.ofNanos(200_000);
    private static final long MAX_CONTROL_SPIN_MICROS = 1_000_000;

    static Settings fromEnvironment() {
        return from(System.getProperties()::getProperty, System.getenv());
    }

    /**
     * Reads the defaults through a property lookup and an environment map, so tests can supply
     * both.
     */
    static Settings from(Function<String, @Nullable String> properties, Map<String, String> environment) {
        Function<String, @Nullable String> read = key -> {
            String value = properties.apply("zeroagents." + key);
            if (value == null || value.isBlank()) {
                value = environment.get("ZEROAGENTS_" + key.toUpperCase(Locale.ROOT).replace('.', '_'));
            }
            return value == null || value.isBlank() ? null : value.trim();
        };
        return new Settings(
                read.apply("nameserver"),
                parse(read, "default.transport", Transport::parse, Transport.TCP),
                parse(read, "default.host", Function.identity(), "127.0.0.1"),
                parse(read, "default.codec", Codec::of, Codec.AUTO),
                parse(read, "default.linger", Settings::millis, Duration.ofSeconds(1)),
                parse(read, "default.safe", Settings::bool, true),
                parse(read, "default.timeout", Settings::positiveMillis, Duration.ofSeconds(30)),
                parse(read, "default.hwm", Settings::positiveInt, DEFAULT_HIGH_WATER_MARK),
                parse(read, "heartbeat", Settings::positiveMillis, Duration.ofSeconds(1)),
                // JeroMQ 0.6.0 leaves about one fresh tcp connection in twenty without its handshake
                // (zeromq/jeromq#1022): a one-second limit makes it reconnect instead of waiting 30 s.
                parse(read, "handshake", Settings::positiveMillis, Duration.ofSeconds(1)),
                // What other machines connect to when sockets bind a wildcard; detected when unset.
                read.apply("advertised.host"),
                // A CURVE key directory switches encryption and authentication on for every socket.
                read.apply("curve.dir"),
                // The largest frame a socket takes: JeroMQ drops a connection that declares a bigger
                // one before allocating it, and the envelope codec refuses to send one.
                parse(read, "max.frame.bytes", Settings::positiveInt, EnvelopeCodec.DEFAULT_MAX_FRAME_BYTES),
                // Back-to-back proxy calls from other processes find the endpoint awake instead of
                // waking its thread for each (tens of microseconds on a virtual machine); 0 turns it off.
                parse(read, "control.spin.micros", Settings::spinMicros, DEFAULT_CONTROL_SPIN));
    }

    private static <T> T parse(Function<String, @Nullable String> read, String key, Function<String, T> parser, T fallback) {
        String value = read.apply(key);
        if (value == null) {
            return fallback;
        }
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Bad value '" + value + "' for zeroagents." + key
                    + " / ZEROAGENTS_" + key.toUpperCase(Locale.ROOT).replace('.', '_') + ": " + e.getMessage(), e);
        }
    }

    private static Duration millis(String value) {
        long millis = Long.parseLong(value);
        if (millis < 0) {
            throw new IllegalArgumentException("must not be negative");
        }
        return Duration.ofMillis(millis);
    }

    private static Duration positiveMillis(String value) {
        Duration duration = millis(value);
        if (duration.isZero()) {
            throw new IllegalArgumentException("must be more than zero");
        }
        return duration;
    }

    private static Duration spinMicros(String value) {
        long micros = Long.parseLong(value);
        if (micros < 0 || micros > MAX_CONTROL_SPIN_MICROS) {
            throw new IllegalArgumentException("must be 0 to " + MAX_CONTROL_SPIN_MICROS + " microseconds");
        }
        return Duration.ofNanos(micros * 1000);
    }

    private static int positiveInt(String value) {
        int parsed = Integer.parseInt(value);
        if (parsed <= 0) {
            throw new IllegalArgumentException("must be more than zero");
        }
        return parsed;
    }

    private static boolean bool(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        };
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
                maxFrameBytes,
                controlSpin);
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
