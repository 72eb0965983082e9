package io.zeroagents;

import java.util.Objects;

/**
 * Where a bound socket listens, and how to talk to it.
 *
 * <p>{@link Agent#bind bind} returns one; hand it to {@link Agent#connect connect} on another agent
 * (or look it up with {@link NameServer#addr}) and the connecting side creates a socket of the
 * {@linkplain Pattern#twin() twin pattern} with the same codec.
 *
 * @param endpoint the ZeroMQ endpoint actually bound, e.g. {@code tcp://127.0.0.1:40123}
 * @param pattern  the pattern of the bound (server) socket
 * @param codec    the payload codec the bound socket uses
 * @since 0.1
 */
public record AgentAddress(String endpoint, Pattern pattern, Codec codec) {

    /**
     * Validates the components.
     *
     * @param endpoint the endpoint
     * @param pattern  the pattern
     * @param codec    the codec
     */
    public AgentAddress {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(codec, "codec");
        Transport.ofEndpoint(endpoint);
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

    @Override
    public String toString() {
        return endpoint + " (" + pattern + ", " + codec + ")";
    }
}
