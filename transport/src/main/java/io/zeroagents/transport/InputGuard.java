package io.zeroagents.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * Watches one socket's connections through JeroMQ's event hook and bounds what each may send and
 * how many there are: each connection gets a {@link MessageBudget} of its own, connections over the
 * {@link ConnectionLimits} are closed as they are accepted, and a connection that greets in ZMTP
 * 1.0 or 2.0 is closed (JeroMQ does so for a socket with a ZAP domain, which the guard gives a
 * plain-text socket) or, should JeroMQ let it through, gets nothing through.
 *
 * <p>How a connection gets its own budget: JeroMQ makes a connection's decoder at the end of its
 * greeting, with the allocator the socket's options hold at that moment, and reports the greeting
 * ({@code ZMQ_EVENT_HANDSHAKE_PROTOCOL}) synchronously, on the same I/O thread, right after. The
 * hook then puts a fresh budget in the options for the next connection. ZeroAgents' contexts have
 * one I/O thread, so no other greeting comes in between.
 *
 * <p>How a connection is cut: the budget learns its peer's address from the first frame JeroMQ
 * attaches metadata to, finds its channel among those accepted or connected, and shuts its input
 * down; JeroMQ's next read ends the connection as if its peer had closed it.
 *
 * <p>Events and budgets run on JeroMQ's I/O thread; the methods that touch the guard's tables are
 * synchronized all the same, once per connection, never per frame.
 */
final class InputGuard implements zmq.ZMQ.EventConsummer {
    private static final int EVENTS = zmq.ZMQ.ZMQ_EVENT_ACCEPTED | zmq.ZMQ.ZMQ_EVENT_CONNECTED
            | zmq.ZMQ.ZMQ_EVENT_HANDSHAKE_PROTOCOL | zmq.ZMQ.ZMQ_EVENT_DISCONNECTED;
    /** The ordinal JeroMQ reports for a ZMTP 3 greeting; 0 to 2 are ZMTP 1.0 and 2.0. */
    private static final int ZMTP_3 = 3;
    /** The ZAP domain of plain-text sockets, there only to make JeroMQ refuse ZMTP 1.0 and 2.0. */
    static final String PLAIN_TEXT_DOMAIN = "zeroagents-plain";

    private final ZMQ.Socket socket;
    private final InputLimits limits;
    private final @Nullable ConnectionLimits connectionLimits;
    private final InputReport report;
    private final int frameOverhead;
    /** What a message is on this socket, for the log. */
    private final String what;
    /** The budget the next connection's decoder takes; I/O thread only. */
    private MessageBudget next;
    /** Connections accepted or connected whose budget has not found them yet, by peer {@code ip:port}. */
    private final Map<String, SocketChannel> unclaimed = new HashMap<>();
    /** Connections accepted and not ended, with their peer's IP address, for the connection limits. */
    private final Map<SocketChannel, String> accepted = new IdentityHashMap<>();
    private final Map<String, Integer> acceptedPerHost = new HashMap<>();
    /** Told of the events in {@link #listenerEvents}, after the guard: the socket's owner's hook. */
    private final zmq.ZMQ.@Nullable EventConsummer listener;
    private final int listenerEvents;

    private InputGuard(ZMQ.Socket socket, InputLimits limits, @Nullable ConnectionLimits connectionLimits,
                       InputReport report, boolean curve, zmq.ZMQ.@Nullable EventConsummer listener,
                       int listenerEvents) {
        this.socket = socket;
        this.listener = listener;
        this.listenerEvents = listener == null ? 0 : listenerEvents;
        this.limits = limits;
        this.connectionLimits = connectionLimits;
        this.report = report;
        this.frameOverhead = curve ? MessageBudget.CURVE_FRAME_OVERHEAD : 0;
        SocketType type = socket.getSocketType();
        this.what = type == SocketType.PUB || type == SocketType.XPUB ? "subscription" : "message";
        this.next = new MessageBudget(this, limits, frameOverhead, what);
    }

    /**
     * Puts a guard on a fresh socket, before it binds or connects.
     *
     * @param socket           the socket, which no other thread knows yet
     * @param limits           what one message may hold
     * @param connectionLimits how many connections a bound socket keeps, or {@code null} for no limit
     * @param report           where refusals are counted and logged
     * @param curve            whether the socket's connections are CURVE's (whose frames carry more)
     * @param listener         also told of the events in {@code listenerEvents} (JeroMQ keeps one hook
     *                         per socket), or {@code null}
     * @param listenerEvents   the {@code ZMQ_EVENT_*} bits {@code listener} is told of
     */
    static void install(ZMQ.Socket socket, InputLimits limits, @Nullable ConnectionLimits connectionLimits,
                        InputReport report, boolean curve, zmq.ZMQ.@Nullable EventConsummer listener,
                        int listenerEvents) {
        String domain = socket.getZAPDomain();
        if (domain == null || domain.isEmpty()) {
            // JeroMQ closes a connection that greets in ZMTP 1.0 or 2.0 when its socket has a ZAP
            // domain. A plain-text socket's domain asks nothing of anyone: ZeroAgents runs a ZAP
            // handler only in contexts whose sockets are all CURVE's (which set their own domain).
            socket.setZAPDomain(PLAIN_TEXT_DOMAIN);
        }
        InputGuard guard = new InputGuard(socket, limits, connectionLimits, report, curve, listener, listenerEvents);
        if (!socket.setMsgAllocator(guard.next) || !socket.base().setEventHook(guard, EVENTS | guard.listenerEvents)) {
            throw new IllegalStateException("Cannot watch the input of " + socket + ": errno " + socket.errno());
        }
    }

    @Override
    public void consume(zmq.ZMQ.Event event) {
        guard(event);
        zmq.ZMQ.EventConsummer owner = listener;
        if (owner != null && (event.event & listenerEvents) != 0) {
            owner.consume(event);
        }
    }

    private void guard(zmq.ZMQ.Event event) {
        switch (event.event) {
            case zmq.ZMQ.ZMQ_EVENT_ACCEPTED -> accepted((SocketChannel) event.arg, event.addr);
            case zmq.ZMQ.ZMQ_EVENT_CONNECTED -> connected((SocketChannel) event.arg);
            case zmq.ZMQ.ZMQ_EVENT_HANDSHAKE_PROTOCOL -> handshaken((Integer) event.arg, event.addr);
            case zmq.ZMQ.ZMQ_EVENT_DISCONNECTED -> ended((SocketChannel) event.arg);
            default -> {
                // Not asked for.
            }
        }
    }

    /** A connection's greeting is read and its decoder made with {@link #next}: the next gets a fresh one. */
    private void handshaken(int zmtpVersion, String endpoint) {
        MessageBudget taken = next;
        next = new MessageBudget(this, limits, frameOverhead, what);
        // Read by the I/O thread when it makes the next decoder; this is that thread.
        socket.base().setSocketOpt(zmq.ZMQ.ZMQ_MSG_ALLOCATOR, next);
        taken.start(endpoint);
        if (zmtpVersion < ZMTP_3) {
            // Only when JeroMQ let it through (a socket whose ZAP domain was cleared): nothing goes further.
            taken.cut("a ZMTP 1.0 or 2.0 greeting, which no ZeroAgents peer sends", false);
        }
    }

    private synchronized void accepted(SocketChannel channel, String endpoint) {
        String address = address(channel);
        if (address == null) {
            return;
        }
        ConnectionLimits limits = connectionLimits;
        if (limits != null) {
            String host = address.substring(0, address.lastIndexOf(':'));
            if (accepted.size() >= limits.total() || acceptedPerHost.getOrDefault(host, 0) >= limits.perPeer()) {
                forgetClosed();
            }
            int fromHost = acceptedPerHost.getOrDefault(host, 0);
            if (accepted.size() >= limits.total() || fromHost >= limits.perPeer()) {
                // Counted before the peer can see its connection closed.
                report.refused(endpoint, host, accepted.size() >= limits.total()
                        ? "it has " + accepted.size() + " connections, its limit" : "that address has " + fromHost
                        + " connections, the limit per peer");
                close(channel);
                return;
            }
            accepted.put(channel, host);
            acceptedPerHost.merge(host, 1, Integer::sum);
        }
        unclaimed.put(address, channel);
    }

    private synchronized void connected(SocketChannel channel) {
        String address = address(channel);
        if (address != null) {
            unclaimed.put(address, channel);
        }
    }

    private synchronized void ended(SocketChannel channel) {
        String host = accepted.remove(channel);
        if (host != null) {
            acceptedPerHost.computeIfPresent(host, (h, count) -> count > 1 ? count - 1 : null);
        }
        unclaimed.values().remove(channel);
    }

    /**
     * Forgets connections JeroMQ closed without reporting it (a session ended by its socket), so
     * that they do not count against the limits.
     */
    private void forgetClosed() {
        for (Iterator<Map.Entry<SocketChannel, String>> it = accepted.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<SocketChannel, String> entry = it.next();
            if (!entry.getKey().isOpen()) {
                it.remove();
                acceptedPerHost.computeIfPresent(entry.getValue(), (h, count) -> count > 1 ? count - 1 : null);
            }
        }
        unclaimed.values().removeIf(channel -> !channel.isOpen());
    }

    /** The channel of the connection with peer {@code address}, once: its budget keeps it. */
    synchronized @Nullable SocketChannel channelOf(String address) {
        return unclaimed.remove(address);
    }

    void truncated(MessageBudget budget, int maxFrames) {
        report.truncated(budget.endpoint(), budget.peerHost(), budget.peer(), maxFrames);
    }

    void countCut() {
        report.countCut();
    }

    void logCut(MessageBudget budget, String reason) {
        report.logCut(budget.endpoint(), budget.peerHost(), budget.peer(), reason);
    }

    /** Ends a connection's input: JeroMQ's next read of it finds the end and closes it. */
    static void shutDownInput(@Nullable SocketChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.shutdownInput();
        } catch (IOException e) {
            close(channel);
        }
    }

    private static void close(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Closed either way.
        }
    }

    /** {@code ip:port} of the peer, as JeroMQ writes it in a connection's metadata. */
    private static @Nullable String address(SocketChannel channel) {
        try {
            SocketAddress remote = channel.getRemoteAddress();
            if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
                return inet.getAddress().getHostAddress() + ":" + inet.getPort();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
