package io.zeroagents;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where a bound socket listens, and how to talk to it.
 *
 * <p>{@link Agent#bind bind} returns one; hand it to {@link Agent#connect connect} on another agent
 * (or look it up with {@link NameServer#addr}) and the connecting side creates a socket of the
 * {@linkplain Pattern#twin() twin pattern} with the same codec.
 *
 * <p>A {@link Pattern#SYNC_PUB} address has a second endpoint, {@link #requestEndpoint()}, where
 * its subscribers send their requests. A {@linkplain #raw() raw} address carries bare frames
 * instead of the framework's envelope, so a plain ZeroMQ program can be the peer: build one with
 * {@link #raw(String, Pattern, Codec)} for a program that binds, or bind with
 * {@link BindOptions.Builder#raw(boolean)} for a program that connects.
 *
 * @param endpoint        the ZeroMQ endpoint actually bound, e.g. {@code tcp://127.0.0.1:40123}
 * @param pattern         the pattern of the bound (server) socket
 * @param codec           the payload codec the bound socket uses
 * @param raw             whether messages are bare payload frames rather than envelopes
 * @param requestEndpoint the endpoint for subscribers' requests ({@code SYNC_PUB} only), else
 *                        {@code null}
 * @since 0.1
 */
public record AgentAddress(String endpoint, Pattern pattern, Codec codec, boolean raw,
                           @Nullable String requestEndpoint) {

    /**
     * Validates the components.
     *
     * @param endpoint        the endpoint
     * @param pattern         the pattern
     * @param codec           the codec
     * @param raw             whether frames are bare payloads
     * @param requestEndpoint the request endpoint of a {@code SYNC_PUB} channel, else {@code null}
     * @throws IllegalArgumentException when the endpoint's transport is unknown, a channel misses or
     *                                  has an extra request endpoint, or a raw address uses a
     *                                  pattern that needs envelopes
     */
    public AgentAddress {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(codec, "codec");
        Transport.ofEndpoint(endpoint);
        boolean channel = pattern == Pattern.SYNC_PUB || pattern == Pattern.SYNC_SUB;
        if (channel && requestEndpoint == null) {
            throw new IllegalArgumentException("A " + pattern + " address needs a request endpoint besides " + endpoint);
        }
        if (!channel && requestEndpoint != null) {
            throw new IllegalArgumentException("Only SYNC_PUB addresses have a request endpoint, not " + pattern);
        }
        if (requestEndpoint != null) {
            Transport.ofEndpoint(requestEndpoint);
        }
        if (raw && (pattern.serverOnly() || pattern.clientOnly())) {
            throw new IllegalArgumentException(pattern + " matches replies to requests through envelopes;"
                    + " it cannot be raw");
        }
    }

    /**
     * An address of the framework's own envelope format, without a request endpoint.
     *
     * @param endpoint the endpoint
     * @param pattern  the pattern of the bound socket
     * @param codec    the codec
     */
    public AgentAddress(String endpoint, Pattern pattern, Codec codec) {
        this(endpoint, pattern, codec, false, null);
    }

    /**
     * The address of a plain ZeroMQ socket (not an agent) that bound {@code endpoint}: an agent
     * connecting to it sends and receives bare frames encoded with {@code codec}. On {@code PUB}
     * and {@code SUB}, a message is two frames, the topic and the payload.
     *
     * @param endpoint the endpoint the plain socket bound
     * @param pattern  the plain socket's pattern ({@code REQ}, {@code REP}, {@code PUSH},
     *                 {@code PULL}, {@code PUB} or {@code SUB})
     * @param codec    how payloads are encoded, usually {@link Codec#RAW} or {@link Codec#STRING}
     * @return the raw address
     */
    public static AgentAddress raw(String endpoint, Pattern pattern, Codec codec) {
        return new AgentAddress(endpoint, pattern, codec, true, null);
    }

    /**
     * The transport of the endpoint.
     *
     * @return the transport
     */
    public Transport transport() {
        return Transport.ofEndpoint(endpoint);
    }

    /**
     * The pattern a client connecting to this address uses.
     *
     * @return the twin of {@link #pattern()}
     */
    public Pattern clientPattern() {
        return pattern.twin();
    }

    /**
     * The same address seen from the other side: what {@code connect} returns (osBrain's
     * {@code addr.twin()}).
     *
     * @return this address with the twin pattern
     */
    public AgentAddress twin() {
        return new AgentAddress(endpoint, pattern.twin(), codec, raw, requestEndpoint);
    }

    @Override
    public String toString() {
        return endpoint + (requestEndpoint == null ? "" : " + " + requestEndpoint) + " (" + pattern + ", " + codec
                + (raw ? ", raw" : "") + ")";
    }
}
