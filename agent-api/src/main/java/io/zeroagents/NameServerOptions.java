package io.zeroagents;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link Agents#runNameServer(NameServerOptions)} starts an embedded name server.
 *
 * @since 0.1
 */
public final class NameServerOptions {
    private static final NameServerOptions DEFAULTS = builder().build();

    private final String address;
    private final Duration lease;

    private NameServerOptions(Builder builder) {
        this.address = builder.address;
        this.lease = builder.lease;
    }

    /**
     * The defaults: a random loopback port and a 5-second lease.
     *
     * @return the default options
     */
    public static NameServerOptions defaults() {
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
     * The endpoint to bind, e.g. {@code tcp://127.0.0.1:*} (a random port).
     *
     * @return the endpoint to bind, e.g. {@code tcp://127.0.0.1:*} (a random port)
     */
    public String address() {
        return address;
    }

    /**
     * How long a registration lives without a heartbeat from its agent's host.
     *
     * @return how long a registration lives without a heartbeat from its agent's host
     */
    public Duration lease() {
        return lease;
    }

    @Override
    public String toString() {
        return "NameServerOptions[address=" + address + ", lease=" + lease + "]";
    }

    /** Builds {@link NameServerOptions}; {@link #build()} validates. */
    public static final class Builder {
        private String address = "tcp://127.0.0.1:*";
        private Duration lease = Duration.ofSeconds(5);

        private Builder() {
        }

        /**
         * Sets the tcp endpoint to bind; {@code *} as the port takes a random free one.
         *
         * @param address e.g. {@code tcp://0.0.0.0:9091}
         * @return this builder
         */
        public Builder address(String address) {
            this.address = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * Sets how long a registration lives without a heartbeat.
         *
         * @param lease at least 100 ms
         * @return this builder
         */
        public Builder lease(Duration lease) {
            this.lease = Objects.requireNonNull(lease, "lease");
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the options
         * @throws IllegalArgumentException naming the setting that is out of range
         */
        public NameServerOptions build() {
            if (!address.startsWith("tcp://")) {
                throw new IllegalArgumentException(
                        "Name server address '" + address + "' must be a tcp endpoint, e.g. tcp://127.0.0.1:9091");
            }
            if (lease.compareTo(Duration.ofMillis(100)) < 0) {
                throw new IllegalArgumentException("lease must be at least 100 ms, got " + lease);
            }
            return new NameServerOptions(this);
        }
    }
}
