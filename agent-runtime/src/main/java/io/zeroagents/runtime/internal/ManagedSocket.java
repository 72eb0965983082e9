package io.zeroagents.runtime.internal;

import io.zeroagents.sockets.NamedSocket;
import io.zeroagents.sockets.Poll;
import io.zeroagents.sockets.SocketType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * One socket of a {@link JeroMqSocketManager}: its JeroMQ socket, what the manager polls it for,
 * the addresses asked for and bound, and the one-socket pollers its waits use (so a wait for this
 * socket is not cut short, again and again, by another socket that is always ready). Used on the
 * manager's thread only.
 */
final class ManagedSocket implements NamedSocket {
    final String name;
    final SocketType type;
    final ZMQ.Socket socket;
    private Poll polling = Poll.NONE;
    private final List<String> bound = new ArrayList<>();
    private final List<String> connected = new ArrayList<>();
    private final Set<String> bindsAsked = new HashSet<>();
    private final Set<String> connectsAsked = new HashSet<>();
    /** A poller per {@link Poll} value, made on first wait for it. */
    private final ZMQ.@Nullable Poller[] waiters = new ZMQ.Poller[Poll.values().length];

    ManagedSocket(String name, SocketType type, ZMQ.Socket socket) {
        this.name = name;
        this.type = type;
        this.socket = socket;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SocketType type() {
        return type;
    }

    @Override
    public Poll polling() {
        return polling;
    }

    /** Adds {@code more} to what the socket is polled for; whether that changed anything. */
    boolean pollFor(Poll more) {
        Poll now = polling.and(more);
        if (now == polling) {
            return false;
        }
        polling = now;
        return true;
    }

    @Override
    public List<String> boundEndpoints() {
        return Collections.unmodifiableList(bound);
    }

    @Override
    public List<String> connectedEndpoints() {
        return Collections.unmodifiableList(connected);
    }

    @Override
    public <S> S unwrap(Class<S> kind) {
        if (!kind.isInstance(socket)) {
            throw new IllegalArgumentException("Socket '" + name + "' is a " + socket.getClass().getName()
                    + ", not a " + kind.getName());
        }
        return kind.cast(socket);
    }

    boolean boundTo(String asked) {
        return bindsAsked.contains(asked);
    }

    boolean connectedTo(String asked) {
        return connectsAsked.contains(asked);
    }

    void bound(String asked, String endpoint) {
        bindsAsked.add(asked);
        bound.add(endpoint);
    }

    void connected(String asked) {
        connectsAsked.add(asked);
        connected.add(asked);
    }

    /** Waits up to {@code millis} for this socket alone to be ready for {@code what}. */
    boolean await(ZContext context, Poll what, long millis) {
        if (ready(socket.getEvents(), what)) {
            return true;
        }
        if (millis <= 0) {
            return false;
        }
        ZMQ.Poller waiter = waiters[what.ordinal()];
        if (waiter == null) {
            waiter = context.createPoller(1);
            waiter.register(socket, mask(what));
            waiters[what.ordinal()] = waiter;
        }
        waiter.poll(millis);
        return ready(socket.getEvents(), what);
    }

    /** Closes the waits' pollers and the socket. */
    void close() {
        for (int i = 0; i < waiters.length; i++) {
            ZMQ.Poller waiter = waiters[i];
            if (waiter != null) {
                waiter.close();
                waiters[i] = null;
            }
        }
        socket.close();
    }

    static int mask(Poll what) {
        return switch (what) {
            case NONE -> 0;
            case IN -> ZMQ.Poller.POLLIN;
            case OUT -> ZMQ.Poller.POLLOUT;
            case BOTH -> ZMQ.Poller.POLLIN | ZMQ.Poller.POLLOUT;
        };
    }

    static boolean ready(int events, Poll what) {
        return (events & mask(what)) == mask(what);
    }

    static @Nullable Poll readiness(int events) {
        boolean in = (events & ZMQ.Poller.POLLIN) != 0;
        boolean out = (events & ZMQ.Poller.POLLOUT) != 0;
        return in && out ? Poll.BOTH : in ? Poll.IN : out ? Poll.OUT : null;
    }

    @Override
    public String toString() {
        return "'" + name + "' (" + type + ")";
    }
}
