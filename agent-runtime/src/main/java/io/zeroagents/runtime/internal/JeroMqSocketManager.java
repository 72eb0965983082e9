package io.zeroagents.runtime.internal;

import io.zeroagents.MessageDecodingException;
import io.zeroagents.MessageEncodingException;
import io.zeroagents.serialization.CodecRegistry;
import io.zeroagents.serialization.PayloadCodec;
import io.zeroagents.settings.ZeroAgentsSettings;
import io.zeroagents.sockets.NamedSocket;
import io.zeroagents.sockets.NetworkAddresses;
import io.zeroagents.sockets.Poll;
import io.zeroagents.sockets.SocketAlreadyExists;
import io.zeroagents.sockets.SocketBindError;
import io.zeroagents.sockets.SocketConnectError;
import io.zeroagents.sockets.SocketEvent;
import io.zeroagents.sockets.SocketManager;
import io.zeroagents.sockets.SocketManagerException;
import io.zeroagents.sockets.SocketManagerOptions;
import io.zeroagents.sockets.SocketNotFound;
import io.zeroagents.sockets.SocketOption;
import io.zeroagents.sockets.SocketType;
import io.zeroagents.transport.Frames;
import io.zeroagents.transport.InsecureBindException;
import io.zeroagents.transport.SocketFactory;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * The JeroMQ {@link SocketManager}: named sockets made by the transport's {@link SocketFactory},
 * one poller over the polled ones for {@link #engage}, one-socket pollers for waits, and the
 * codec's bytes as frames. Confined to the thread that made it (see {@link SocketManager}); the
 * check costs a field read and a comparison per call.
 */
final class JeroMqSocketManager implements SocketManager {
    private final SocketManagerOptions options;
    private final SocketContext context;
    private final SocketFactory factory;
    private final CodecRegistry codecs;
    private final PayloadCodec codec;
    private final NetworkAddresses addresses;
    private final Thread owner = Thread.currentThread();
    private final Map<String, ManagedSocket> sockets = new LinkedHashMap<>();
    /** The poller of {@link #engage}, over {@link #polled}; rebuilt after a change, when next used. */
    private ZMQ.@Nullable Poller poller;
    private final List<ManagedSocket> polled = new ArrayList<>();
    private boolean pollerStale = true;
    private boolean closed;

    JeroMqSocketManager(SocketManagerOptions options, SocketContext context, CodecRegistry codecs,
                        NetworkAddresses addresses) {
        this.options = options;
        this.context = context;
        this.factory = context.factory();
        this.codecs = codecs;
        this.codec = codecs.get(options.codec());
        this.addresses = addresses;
    }

    @Override
    public SocketManagerOptions options() {
        return options;
    }

    @Override
    public List<String> socketNames() {
        confined();
        return List.copyOf(sockets.keySet());
    }

    // ---- sockets by name ----

    @Override
    public NamedSocket create(String name, SocketType type) {
        confined();
        Objects.requireNonNull(type, "type");
        if (Objects.requireNonNull(name, "name").isBlank()) {
            throw new IllegalArgumentException(this + ": a socket name must not be blank");
        }
        if (sockets.containsKey(name)) {
            throw new SocketAlreadyExists(this + " already has a socket named '" + name + "'");
        }
        ManagedSocket s = new ManagedSocket(name, type, factory.create(org.zeromq.SocketType.valueOf(type.name())));
        sockets.put(name, s);
        return s;
    }

    @Override
    public NamedSocket getByName(String name) {
        confined();
        return find(name);
    }

    @Override
    public NamedSocket getOrCreate(String name, SocketType type, Poll polling) {
        confined();
        ManagedSocket s = sockets.get(name);
        if (s == null) {
            s = (ManagedSocket) create(name, type);
        } else if (s.type != type) {
            throw new SocketManagerException(this + " has socket '" + name + "' as a " + s.type + ", not a " + type);
        }
        pollFor(s, polling);
        return s;
    }

    @Override
    public NamedSocket registerSocket(String name, Object socket, Poll polling) {
        confined();
        if (!(socket instanceof ZMQ.Socket zs)) {
            throw new IllegalArgumentException(this + " can register only an org.zeromq.ZMQ.Socket as '" + name
                    + "', not a " + socket.getClass().getName());
        }
        if (sockets.containsKey(name)) {
            throw new SocketAlreadyExists(this + " already has a socket named '" + name + "'");
        }
        SocketType type;
        try {
            type = SocketType.valueOf(zs.getSocketType().name());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(this + " cannot manage a " + zs.getSocketType() + " socket as '"
                    + name + "'", e);
        }
        ManagedSocket s = new ManagedSocket(name, type, zs);
        sockets.put(name, s);
        pollFor(s, polling);
        return s;
    }

    // ---- binding and connecting ----

    @Override
    public NamedSocket bind(String name, String address, Poll polling) {
        confined();
        ManagedSocket s = find(name);
        s.bound(address, bindResolved(s, address));
        pollFor(s, polling);
        return s;
    }

    @Override
    public NamedSocket ensureAndBind(String name, SocketType type, String address, Poll polling) {
        ManagedSocket s = (ManagedSocket) getOrCreate(name, type, polling);
        if (!s.boundTo(address)) {
            s.bound(address, bindResolved(s, address));
        }
        return s;
    }

    @Override
    public String bindToRandomPort(String name, Poll polling) {
        return bindToRandomPort(name, polling, addresses.defaultBindAddress());
    }

    @Override
    public String bindToRandomPort(String name, Poll polling, String localAddress) {
        confined();
        ManagedSocket s = find(name);
        TcpAddress local;
        try {
            local = TcpAddress.parse(localAddress);
        } catch (IllegalArgumentException e) {
            throw new SocketBindError(this + " cannot bind socket " + s + " to a random port of '" + localAddress
                    + "': " + e.getMessage(), e);
        }
        if (local.port() != null && !local.port().equals("*")) {
            throw new SocketBindError(this + " cannot bind socket " + s + " to a random port of '" + localAddress
                    + "': give the host without a port, e.g. tcp://127.0.0.1");
        }
        String asked = local.withPort("*").toString();
        String endpoint = bindResolved(s, asked);
        s.bound(asked, endpoint);
        pollFor(s, polling);
        return addresses.forPeers(endpoint);
    }

    /** Binds with the host name resolved; returns the endpoint ZeroMQ reports. */
    private String bindResolved(ManagedSocket s, String address) {
        String endpoint = address;
        try {
            if (address.regionMatches(true, 0, "tcp://", 0, 6)) {
                endpoint = TcpAddress.parse(address).resolved().toString();
            }
            return factory.bind(s.socket, endpoint);
        } catch (UnknownHostException e) {
            throw new SocketBindError(this + " cannot bind socket " + s + " to " + address + ": host name '"
                    + e.getMessage() + "' does not resolve", e);
        } catch (InsecureBindException e) {
            throw new SocketBindError(this + " cannot bind socket " + s + " to " + address + ": other machines can"
                    + " reach that address and CURVE is off, so anyone who reaches the port could send to it; "
                    + ZeroAgentsSettings.insecureBindAdvice(), e);
        } catch (ZMQException | IllegalArgumentException e) {
            throw new SocketBindError(this + " cannot bind socket " + s + " to " + address
                    + (endpoint.equals(address) ? "" : " (" + endpoint + ")") + ": " + describe(e), e);
        }
    }

    @Override
    public NamedSocket connect(String name, String address, Poll polling) {
        confined();
        ManagedSocket s = find(name);
        connect(s, address);
        pollFor(s, polling);
        return s;
    }

    @Override
    public NamedSocket ensureAndConnect(String name, SocketType type, String address, Poll polling) {
        ManagedSocket s = (ManagedSocket) getOrCreate(name, type, polling);
        if (!s.connectedTo(address)) {
            connect(s, address);
        }
        return s;
    }

    private void connect(ManagedSocket s, String address) {
        try {
            factory.connect(s.socket, address);
        } catch (ZMQException | IllegalArgumentException e) {
            throw new SocketConnectError(this + " cannot connect socket " + s + " to " + address + ": "
                    + describe(e), e);
        }
        s.connected(address);
    }

    private static String describe(RuntimeException e) {
        return String.valueOf(e.getMessage());
    }

    // ---- polling ----

    @Override
    public Map<String, Poll> engage(Duration timeout) {
        confined();
        ZMQ.Poller all = poller();
        Map<String, Poll> ready = new LinkedHashMap<>();
        if (polled.isEmpty()) {
            return ready;
        }
        all.poll(Math.max(0, timeout.toMillis()));
        for (int i = 0; i < polled.size(); i++) {
            ManagedSocket s = polled.get(i);
            Poll asked = s.polling();
            // The socket's own events, not the poller's, so the answer is up to date and within what was asked.
            Poll now = ManagedSocket.readiness(s.socket.getEvents() & ManagedSocket.mask(asked));
            if (now != null) {
                ready.put(s.name, now);
            }
        }
        return ready;
    }

    @Override
    public Optional<NamedSocket> ready(String name, Poll polling, Duration timeout) {
        confined();
        ManagedSocket s = find(name);
        pollFor(s, polling);
        Poll now = engage(timeout).get(name);
        return now != null && now.includes(polling) ? Optional.of(s) : Optional.empty();
    }

    @Override
    public Optional<NamedSocket> waitUntilReady(String name, Poll polling, Duration timeout, Duration pollingTimeout) {
        confined();
        ManagedSocket s = find(name);
        return awaitReady(s, polling, timeout, pollingTimeout) ? Optional.of(s) : Optional.empty();
    }

    private boolean awaitReady(ManagedSocket s, Poll polling, Duration timeout, Duration pollingTimeout) {
        long slice = Math.max(1, pollingTimeout.toMillis());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
            if (s.await(context.zmq(), polling, Math.min(slice, left))) {
                return true;
            }
            if (deadline - System.nanoTime() <= 0) {
                return false;
            }
        }
    }

    private void pollFor(ManagedSocket s, Poll polling) {
        if (s.pollFor(Objects.requireNonNull(polling, "polling"))) {
            pollerStale = true;
        }
    }

    private ZMQ.Poller poller() {
        ZMQ.Poller current = poller;
        if (current != null && !pollerStale) {
            return current;
        }
        if (current != null) {
            current.close();
        }
        polled.clear();
        for (ManagedSocket s : sockets.values()) {
            if (s.polling() != Poll.NONE) {
                polled.add(s);
            }
        }
        current = context.zmq().createPoller(Math.max(1, polled.size()));
        for (ManagedSocket s : polled) {
            current.register(s.socket, ManagedSocket.mask(s.polling()));
        }
        poller = current;
        pollerStale = false;
        return current;
    }

    // ---- messages ----

    @Override
    public boolean sendSafe(String name, Object data, Duration timeout) {
        confined();
        ManagedSocket s = find(name);
        byte[] bytes = encode(data);
        return awaitOut(s, timeout) && s.socket.send(bytes, ZMQ.DONTWAIT);
    }

    @Override
    public <T> Optional<T> recvSafe(String name, Class<T> type, Duration timeout) {
        confined();
        ManagedSocket s = find(name);
        List<byte[]> frames = receive(s, timeout);
        return frames == null ? Optional.empty() : decode(frames.get(frames.size() - 1), type);
    }

    @Override
    public boolean sendFrames(String name, List<byte[]> frames, Duration timeout) {
        confined();
        ManagedSocket s = find(name);
        if (frames.isEmpty()) {
            throw new IllegalArgumentException(this + ": a message on socket " + s + " needs one frame at least");
        }
        if (!awaitOut(s, timeout)) {
            return false;
        }
        int last = frames.size() - 1;
        for (int i = 0; i < last; i++) {
            s.socket.sendMore(frames.get(i));
        }
        return s.socket.send(frames.get(last), ZMQ.DONTWAIT);
    }

    @Override
    public Optional<List<byte[]>> recvFrames(String name, Duration timeout) {
        confined();
        return Optional.ofNullable(receive(find(name), timeout));
    }

    @Override
    public byte[] encode(Object data) {
        Objects.requireNonNull(data, "data");
        if (!codec.canEncode(data)) {
            throw new MessageEncodingException("Codec '" + codec.id() + "' of " + this + " cannot encode a "
                    + data.getClass().getName(), null);
        }
        return codec.encode(data);
    }

    @Override
    public <T> Optional<T> decode(byte[] bytes, Class<T> type) {
        return Optional.ofNullable(codecs.decode(codec.id(), bytes, type));
    }

    // ---- events ----

    @Override
    public boolean publishSafe(String name, String topic, Object data, Duration timeout) {
        confined();
        ManagedSocket s = find(name);
        byte[] bytes = encode(data);
        if (!awaitOut(s, timeout)) {
            return false;
        }
        s.socket.sendMore(topic.getBytes(StandardCharsets.UTF_8));
        return s.socket.send(bytes, ZMQ.DONTWAIT);
    }

    @Override
    public <T> Optional<SocketEvent<T>> recvEvent(String name, Class<T> type, Duration timeout) {
        confined();
        ManagedSocket s = find(name);
        List<byte[]> frames = receive(s, timeout);
        if (frames == null) {
            return Optional.empty();
        }
        if (frames.size() != 2) {
            throw new MessageDecodingException(this + " received " + frames.size() + " frames on socket " + s
                    + " where an event has two: a topic and its data");
        }
        return Optional.of(new SocketEvent<>(new String(frames.get(0), StandardCharsets.UTF_8),
                decode(frames.get(1), type).orElse(null)));
    }

    @Override
    public <T> Stream<SocketEvent<T>> subscribe(String name, String topic, Class<T> type, BooleanSupplier keepPolling) {
        confined();
        setTopic(name, topic);
        EventIterator<T> events = new EventIterator<>(this, name, type, keepPolling);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(events,
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /** Whether {@code name} is still a socket of this open manager; what ends a subscription. */
    boolean holds(String name) {
        return !closed && sockets.containsKey(name);
    }

    /** Waits for the socket to accept a message; false once the timeout passed. */
    private boolean awaitOut(ManagedSocket s, Duration timeout) {
        return awaitReady(s, Poll.OUT, timeout, options.pollingTimeout());
    }

    /** Waits for a message and reads all its frames; null when none came. */
    private @Nullable List<byte[]> receive(ManagedSocket s, Duration timeout) {
        if (!awaitReady(s, Poll.IN, timeout, options.pollingTimeout())) {
            return null;
        }
        return Frames.read(s.socket, ZMQ.DONTWAIT);
    }

    // ---- options and closing ----

    @Override
    public <T> void setSocketOption(String name, SocketOption<T> option, T value) {
        confined();
        ManagedSocket s = find(name);
        try {
            if (!SocketOptions.apply(s.socket, option, option.check(value))) {
                throw new SocketManagerException(this + " could not set " + option + " = " + value + " on socket " + s);
            }
        } catch (ZMQException | IllegalArgumentException | ClassCastException e) {
            throw new SocketManagerException(this + " could not set " + option + " = " + value + " on socket " + s
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean close(String name) {
        confined();
        ManagedSocket s = sockets.remove(name);
        if (s == null) {
            return false;
        }
        pollerStale = true;
        s.close();
        return true;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        confined();
        closed = true;
        ZMQ.Poller current = poller;
        if (current != null) {
            current.close();
            poller = null;
        }
        for (ManagedSocket s : sockets.values()) {
            s.close();
        }
        sockets.clear();
        context.close();
    }

    private ManagedSocket find(String name) {
        ManagedSocket s = sockets.get(name);
        if (s == null) {
            throw new SocketNotFound(this + " has no socket named '" + name + "'");
        }
        return s;
    }

    /** Refuses a call from a thread other than the owner's, or on a closed manager. */
    private void confined() {
        Thread current = Thread.currentThread();
        if (current != owner) {
            throw new IllegalStateException(this + " belongs to thread '" + owner.getName()
                    + "' and was called from thread '" + current.getName() + "': its ZeroMQ sockets are not"
                    + " thread-safe. Build a SocketManager per thread (with sharedContext() to reach each other"
                    + " over inproc)");
        }
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    @Override
    public String toString() {
        return "SocketManager(sockets=" + sockets.keySet() + ")";
    }
}
