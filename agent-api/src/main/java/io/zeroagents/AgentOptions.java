package io.zeroagents;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How {@link Agents#runAgent(String, AgentOptions)} starts an agent: its class, initial attributes,
 * name server and socket defaults.
 *
 * <p>Unset values fall back to the global defaults, read from system properties first and
 * environment variables second (like osBrain's {@code OSBRAIN_DEFAULT_*}): {@code zeroagents.nameserver}
 * ({@code ZEROAGENTS_NAMESERVER}) and {@code zeroagents.default.transport}, {@code .host},
 * {@code .codec}, {@code .linger}, {@code .safe}, {@code .timeout} and {@code .hwm}
 * ({@code ZEROAGENTS_DEFAULT_TRANSPORT} and so on). The settings reference
 * ({@code docs/reference/settings.md}) gives each one's default; a test keeps it equal to the
 * runtime's registry of settings, the one place they are written.
 * Per-bind {@link BindOptions} override the agent's options in turn.
 *
 * @since 0.1
 */
public final class AgentOptions {
    private static final AgentOptions DEFAULTS = builder().build();

    private final Class<? extends BaseAgent> agentClass;
    private final Map<String, @Nullable Object> attributes;
    private final @Nullable String nameServer;
    private final @Nullable Transport transport;
    private final @Nullable String host;
    private final @Nullable Codec codec;
    private final @Nullable Duration linger;
    private final @Nullable Boolean safeCalls;
    private final @Nullable Duration timeout;
    private final @Nullable Integer highWaterMark;
    private final Duration nameServerWait;
    private final Duration idlePeriod;
    private final boolean stopOnHandlerError;
    private final boolean ownProcess;
    private final Duration spinWait;
    private final boolean shareSentArrays;
    private final int batchSends;

    private AgentOptions(Builder builder) {
        this.agentClass = builder.agentClass;
        this.attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(builder.attributes));
        this.nameServer = builder.nameServer;
        this.transport = builder.transport;
        this.host = builder.host;
        this.codec = builder.codec;
        this.linger = builder.linger;
        this.safeCalls = builder.safeCalls;
        this.timeout = builder.timeout;
        this.highWaterMark = builder.highWaterMark;
        this.nameServerWait = builder.nameServerWait;
        this.idlePeriod = builder.idlePeriod;
        this.stopOnHandlerError = builder.stopOnHandlerError;
        this.ownProcess = builder.ownProcess;
        this.spinWait = builder.spinWait;
        this.shareSentArrays = builder.shareSentArrays;
        this.batchSends = builder.batchSends;
    }

    /**
     * Options with nothing set: a plain {@link BaseAgent} and the global defaults.
     *
     * @return the default options
     */
    public static AgentOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Starts a builder.
     *
     * @return a new builder for a plain {@link BaseAgent}
     */
    public static Builder builder() {
        return new Builder(BaseAgent.class);
    }

    /**
     * Starts a builder for an agent of a user class, osBrain's {@code base} argument.
     *
     * @param agentClass a {@link BaseAgent} subclass with a no-argument constructor
     * @return a new builder
     */
    public static Builder builder(Class<? extends BaseAgent> agentClass) {
        return new Builder(agentClass);
    }

    /**
     * Options for an agent of a user class and nothing else set.
     *
     * @param agentClass a {@link BaseAgent} subclass with a no-argument constructor
     * @return the options
     */
    public static AgentOptions of(Class<? extends BaseAgent> agentClass) {
        return builder(agentClass).build();
    }

    /**
     * A builder holding these options, to change some of them.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder builder = new Builder(agentClass).attributes(attributes);
        builder.nameServer = nameServer;
        builder.transport = transport;
        builder.host = host;
        builder.codec = codec;
        builder.linger = linger;
        builder.safeCalls = safeCalls;
        builder.timeout = timeout;
        builder.highWaterMark = highWaterMark;
        builder.nameServerWait = nameServerWait;
        builder.idlePeriod = idlePeriod;
        builder.stopOnHandlerError = stopOnHandlerError;
        builder.ownProcess = ownProcess;
        builder.spinWait = spinWait;
        builder.shareSentArrays = shareSentArrays;
        builder.batchSends = batchSends;
        return builder;
    }

    /**
     * The agent class, {@link BaseAgent} by default.
     *
     * @return the agent class, {@link BaseAgent} by default
     */
    public Class<? extends BaseAgent> agentClass() {
        return agentClass;
    }

    /**
     * Attributes set before {@link BaseAgent#onInit()} runs, in insertion order.
     *
     * @return attributes set before {@link BaseAgent#onInit()} runs, in insertion order
     */
    public Map<String, @Nullable Object> attributes() {
        return attributes;
    }

    /**
     * The name server's address, or {@code null} for the global default.
     *
     * @return the name server's address, or {@code null} for the global default
     */
    public @Nullable String nameServer() {
        return nameServer;
    }

    /**
     * The default transport of this agent's binds, or {@code null} for the global one.
     *
     * @return the default transport of this agent's binds, or {@code null} for the global one
     */
    public @Nullable Transport transport() {
        return transport;
    }

    /**
     * The host tcp binds use, or {@code null} for the global one.
     *
     * @return the host tcp binds use, or {@code null} for the global one
     */
    public @Nullable String host() {
        return host;
    }

    /**
     * The default codec of this agent's sockets, or {@code null} for the global one.
     *
     * @return the default codec of this agent's sockets, or {@code null} for the global one
     */
    public @Nullable Codec codec() {
        return codec;
    }

    /**
     * How long closing a socket waits for unsent messages, or {@code null} for the global one.
     *
     * @return how long closing a socket waits for unsent messages, or {@code null} for the global one
     */
    public @Nullable Duration linger() {
        return linger;
    }

    /**
     * Whether proxy calls run on the agent's loop, or {@code null} for the global default.
     *
     * @return whether proxy calls run on the agent's loop, or {@code null} for the global default
     */
    public @Nullable Boolean safeCalls() {
        return safeCalls;
    }

    /**
     * The default time limit of proxy calls and receives, or {@code null} for the global one.
     *
     * @return the default time limit of proxy calls and receives, or {@code null} for the global one
     */
    public @Nullable Duration timeout() {
        return timeout;
    }

    /**
     * How many messages each of the agent's sockets queues per peer and direction, or {@code null}
     * for the global default. See {@link Builder#highWaterMark(int)}.
     *
     * @return the high-water mark, or {@code null} for the global default
     */
    public @Nullable Integer highWaterMark() {
        return highWaterMark;
    }

    /**
     * How long starting the agent keeps retrying when its name server does not answer.
     *
     * @return the wait; zero (the default) fails at once with a {@link NameServerException}
     */
    public Duration nameServerWait() {
        return nameServerWait;
    }

    /**
     * How long the loop waits with nothing to do before it calls {@link BaseAgent#idle()}.
     *
     * @return how long the loop waits with nothing to do before it calls {@link BaseAgent#idle()}
     */
    public Duration idlePeriod() {
        return idlePeriod;
    }

    /**
     * Whether a handler that throws stops the agent (osBrain's behaviour); {@code false} by default.
     *
     * @return whether a handler that throws stops the agent (osBrain's behaviour); {@code false} by default
     */
    public boolean stopOnHandlerError() {
        return stopOnHandlerError;
    }

    /**
     * Whether the agent runs in a JVM process of its own (osBrain's model).
     *
     * @return {@code true} for a process of its own; {@code false} (the default) for this JVM
     */
    public boolean ownProcess() {
        return ownProcess;
    }

    /**
     * How long the agent's loop polls for work before it sleeps (busy polling); zero, the default,
     * sleeps at once. See {@link Builder#spinWait(Duration)}.
     *
     * @return the spin, zero or more
     */
    public Duration spinWait() {
        return spinWait;
    }

    /**
     * Whether byte arrays this agent sends go out without the defensive copy. See
     * {@link Builder#shareSentArrays(boolean)}.
     *
     * @return {@code true} to send them as they are; {@code false} (the default) copies them
     */
    public boolean shareSentArrays() {
        return shareSentArrays;
    }

    /**
     * How many messages the agent's PUSH sockets put in one frame; 1, the default, sends each
     * alone. See {@link Builder#batchSends(int)}.
     *
     * @return the most messages per frame
     */
    public int batchSends() {
        return batchSends;
    }

    @Override
    public String toString() {
        return "AgentOptions[agentClass=" + agentClass.getName() + ", attributes=" + attributes.keySet()
                + ", nameServer=" + nameServer + ", transport=" + transport + ", host=" + host + ", codec=" + codec
                + ", linger=" + linger + ", safeCalls=" + safeCalls + ", timeout=" + timeout
                + ", highWaterMark=" + highWaterMark
                + ", idlePeriod=" + idlePeriod + ", stopOnHandlerError=" + stopOnHandlerError
                + ", ownProcess=" + ownProcess + ", spinWait=" + spinWait + ", shareSentArrays=" + shareSentArrays
                + ", batchSends=" + batchSends + "]";
    }

    /** Builds {@link AgentOptions}; {@link #build()} validates. */
    public static final class Builder {
        private Class<? extends BaseAgent> agentClass;
        private final Map<String, @Nullable Object> attributes = new LinkedHashMap<>();
        private @Nullable String nameServer;
        private @Nullable Transport transport;
        private @Nullable String host;
        private @Nullable Codec codec;
        private @Nullable Duration linger;
        private @Nullable Boolean safeCalls;
        private @Nullable Duration timeout;
        private @Nullable Integer highWaterMark;
        private Duration nameServerWait = Duration.ZERO;
        private Duration idlePeriod = Duration.ofSeconds(1);
        private boolean stopOnHandlerError;
        private boolean ownProcess;
        private Duration spinWait = Duration.ZERO;
        private boolean shareSentArrays;
        private int batchSends = 1;

        private Builder(Class<? extends BaseAgent> agentClass) {
            this.agentClass = Objects.requireNonNull(agentClass, "agentClass");
        }

        /**
         * Sets the agent class.
         *
         * @param agentClass a {@link BaseAgent} subclass with a no-argument constructor
         * @return this builder
         */
        public Builder agentClass(Class<? extends BaseAgent> agentClass) {
            this.agentClass = Objects.requireNonNull(agentClass, "agentClass");
            return this;
        }

        /**
         * Adds initial attributes (osBrain's {@code attributes}); set before {@code onInit} runs.
         *
         * @param attributes attribute values by name
         * @return this builder
         */
        public Builder attributes(Map<String, ?> attributes) {
            this.attributes.putAll(attributes);
            return this;
        }

        /**
         * Adds one initial attribute.
         *
         * @param name  the attribute's name
         * @param value its value
         * @return this builder
         */
        public Builder attribute(String name, @Nullable Object value) {
            this.attributes.put(Objects.requireNonNull(name, "name"), value);
            return this;
        }

        /**
         * Sets the address of the name server the agent registers with.
         *
         * @param address e.g. {@code tcp://127.0.0.1:9091}
         * @return this builder
         */
        public Builder nameServer(String address) {
            this.nameServer = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * Sets the default transport of this agent's binds.
         *
         * @param transport the transport
         * @return this builder
         */
        public Builder transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /**
         * Sets the host this agent's tcp binds use when a bind names none.
         *
         * @param host a host name or IP address, or {@code *}
         * @return this builder
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * Sets the default codec of this agent's sockets.
         *
         * @param codec the codec
         * @return this builder
         */
        public Builder codec(Codec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
            return this;
        }

        /**
         * Sets how long closing a socket may wait for unsent messages.
         *
         * @param linger zero or more; zero drops unsent messages
         * @return this builder
         */
        public Builder linger(Duration linger) {
            this.linger = Objects.requireNonNull(linger, "linger");
            return this;
        }

        /**
         * Sets whether proxy calls run on the agent's loop (safe) or on the caller's thread.
         *
         * @param safeCalls {@code true} for safe calls
         * @return this builder
         */
        public Builder safeCalls(boolean safeCalls) {
            this.safeCalls = safeCalls;
            return this;
        }

        /**
         * Makes starting the agent retry, for up to this long, when its name server does not answer
         * (for example while it is still starting); zero, the default, fails at once.
         *
         * @param nameServerWait zero or more
         * @return this builder
         */
        public Builder nameServerWait(Duration nameServerWait) {
            this.nameServerWait = Objects.requireNonNull(nameServerWait, "nameServerWait");
            return this;
        }

        /**
         * Sets the default time limit of proxy calls and receives.
         *
         * @param timeout more than zero
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Sets ZeroMQ's high-water mark of the agent's sockets, sending and receiving: how many
         * messages each queues per peer before a send waits (PUSH, REQ, DEALER) or a publication to
         * that subscriber is dropped (PUB), and before the connection stops reading. ZeroMQ's own
         * 1000 by default; more smooths bursts of small messages (a receiver that falls behind
         * makes its connection stop and restart reading less often) at the cost of memory for
         * what is queued and a later push-back.
         *
         * @param messages more than zero
         * @return this builder
         */
        public Builder highWaterMark(int messages) {
            this.highWaterMark = messages;
            return this;
        }

        /**
         * Sets how long the loop waits with nothing to do before calling {@link BaseAgent#idle()}.
         *
         * @param idlePeriod more than zero; one second by default
         * @return this builder
         */
        public Builder idlePeriod(Duration idlePeriod) {
            this.idlePeriod = Objects.requireNonNull(idlePeriod, "idlePeriod");
            return this;
        }

        /**
         * Sets whether a handler that throws stops the agent; by default the error is logged and the
         * agent handles the next message.
         *
         * @param stop {@code true} to stop the agent on a handler error
         * @return this builder
         */
        public Builder stopOnHandlerError(boolean stop) {
            this.stopOnHandlerError = stop;
            return this;
        }

        /**
         * Runs the agent in a JVM process of its own, started with this JVM's {@code java} and class
         * path, like osBrain's process per agent. The proxy {@code runAgent} returns then reaches it
         * through its host's control endpoint; the process ends when the agent shuts down, when its
         * name server shuts it down, or when its name server is gone for good. Initial attributes
         * travel as JSON, so they arrive as their JSON types (numbers, strings, lists, maps).
         *
         * @param ownProcess {@code true} for a process of its own
         * @return this builder
         */
        public Builder ownProcess(boolean ownProcess) {
            this.ownProcess = ownProcess;
            return this;
        }

        /**
         * Makes the agent's loop poll for work for up to this long after its last piece of work
         * before it sleeps (busy polling). A message or call that arrives meanwhile is taken at
         * once instead of waking a sleeping thread, which on a virtual machine costs tens of
         * microseconds per message: it shortens round trips through the agent (proxy calls from
         * other processes, request/reply) at the price of a core kept busy for the spin after
         * each piece of work; the loop yields the processor between polls, so other threads that
         * are ready still run. Nothing else changes: the same messages are handled in the same
         * order. Zero, the default, sleeps at once.
         *
         * @param spinWait zero or more, at most one second
         * @return this builder
         */
        public Builder spinWait(Duration spinWait) {
            this.spinWait = Objects.requireNonNull(spinWait, "spinWait");
            return this;
        }

        /**
         * Sends {@code byte[]} messages (raw codec) as they are, without the copy that otherwise
         * protects them, wherever the payload travels in a frame of its own (over inproc always,
         * over tcp and ipc from 8 KiB): the agent's code must then never change an array after
         * passing it to {@code send}, a reply or a request, since it may still be queued or being
         * written out, and a receiver in the same JVM over inproc gets that very array, as with
         * plain JeroMQ. By default ({@code false}) each is copied once when sent, and what a
         * receiver gets is its own.
         *
         * @param share {@code true} to send large arrays without a copy
         * @return this builder
         */
        public Builder shareSentArrays(boolean share) {
            this.shareSentArrays = share;
            return this;
        }

        /**
         * Batches the agent's sends on PUSH sockets over tcp and ipc: what the agent sends on a
         * socket during one pass of its loop (the calls, timers and up to 64 received messages per
         * socket it handles in that pass) goes out when the pass ends, up to {@code messages} (or
         * 64 KiB of envelopes) in one frame, which a receiving agent's PULL socket unpacks and
         * handles in order. Small messages then cost ZeroMQ one frame per batch instead of one
         * each. What changes: a message leaves when its pass ends rather than when {@code send}
         * returns; a PUSH socket with several peers hands them whole batches in turn; the
         * high-water mark counts batches; a batch that fails once its pass has ended (no peer took
         * it within the timeout, or within one 50 ms try while the agent stops) is logged and its
         * messages counted as dropped instead of thrown to the code that sent them. Messages of
         * 8 KiB or more, inproc sockets and other patterns are sent as usual. 1, the default,
         * sends each message alone.
         *
         * @param messages 1 to 10,000
         * @return this builder
         */
        public Builder batchSends(int messages) {
            this.batchSends = messages;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the options
         * @throws IllegalArgumentException naming the setting that is out of range
         */
        public AgentOptions build() {
            if (java.lang.reflect.Modifier.isAbstract(agentClass.getModifiers())) {
                throw new IllegalArgumentException("Agent class " + agentClass.getName() + " is abstract");
            }
            for (String name : attributes.keySet()) {
                if (name.isBlank()) {
                    throw new IllegalArgumentException("Attribute names must not be blank");
                }
            }
            if (linger != null && linger.isNegative()) {
                throw new IllegalArgumentException("linger must not be negative, got " + linger);
            }
            if (nameServerWait.isNegative()) {
                throw new IllegalArgumentException("nameServerWait must not be negative, got " + nameServerWait);
            }
            if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
            if (batchSends < 1 || batchSends > 10_000) {
                throw new IllegalArgumentException("batchSends must be between 1 and 10,000, got " + batchSends);
            }
            if (highWaterMark != null && highWaterMark <= 0) {
                throw new IllegalArgumentException("highWaterMark must be positive, got " + highWaterMark);
            }
            if (idlePeriod.isNegative() || idlePeriod.isZero()) {
                throw new IllegalArgumentException("idlePeriod must be positive, got " + idlePeriod);
            }
            if (spinWait.isNegative() || spinWait.compareTo(Duration.ofSeconds(1)) > 0) {
                throw new IllegalArgumentException("spinWait must be between zero and one second, got " + spinWait);
            }
            if (nameServer != null && !nameServer.contains("://")) {
                throw new IllegalArgumentException(
                        "Name server address '" + nameServer + "' is not an endpoint (expected e.g. tcp://127.0.0.1:9091)");
            }
            return new AgentOptions(this);
        }
    }
}
