package io.zeroagents.sockets;

import io.zeroagents.Codec;
import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link SocketManager} is made with; {@link SocketManager.Builder} makes one and hands it
 * to the runtime.
 *
 * @param sharedContext  {@code true} to make the sockets in the runtime's ZeroMQ context, shared with
 *                       the agents and the other sharing managers of this JVM (so {@code inproc}
 *                       endpoints reach them); {@code false} for a context of the manager's own,
 *                       closed with it
 * @param codec          the payload codec of {@code sendSafe}, {@code recvSafe} and events; any
 *                       concrete codec, including one a {@code PayloadCodec} provider registers
 * @param pollingTimeout how long one poll waits for sockets to become ready; what
 *                       {@link SocketManager#engage()} waits
 * @param timeout        how long an operation waits for its socket by default
 * @since 0.1
 */
public record SocketManagerOptions(boolean sharedContext, Codec codec, Duration pollingTimeout, Duration timeout) {
    /** AgentZero's default polling timeout, 10 seconds. */
    public static final Duration DEFAULT_POLLING_TIMEOUT = Duration.ofSeconds(10);
    /** AgentZero's default timeout, 10 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Checks the options.
     *
     * @param sharedContext whether the runtime's context is used
     * @param codec         the payload codec, not {@link Codec#AUTO}
     * @param pollingTimeout a positive duration
     * @param timeout        a duration not negative
     * @throws IllegalArgumentException when the codec is {@link Codec#AUTO} (a peer's bare bytes do not
     *                                  say which codec made them) or a duration is out of range
     */
    public SocketManagerOptions {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(pollingTimeout, "pollingTimeout");
        Objects.requireNonNull(timeout, "timeout");
        if (codec.equals(Codec.AUTO)) {
            throw new IllegalArgumentException("A SocketManager needs a concrete codec (json, string, raw, protobuf"
                    + " or a registered one), not auto: its frames carry no codec id for the receiver to read");
        }
        if (pollingTimeout.isNegative() || pollingTimeout.isZero()) {
            throw new IllegalArgumentException("pollingTimeout must be positive, got " + pollingTimeout);
        }
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
        }
    }
}
