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
 * <p>With CURVE on, an address also names the key its server serves with ({@link #serverKey()}):
 * {@code bind} and the name server fill it in, and a socket connecting to the address completes
 * its handshake only with the holder of that key. An address without one (built by hand, or
 * {@link #raw(String, Pattern, Codec) raw}) takes the key the connecting host's key directory
 * trusts for the endpoint; {@link #withServerKey(String)} pins one directly.
 *
 * @param endpoint        the ZeroMQ endpoint actually bound, e.g. {@code tcp://127.0.0.1:40123}
 * @param pattern         the pattern of the bound (server) socket
 * @param codec           the payload codec the bound socket uses
 * @param raw             whether messages are bare payload frames rather than envelopes
 * @param requestEndpoint the endpoint for subscribers' requests ({@code SYNC_PUB} only), else
 *                        {@code null}
 * @param serverKey       the CURVE public key (Z85, 40 characters) the bound socket serves with,
 *                        or {@code null} when it is unknown or CURVE is off
 * @since 0.1
 */
public record AgentAddress(String endpoint, Pattern pattern, Codec codec, boolean raw,
                           @Nullable String requestEndpoint, @Nullable String serverKey) {
    /** The length of a CURVE key in Z85 text. */
    private static final int Z85_KEY_CHARS = 40;

    /**
     * Validates the components.
     *
     * @param endpoint        the endpoint
     * @param pattern         the pattern
     * @param codec           the codec
     * @param raw             whether frames are bare payloads
     * @param requestEndpoint the request endpoint of a {@code SYNC_PUB} channel, else {@code null}
     * @param serverKey       the server's CURVE public key, Z85, or {@code null}
     * @throws IllegalArgumentException when the endpoint's transport is unknown, a channel misses or
     *                                  has an extra request endpoint, a raw address uses a
     *                                  pattern that needs envelopes, or the server key is not
     *                                  40 characters
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
        if (serverKey != null && serverKey.length() != Z85_KEY_CHARS) {
            throw new IllegalArgumentException("The server key of " + endpoint + " must be a CURVE public key in Z85"
                    + " text (" + Z85_KEY_CHARS + " characters), got " + serverKey.length() + " characters");
        }
    }

    /**
     * An address without a server key.
     *
     * @param endpoint        the endpoint
     * @param pattern         the pattern of the bound socket
     * @param codec           the codec
     * @param raw             whether frames are bare payloads
     * @param requestEndpoint the request endpoint of a {@code SYNC_PUB} channel, else {@code null}
     */
    public AgentAddress(String endpoint, Pattern pattern, Codec codec, boolean raw, @Nullable String requestEndpoint) {
        this(endpoint, pattern, codec, raw, requestEndpoint, null);
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
        return new AgentAddress(endpoint, pattern, codec, true, null, null);
    }

    /**
     * The same address, pinned to the CURVE key its server serves with: for an address that came
     * some other way than from {@code bind} or a name server, whose server is not among those the
     * connecting host's key directory trusts.
     *
     * @param key the server's CURVE public key, Z85 (40 characters), as {@code keys export} prints it
     * @return the address with that key
     * @throws IllegalArgumentException when the key is not 40 characters
     */
    public AgentAddress withServerKey(String key) {
        return new AgentAddress(endpoint, pattern, codec, raw, requestEndpoint, Objects.requireNonNull(key, "key"));
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
        return new AgentAddress(endpoint, pattern.twin(), codec, raw, requestEndpoint, serverKey);
    }

    @Override
    public String toString() {
        return endpoint + (requestEndpoint == null ? "" : " + " + requestEndpoint) + " (" + pattern + ", " + codec
                + (raw ? ", raw" : "") + ")";
    }
}
