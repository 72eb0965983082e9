package io.zeroagents;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How one {@code bind} call chooses its address, codec and handler; anything left unset falls back
 * to the agent's options, then to the global defaults.
 *
 * <pre>{@code
 * BindOptions.builder().transport(Transport.INPROC).codec(Codec.JSON)
 *     .handler(SocketHandler.onRequest(String.class, (agent, req) -> "Hello " + req)).build();
 * }</pre>
 *
 * @since 0.1
 */
public final class BindOptions {
    private static final BindOptions DEFAULTS = builder().build();

    private final @Nullable Transport transport;
    private final @Nullable String address;
    private final @Nullable Codec codec;
    private final @Nullable SocketHandler handler;
    private final boolean raw;

    private BindOptions(Builder builder) {
        this.transport = builder.transport;
        this.address = builder.address;
        this.codec = builder.codec;
        this.handler = builder.handler;
        this.raw = builder.raw;
    }

    /**
     * Options with nothing set: the agent's and the global defaults apply.
     *
     * @return the default options
     */
    public static BindOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Starts a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The transport, when set.
     *
     * @return the transport or {@code null}
     */
    public @Nullable Transport transport() {
        return transport;
    }

    /**
     * The address, when set: a full endpoint ({@code tcp://127.0.0.1:5555}, {@code tcp://*:0},
     * {@code inproc://name}), or with tcp a host name alone, bound on a random port, or with inproc
     * and ipc a name alone, the endpoint's name.
     *
     * @return the address or {@code null}
     */
    public @Nullable String address() {
        return address;
    }

    /**
     * The codec, when set.
     *
     * @return the codec or {@code null}
     */
    public @Nullable Codec codec() {
        return codec;
    }

    /**
     * The handler of received messages, when set.
     *
     * @return the handler or {@code null}
     */
    public @Nullable SocketHandler handler() {
        return handler;
    }

    /**
     * Whether the socket sends and receives bare payload frames instead of envelopes, for plain
     * ZeroMQ peers.
     *
     * @return {@code true} for a raw socket
     */
    public boolean raw() {
        return raw;
    }

    @Override
    public String toString() {
        return "BindOptions[transport=" + transport + ", address=" + address + ", codec=" + codec + ", raw=" + raw
                + ", handler=" + (handler == null ? "none" : handler.getClass().getSimpleName()) + "]";
    }

    /** Builds {@link BindOptions}; every setting is optional. */
    public static final class Builder {
        private @Nullable Transport transport;
        private @Nullable String address;
        private @Nullable Codec codec;
        private @Nullable SocketHandler handler;
        private boolean raw;

        private Builder() {
        }

        /**
         * Sets the transport; ignored when {@link #address(String)} names a full endpoint.
         *
         * @param transport the transport
         * @return this builder
         */
        public Builder transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /**
         * Sets the address to bind: a full endpoint, or a host name or IP (a random port is taken).
         *
         * @param address the endpoint or host
         * @return this builder
         */
        public Builder address(String address) {
            this.address = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * Sets the payload codec.
         *
         * @param codec the codec
         * @return this builder
         */
        public Builder codec(Codec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
            return this;
        }

        /**
         * Sets the handler of received messages.
         *
         * @param handler the handler
         * @return this builder
         */
        public Builder handler(SocketHandler handler) {
            this.handler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * Makes the socket raw: each message is its payload alone, encoded with the codec (on
         * {@code PUB}/{@code SUB}: a topic frame, then the payload), so plain ZeroMQ programs can
         * connect to it. Sender names, correlation and error replies are then unavailable.
         *
         * @param raw whether the socket is raw
         * @return this builder
         */
        public Builder raw(boolean raw) {
            this.raw = raw;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the options
         * @throws IllegalArgumentException when the address is blank or its transport unknown
         */
        public BindOptions build() {
            if (address != null) {
                if (address.isBlank()) {
                    throw new IllegalArgumentException("Bind address must not be blank");
                }
                if (address.contains("://")) {
                    Transport.ofEndpoint(address);
                }
            }
            return new BindOptions(this);
        }
    }
}
