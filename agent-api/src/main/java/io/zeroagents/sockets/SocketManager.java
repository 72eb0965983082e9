package io.zeroagents.sockets;

import io.zeroagents.Codec;
import io.zeroagents.spi.AgentRuntimes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Named ZeroMQ sockets managed for you, without agents: AgentZero's {@code SocketManager} in Java.
 *
 * <pre>{@code
 * try (SocketManager sockets = SocketManager.builder().build()) {
 *     String address = sockets.ensureAndBind("pipe-in", SocketType.PULL, "tcp://127.0.0.1:*", Poll.IN)
 *             .boundEndpoints().get(0);
 *     Optional<Job> job = sockets.recvSafe("pipe-in", Job.class);
 * }
 * }</pre>
 *
 * <p>Every socket has a name; operations find it by name and throw {@link SocketNotFound} when the
 * manager has none so named. Sockets are made, bound and connected through the runtime's socket
 * factory: with CURVE when the runtime has keys, with its frame and handshake limits, and a bind
 * other machines can reach is refused ({@link SocketBindError}) while CURVE is off unless
 * {@code zeroagents.insecure.no.curve} allows plain text.
 *
 * <p>Payloads are one frame encoded with the manager's codec (JSON by default); events are two
 * frames, the topic in UTF-8 and the encoded data; nothing else is added, so a plain ZeroMQ peer
 * in any language reads and writes them.
 *
 * <p><b>Not thread-safe, and confined.</b> Like the ZeroMQ sockets it holds (and like AgentZero's,
 * made for one thread or one gevent hub), a manager belongs to the thread that built it: a call
 * from any other thread throws {@link IllegalStateException} naming both threads, before touching
 * a socket. Build one manager per thread; {@link Builder#sharedContext()} lets them (and this JVM's
 * agents) reach each other over {@code inproc}.
 *
 * @since 0.1
 */
public interface SocketManager extends AutoCloseable {

    /**
     * A builder of managers with AgentZero's defaults: a context of the manager's own, JSON, and a
     * polling timeout and a timeout of 10 seconds each.
     *
     * @return a builder
     */
    static Builder builder() {
        return new Builder();
    }

    /**
     * The address utilities of the runtime in use.
     *
     * @return the runtime's network addresses
     * @throws io.zeroagents.RuntimeNotFoundException when no runtime is on the class path
     */
    static NetworkAddresses addresses() {
        return AgentRuntimes.get().networkAddresses();
    }

    /**
     * What this manager was built with.
     *
     * @return its options
     */
    SocketManagerOptions options();

    /**
     * The names of the sockets this manager holds, in creation order.
     *
     * @return an unmodifiable snapshot
     */
    List<String> socketNames();

    // ---- sockets by name ----

    /**
     * Makes a socket, neither bound nor connected nor polled.
     *
     * @param name a name not in use in this manager
     * @param type its type
     * @return the socket
     * @throws SocketAlreadyExists when the name is in use
     */
    NamedSocket create(String name, SocketType type);

    /**
     * The socket of this name.
     *
     * @param name its name
     * @return the socket
     * @throws SocketNotFound when there is none, listing the names there are
     */
    NamedSocket getByName(String name);

    /**
     * The socket of this name, made if there is none, and polled for {@code polling}.
     *
     * @param name    its name
     * @param type    its type, when it is made
     * @param polling what to poll it for (added to what it is polled for already)
     * @return the socket
     * @throws SocketManagerException when a socket of that name has another type
     */
    NamedSocket getOrCreate(String name, SocketType type, Poll polling);

    /**
     * Takes over a socket made elsewhere: names it, polls it, and closes it with the manager.
     *
     * @param name    a name not in use in this manager
     * @param socket  the implementation's socket; for the JeroMQ runtime an {@code org.zeromq.ZMQ.Socket},
     *                used from this manager's thread only from now on
     * @param polling what to poll it for
     * @return the socket under its name
     * @throws SocketAlreadyExists      when the name is in use
     * @throws IllegalArgumentException when {@code socket} is not the runtime's kind of socket
     */
    NamedSocket registerSocket(String name, Object socket, Poll polling);

    // ---- binding and connecting ----

    /**
     * Binds a socket and polls it for {@code polling}. A host name in a {@code tcp://} address is
     * resolved first; port {@code *} lets the system choose.
     *
     * @param name    the socket's name
     * @param address e.g. {@code tcp://127.0.0.1:6000}, {@code tcp://localhost:*}, {@code inproc://jobs}
     * @param polling what to poll it for
     * @return the socket, whose {@link NamedSocket#boundEndpoints()} ends with the endpoint bound
     * @throws SocketNotFound   when there is no such socket
     * @throws SocketBindError  naming the socket and the address when the bind fails or is refused
     */
    NamedSocket bind(String name, String address, Poll polling);

    /**
     * {@link #getOrCreate}, then {@link #bind} unless the socket was already bound to {@code address}.
     *
     * @param name    the socket's name
     * @param type    its type, when it is made
     * @param address where to bind
     * @param polling what to poll it for
     * @return the socket
     * @throws SocketBindError naming the socket and the address when the bind fails or is refused
     */
    NamedSocket ensureAndBind(String name, SocketType type, String address, Poll polling);

    /**
     * Binds a socket to a port the system chooses on the default bind address of the manager's
     * runtime ({@link NetworkAddresses#defaultBindAddress()}).
     *
     * @param name    the socket's name
     * @param polling what to poll it for
     * @return the address peers connect to
     * @throws SocketNotFound  when there is no such socket
     * @throws SocketBindError when the bind fails or is refused
     */
    String bindToRandomPort(String name, Poll polling);

    /**
     * Binds a socket to a port the system chooses on {@code localAddress}, whose host name is
     * resolved first.
     *
     * @param name         the socket's name
     * @param polling      what to poll it for
     * @param localAddress {@code tcp://} and a host, without a port, e.g. {@code tcp://localhost}
     * @return the address peers connect to: the resolved host, or for a wildcard host this machine's
     *         public address ({@link NetworkAddresses#forPeers}), and the port chosen
     * @throws SocketNotFound  when there is no such socket
     * @throws SocketBindError when the bind fails or is refused
     */
    String bindToRandomPort(String name, Poll polling, String localAddress);

    /**
     * Connects a socket and polls it for {@code polling}.
     *
     * @param name    the socket's name
     * @param address e.g. {@code tcp://192.168.2.42:5051}
     * @param polling what to poll it for
     * @return the socket
     * @throws SocketNotFound      when there is no such socket
     * @throws SocketConnectError naming the socket and the address when the connect fails
     */
    NamedSocket connect(String name, String address, Poll polling);

    /**
     * {@link #getOrCreate}, then {@link #connect} unless the socket was already connected to
     * {@code address}.
     *
     * @param name    the socket's name
     * @param type    its type, when it is made
     * @param address where to connect
     * @param polling what to poll it for
     * @return the socket
     * @throws SocketConnectError naming the socket and the address when the connect fails
     */
    NamedSocket ensureAndConnect(String name, SocketType type, String address, Poll polling);

    // ---- polling ----

    /**
     * Polls every polled socket for up to the polling timeout.
     *
     * @return the sockets ready, by name, with what they are ready for; empty when none became ready
     */
    default Map<String, Poll> engage() {
        return engage(options().pollingTimeout());
    }

    /**
     * Polls every polled socket for up to {@code timeout}.
     *
     * @param timeout how long to wait for one to become ready
     * @return the sockets ready, by name, with what they are ready for (among what each is polled
     *         for); empty when none became ready
     */
    Map<String, Poll> engage(Duration timeout);

    /**
     * Polls every polled socket once, for up to the polling timeout, and tells whether this one
     * is ready.
     *
     * @param name    the socket's name
     * @param polling {@link Poll#IN} or {@link Poll#OUT} (or {@link Poll#BOTH} for both at once);
     *                the socket is polled for it from now on
     * @return the socket when it is ready, else empty
     * @throws SocketNotFound when there is no such socket
     */
    default Optional<NamedSocket> ready(String name, Poll polling) {
        return ready(name, polling, options().pollingTimeout());
    }

    /**
     * {@link #ready(String, Poll)} with a polling timeout of its own.
     *
     * @param name    the socket's name
     * @param polling what it must be ready for
     * @param timeout how long the poll waits
     * @return the socket when it is ready, else empty
     * @throws SocketNotFound when there is no such socket
     */
    Optional<NamedSocket> ready(String name, Poll polling, Duration timeout);

    /**
     * Waits up to the default timeout for a socket to become ready, polling in slices of the
     * polling timeout.
     *
     * @param name    the socket's name
     * @param polling what it must be ready for
     * @return the socket once ready, or empty when the timeout passed first
     * @throws SocketNotFound when there is no such socket
     */
    default Optional<NamedSocket> waitUntilReady(String name, Poll polling) {
        return waitUntilReady(name, polling, options().timeout());
    }

    /**
     * Waits up to {@code timeout} for a socket to become ready, polling in slices of the polling
     * timeout.
     *
     * @param name    the socket's name
     * @param polling what it must be ready for
     * @param timeout how long to wait in all
     * @return the socket once ready, or empty when the timeout passed first
     * @throws SocketNotFound when there is no such socket
     */
    default Optional<NamedSocket> waitUntilReady(String name, Poll polling, Duration timeout) {
        return waitUntilReady(name, polling, timeout, options().pollingTimeout());
    }

    /**
     * Waits up to {@code timeout} for a socket to become ready, polling in slices of
     * {@code pollingTimeout}.
     *
     * @param name           the socket's name
     * @param polling        what it must be ready for
     * @param timeout        how long to wait in all
     * @param pollingTimeout how long one poll may wait
     * @return the socket once ready, or empty when the timeout passed first
     * @throws SocketNotFound when there is no such socket
     */
    Optional<NamedSocket> waitUntilReady(String name, Poll polling, Duration timeout, Duration pollingTimeout);

    // ---- messages ----

    /**
     * Encodes {@code data} with the codec, waits up to the default timeout for the socket to accept
     * it, and sends it as one frame.
     *
     * @param name the socket's name
     * @param data the value, not {@code null}
     * @return {@code true} when sent, {@code false} when the socket never became ready
     * @throws SocketNotFound                          when there is no such socket
     * @throws io.zeroagents.MessageEncodingException when the codec cannot encode the value
     */
    default boolean sendSafe(String name, Object data) {
        return sendSafe(name, data, options().timeout());
    }

    /**
     * {@link #sendSafe(String, Object)} with a timeout of its own.
     *
     * @param name    the socket's name
     * @param data    the value, not {@code null}
     * @param timeout how long to wait for the socket
     * @return {@code true} when sent, {@code false} when the socket never became ready
     * @throws SocketNotFound when there is no such socket
     */
    boolean sendSafe(String name, Object data, Duration timeout);

    /**
     * Waits up to the default timeout for a message and decodes it with the codec. Of a message of
     * several frames (a {@code ROUTER}'s, which starts with the sender's identity) the last frame is
     * the data.
     *
     * @param name the socket's name
     * @param type what to decode into
     * @param <T>  that type
     * @return the value, or empty when no message came (or it decoded to no value, such as JSON
     *         {@code null})
     * @throws SocketNotFound                          when there is no such socket
     * @throws io.zeroagents.MessageDecodingException when the bytes cannot become a {@code type}
     */
    default <T> Optional<T> recvSafe(String name, Class<T> type) {
        return recvSafe(name, type, options().timeout());
    }

    /**
     * {@link #recvSafe(String, Class)} with a timeout of its own.
     *
     * @param name    the socket's name
     * @param type    what to decode into
     * @param timeout how long to wait for a message
     * @param <T>     that type
     * @return the value, or empty when no message came
     * @throws SocketNotFound when there is no such socket
     */
    <T> Optional<T> recvSafe(String name, Class<T> type, Duration timeout);

    /**
     * Waits up to {@code timeout} for the socket to accept a message and sends these frames as
     * they are: what {@code ROUTER} sockets need to address a peer.
     *
     * @param name    the socket's name
     * @param frames  one frame at least
     * @param timeout how long to wait for the socket
     * @return {@code true} when sent, {@code false} when the socket never became ready
     * @throws SocketNotFound when there is no such socket
     */
    boolean sendFrames(String name, List<byte[]> frames, Duration timeout);

    /**
     * Waits up to {@code timeout} for a message and returns all its frames as they are.
     *
     * @param name    the socket's name
     * @param timeout how long to wait
     * @return the frames, or empty when no message came
     * @throws SocketNotFound when there is no such socket
     */
    Optional<List<byte[]>> recvFrames(String name, Duration timeout);

    /**
     * Encodes a value with the manager's codec, for {@link #sendFrames}.
     *
     * @param data the value, not {@code null}
     * @return its bytes
     * @throws io.zeroagents.MessageEncodingException when the codec cannot encode it
     */
    byte[] encode(Object data);

    /**
     * Decodes bytes with the manager's codec, for what {@link #recvFrames} returns.
     *
     * @param bytes the bytes
     * @param type  what to decode into
     * @param <T>   that type
     * @return the value, empty when the bytes mean no value (such as JSON {@code null})
     * @throws io.zeroagents.MessageDecodingException when the bytes cannot become a {@code type}
     */
    <T> Optional<T> decode(byte[] bytes, Class<T> type);

    // ---- events ----

    /**
     * Subscribes a {@code SUB} socket to a topic prefix ({@code ""} for every topic).
     *
     * @param name  the socket's name
     * @param topic the prefix
     * @throws SocketNotFound when there is no such socket
     */
    default void setTopic(String name, String topic) {
        setSocketOption(name, SocketOption.SUBSCRIBE, topic);
    }

    /**
     * Encodes {@code data}, waits up to the default timeout for the socket, and sends the event as
     * two frames: the topic and the data.
     *
     * @param name  the socket's name
     * @param topic the topic
     * @param data  the value, not {@code null}
     * @return {@code true} when sent, {@code false} when the socket never became ready
     * @throws SocketNotFound when there is no such socket
     */
    default boolean publishSafe(String name, String topic, Object data) {
        return publishSafe(name, topic, data, options().timeout());
    }

    /**
     * {@link #publishSafe(String, String, Object)} with a timeout of its own.
     *
     * @param name    the socket's name
     * @param topic   the topic
     * @param data    the value, not {@code null}
     * @param timeout how long to wait for the socket
     * @return {@code true} when sent, {@code false} when the socket never became ready
     * @throws SocketNotFound when there is no such socket
     */
    boolean publishSafe(String name, String topic, Object data, Duration timeout);

    /**
     * Waits up to the default timeout for an event: a topic frame and a data frame.
     *
     * @param name the socket's name
     * @param type what to decode the data into
     * @param <T>  that type
     * @return the event, or empty when none came
     * @throws SocketNotFound                          when there is no such socket
     * @throws io.zeroagents.MessageDecodingException when the message is not two frames or its data
     *                                                cannot become a {@code type}
     */
    default <T> Optional<SocketEvent<T>> recvEvent(String name, Class<T> type) {
        return recvEvent(name, type, options().timeout());
    }

    /**
     * {@link #recvEvent(String, Class)} with a timeout of its own.
     *
     * @param name    the socket's name
     * @param type    what to decode the data into
     * @param timeout how long to wait
     * @param <T>     that type
     * @return the event, or empty when none came
     * @throws SocketNotFound when there is no such socket
     */
    <T> Optional<SocketEvent<T>> recvEvent(String name, Class<T> type, Duration timeout);

    /**
     * Subscribes to {@code topic} and returns the events as they come: the stream keeps polling
     * (in slices of the default timeout) while {@code keepPolling} says so, and ends when it says
     * no or the socket is closed. Consume it on this manager's thread.
     *
     * @param name        the socket's name
     * @param topic       the topic prefix to subscribe to ({@code ""} for every topic)
     * @param type        what to decode the data into
     * @param keepPolling asked before each wait
     * @param <T>         that type
     * @return a sequential, lazy stream of events
     * @throws SocketNotFound when there is no such socket
     */
    <T> Stream<SocketEvent<T>> subscribe(String name, String topic, Class<T> type, BooleanSupplier keepPolling);

    /**
     * {@link #subscribe(String, String, Class, BooleanSupplier)} polling until the socket is closed
     * or the stream is short-circuited (with {@code limit}, {@code takeWhile} or {@code findFirst}).
     *
     * @param name  the socket's name
     * @param topic the topic prefix
     * @param type  what to decode the data into
     * @param <T>   that type
     * @return a sequential, lazy, endless stream of events
     */
    default <T> Stream<SocketEvent<T>> subscribe(String name, String topic, Class<T> type) {
        return subscribe(name, topic, type, () -> true);
    }

    // ---- options and closing ----

    /**
     * Sets a socket option.
     *
     * @param name   the socket's name
     * @param option the option
     * @param value  its value
     * @param <T>    the option's value type
     * @throws SocketNotFound          when there is no such socket
     * @throws SocketManagerException naming the socket and option when ZeroMQ refuses the value
     */
    <T> void setSocketOption(String name, SocketOption<T> option, T value);

    /**
     * Closes a socket, if there is one of that name, and forgets it: the name can be used again.
     *
     * @param name the socket's name
     * @return {@code true} when there was one
     */
    boolean close(String name);

    /**
     * Closes every socket, then the manager's own context if it has one. Closing twice does nothing.
     */
    @Override
    void close();

    /**
     * Builds a {@link SocketManager}; {@link #build()} checks the settings and asks the runtime.
     *
     * @since 0.1
     */
    final class Builder {
        private boolean sharedContext;
        private Codec codec = Codec.JSON;
        private Duration pollingTimeout = SocketManagerOptions.DEFAULT_POLLING_TIMEOUT;
        private Duration timeout = SocketManagerOptions.DEFAULT_TIMEOUT;

        private Builder() {
        }

        /**
         * Makes the sockets in the runtime's context, shared with this JVM's agents and other sharing
         * managers, so {@code inproc} endpoints reach them. The default is a context of the
         * manager's own.
         *
         * @return this builder
         */
        public Builder sharedContext() {
            this.sharedContext = true;
            return this;
        }

        /**
         * Gives the manager a context of its own, closed with it. The default.
         *
         * @return this builder
         */
        public Builder ownContext() {
            this.sharedContext = false;
            return this;
        }

        /**
         * The payload codec; {@link Codec#JSON} by default.
         *
         * @param codec a concrete codec: built in, or registered by a {@code PayloadCodec} provider
         * @return this builder
         */
        public Builder codec(Codec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
            return this;
        }

        /**
         * How long one poll waits; 10 seconds by default.
         *
         * @param pollingTimeout a positive duration
         * @return this builder
         */
        public Builder pollingTimeout(Duration pollingTimeout) {
            this.pollingTimeout = Objects.requireNonNull(pollingTimeout, "pollingTimeout");
            return this;
        }

        /**
         * How long an operation waits for its socket by default; 10 seconds by default.
         *
         * @param timeout a duration not negative
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * The manager, owned by the calling thread.
         *
         * @return a new manager
         * @throws IllegalArgumentException               when a setting is out of range or the codec is
         *                                                {@link Codec#AUTO}
         * @throws io.zeroagents.RuntimeNotFoundException when no runtime is on the class path
         */
        public SocketManager build() {
            return AgentRuntimes.get().socketManager(
                    new SocketManagerOptions(sharedContext, codec, pollingTimeout, timeout));
        }
    }
}
