package io.zeroagents;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How one asynchronous request ({@code ASYNC_REQ} or {@code SYNC_SUB}) is answered: which handler
 * takes its reply, how long to wait for it, and what to do when none comes (osBrain's
 * {@code send(alias, msg, handler=..., wait=..., on_error=...)}, given to {@link AgentOperations#request}).
 *
 * <pre>{@code
 * client.request("async", "job-1", RequestOptions.builder()
 *     .handler(String.class, (agent, reply) -> agent.logInfo("got " + reply))
 *     .waitAtMost(Duration.ofSeconds(1))
 *     .onNoReply((agent, request) -> agent.logWarning("no answer to " + request))
 *     .build());
 * }</pre>
 *
 * <p>Without a handler the connection's handler takes the reply. Without a wait the request waits
 * for its reply as long as the agent runs.
 *
 * @since 0.1
 */
public final class RequestOptions {
    private static final RequestOptions DEFAULTS = builder().build();

    private final @Nullable SocketHandler handler;
    private final @Nullable Duration waitAtMost;
    private final @Nullable NoReplyHandler onNoReply;

    private RequestOptions(Builder builder) {
        this.handler = builder.handler;
        this.waitAtMost = builder.waitAtMost;
        this.onNoReply = builder.onNoReply;
    }

    /**
     * Options with nothing set: the connection's handler takes the reply, whenever it comes.
     *
     * @return the default options
     */
    public static RequestOptions defaults() {
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
     * The handler of this request's reply, when set.
     *
     * @return an {@link SocketHandler.OnMessage} or {@link SocketHandler.ByMethod}, or {@code null}
     */
    public @Nullable SocketHandler handler() {
        return handler;
    }

    /**
     * How long the reply may take, when set.
     *
     * @return the wait or {@code null}
     */
    public @Nullable Duration waitAtMost() {
        return waitAtMost;
    }

    /**
     * What runs when the reply does not come in time, when set.
     *
     * @return the handler or {@code null} (a warning is logged instead)
     */
    public @Nullable NoReplyHandler onNoReply() {
        return onNoReply;
    }

    @Override
    public String toString() {
        return "RequestOptions[handler=" + (handler == null ? "connection's" : handler.getClass().getSimpleName())
                + ", waitAtMost=" + waitAtMost + ", onNoReply=" + (onNoReply == null ? "log" : "handler") + "]";
    }

    /** Builds {@link RequestOptions}; every setting is optional. */
    public static final class Builder {
        private @Nullable SocketHandler handler;
        private @Nullable Duration waitAtMost;
        private @Nullable NoReplyHandler onNoReply;

        private Builder() {
        }

        /**
         * Sets the handler of this request's reply.
         *
         * @param type    the type to decode the reply into
         * @param handler the handler
         * @param <T>     the reply type
         * @return this builder
         */
        public <T> Builder handler(Class<T> type, MessageHandler<? super T> handler) {
            this.handler = SocketHandler.onMessage(type, handler);
            return this;
        }

        /**
         * Sets a method of the agent, by name, as the handler of this request's reply; unlike a
         * lambda, this works through proxies of other processes.
         *
         * @param methodName the method's name
         * @return this builder
         */
        public Builder handler(String methodName) {
            this.handler = SocketHandler.method(methodName);
            return this;
        }

        /**
         * Sets how long the reply may take; after that the request is forgotten and
         * {@link #onNoReply} runs (or a warning is logged).
         *
         * @param waitAtMost the wait, more than zero
         * @return this builder
         */
        public Builder waitAtMost(Duration waitAtMost) {
            this.waitAtMost = Objects.requireNonNull(waitAtMost, "waitAtMost");
            return this;
        }

        /**
         * Sets what runs when the reply did not come within {@link #waitAtMost}.
         *
         * @param onNoReply the handler
         * @return this builder
         */
        public Builder onNoReply(NoReplyHandler onNoReply) {
            this.onNoReply = Objects.requireNonNull(onNoReply, "onNoReply");
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the options
         * @throws IllegalArgumentException when the wait is not positive, or {@code onNoReply} is set
         *                                  without a wait
         */
        public RequestOptions build() {
            if (waitAtMost != null && (waitAtMost.isNegative() || waitAtMost.isZero())) {
                throw new IllegalArgumentException("Request wait must be more than zero, got " + waitAtMost);
            }
            if (onNoReply != null && waitAtMost == null) {
                throw new IllegalArgumentException("onNoReply needs waitAtMost: without a wait a reply is never late");
            }
            return new RequestOptions(this);
        }
    }
}
