package io.zeroagents.runtime.internal;

import io.zeroagents.AgentAddress;
import io.zeroagents.AgentException;
import io.zeroagents.BindOptions;
import io.zeroagents.Codec;
import io.zeroagents.Pattern;
import io.zeroagents.PatternMismatchException;
import io.zeroagents.SocketHandler;
import io.zeroagents.Transport;
import io.zeroagents.UnknownAliasException;
import io.zeroagents.serialization.EnvelopeCodec;
import io.zeroagents.settings.ZeroAgentsSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * An agent's sockets by alias: binds and connects them (a SYNC channel's two ZeroMQ sockets under
 * one alias), subscribes, looks them up, registers them with the loop's wait, and closes them,
 * telling the name server of bound addresses that come and go. Loop thread only.
 */
final class AgentSockets {
    /** What the agent's host hears of its bound sockets, for the name server. */
    interface Registrations {
        /** A socket was bound at {@code address}. */
        void bound(String alias, AgentAddress address);

        /** A bound socket closed. */
        void closed(String alias);
    }

    private final String name;
    private final Settings settings;
    private final EnvelopeCodec envelopes;
    private final AgentSocketFactory factory;
    private final LoopWait loopWait;
    private final AgentMetrics metrics;
    private final Outbox outbox;
    private final Inbox inbox;
    private final PendingRequests pending;
    private final Registrations registrations;
    private final SocketDispatch.Resolver handlers;
    private final Map<String, AgentSocket> sockets = new LinkedHashMap<>();
    /** The values of {@link #sockets}, for the loop to go over without a copy per turn. */
    private AgentSocket[] socketList = new AgentSocket[0];
    /** The socket {@link #get(String)} found last. */
    private @Nullable AgentSocket lastFound;
    private long uniqueSuffix;

    AgentSockets(String name, Settings settings, EnvelopeCodec envelopes, AgentSocketFactory factory, LoopWait loopWait, AgentMetrics metrics,
                 Outbox outbox, Inbox inbox, PendingRequests pending, Registrations registrations,
                 SocketDispatch.Resolver handlers) {
        this.name = name;
        this.settings = settings;
        this.envelopes = envelopes;
        this.factory = factory;
        this.loopWait = loopWait;
        this.metrics = metrics;
        this.outbox = outbox;
        this.inbox = inbox;
        this.pending = pending;
        this.registrations = registrations;
        this.handlers = handlers;
    }

    /** The open sockets, in the order they were made; not to be changed. */
    AgentSocket[] list() {
        return socketList;
    }

    /** The socket with {@code alias}; an {@link UnknownAliasException} names the aliases there are. */
    AgentSocket get(String alias) {
        AgentSocket last = lastFound;
        // A loop sends on the same alias again and again, usually the same string instance.
        if (last != null && last.alias == alias && last.open) {
            return last;
        }
        AgentSocket s = sockets.get(alias);
        if (s == null) {
            throw new UnknownAliasException("Agent '" + name + "' has no socket with alias '" + alias
                    + "' (aliases: " + sockets.keySet() + ")");
        }
        lastFound = s;
        return s;
    }

    boolean has(String alias) {
        return sockets.containsKey(alias);
    }

    /** Every socket's address by alias. */
    Map<String, AgentAddress> addresses() {
        Map<String, AgentAddress> view = new LinkedHashMap<>();
        sockets.forEach((alias, s) -> view.put(alias, s.address));
        return Collections.unmodifiableMap(view);
    }

    // ---------------------------------------------------------------- bind and connect

    /** Binds a socket of {@code pattern} as {@code alias}, registering its address. */
    AgentAddress bind(Pattern pattern, String alias, BindOptions bindOptions) {
        checkAliasFree(alias);
        String where = "Agent '" + name + "' cannot bind socket '" + alias + "' as " + pattern;
        if (pattern.clientOnly()) {
            throw new PatternMismatchException(where + ": connect it to a " + pattern.twin() + " address instead");
        }
        SocketHandler handler = bindOptions.handler();
        if (pattern.serverOnly() && handler == null) {
            throw new PatternMismatchException(where + ": it answers requests, so it needs a handler"
                    + " (SocketHandler.onRequest or withReplier)");
        }
        if (bindOptions.raw() && pattern.serverOnly()) {
            throw new PatternMismatchException(where + " raw: its replies find their requests through envelopes");
        }
        SocketDispatch dispatch = handler == null ? null
                : handlers.resolve(handler, pattern, alias);
        checkTopicLengths(dispatch, alias);
        Codec codec = settings.codecFor(bindOptions);
        String endpoint = settings.endpointFor(bindOptions, name, alias, ++uniqueSuffix);
        ZMQ.Socket socket = factory.create(AgentSocket.mainType(pattern));
        ZMQ.Socket requests = null;
        try {
            factory.bind(socket, endpoint, alias, pattern);
            String requestEndpoint = null;
            SocketType requestsType = AgentSocket.requestsType(pattern);
            if (requestsType != null) {
                requests = factory.create(requestsType);
                requestEndpoint = factory.bind(requests,
                        requestEndpointFor(socket.getLastEndpoint(), bindOptions, alias), alias, pattern);
            }
            AgentAddress address = new AgentAddress(advertised(socket.getLastEndpoint()), pattern, codec,
                    bindOptions.raw(), requestEndpoint == null ? null : advertised(requestEndpoint),
                    factory.serverKey());
            add(new AgentSocket(alias, pattern, true, address, socket, requests, dispatch, envelopes));
            registrations.bound(alias, address);
            return address;
        } catch (RuntimeException e) {
            if (!sockets.containsKey(alias) || sockets.get(alias).socket != socket) {
                socket.close();
                if (requests != null) {
                    requests.close();
                }
            }
            throw e;
        }
    }

    private String advertised(String endpoint) {
        return AdvertisedHost.advertise(endpoint, settings.advertisedHost());
    }

    /** Where a SYNC_PUB channel takes requests: beside its publications, on a port or name of its own. */
    private String requestEndpointFor(String publications, BindOptions bindOptions, String alias) {
        return switch (Transport.ofEndpoint(publications)) {
            case TCP -> publications.substring(0, publications.lastIndexOf(':')) + ":*";
            case IPC -> "ipc://*";
            case INPROC -> bindOptions.address() != null && bindOptions.address().contains("://")
                    ? publications + "/requests"
                    : settings.endpointFor(BindOptions.builder().transport(Transport.INPROC).build(), name,
                    alias + "-requests", ++uniqueSuffix);
        };
    }

    /** Connects a socket as {@code alias} to {@code address}; returns the address of the socket's own side. */
    AgentAddress connect(AgentAddress address, String alias, @Nullable SocketHandler handler) {
        checkAliasFree(alias);
        Pattern pattern = address.clientPattern();
        if (pattern.serverOnly()) {
            throw new PatternMismatchException("Agent '" + name + "' cannot connect socket '" + alias + "' to a "
                    + address.pattern() + " address: bind a " + pattern + " and let " + address.pattern()
                    + " sockets connect to it");
        }
        SocketDispatch dispatch = handler == null ? null
                : handlers.resolve(handler, pattern, alias);
        checkTopicLengths(dispatch, alias);
        ZMQ.Socket socket = factory.create(AgentSocket.mainType(pattern));
        SocketType requestsType = AgentSocket.requestsType(pattern);
        ZMQ.Socket requests = requestsType == null ? null : factory.create(requestsType);
        try {
            factory.connect(socket, address.endpoint(), address.serverKey(), alias, pattern);
            if (requests != null) {
                factory.connect(requests, address.requestEndpoint(), address.serverKey(), alias, pattern);
            }
        } catch (RuntimeException e) {
            socket.close();
            if (requests != null) {
                requests.close();
            }
            throw e;
        }
        add(new AgentSocket(alias, pattern, false, address, socket, requests, dispatch, envelopes));
        return address.twin();
    }

    /** A PUB socket connected to a logger agent's SUB address, kept apart from the aliases. */
    ZMQ.Socket connectLogger(AgentAddress loggerAddress) {
        if (loggerAddress.pattern() != Pattern.SUB) {
            throw new PatternMismatchException("Agent '" + name + "' logs to a logger's SUB address, not to "
                    + loggerAddress);
        }
        ZMQ.Socket socket = factory.create(SocketType.PUB);
        try {
            factory.connect(socket, loggerAddress.endpoint(), loggerAddress.serverKey(), "logger", Pattern.PUB);
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    private void checkAliasFree(String alias) {
        if (alias.isBlank()) {
            throw new IllegalArgumentException("Socket alias must not be blank (agent '" + name + "')");
        }
        if (sockets.containsKey(alias)) {
            throw new AgentException("Agent '" + name + "' already has a socket with alias '" + alias
                    + "' (" + sockets.get(alias) + ")");
        }
    }

    private void add(AgentSocket s) {
        sockets.put(s.alias, s);
        socketList = sockets.values().toArray(AgentSocket[]::new);
        metrics.opened(s);
        if (s.subscribes()) {
            for (String topic : s.dispatch == null ? List.of("") : s.dispatch.topics()) {
                s.defaultTopics.add(topic);
                s.socket.subscribe(topic.getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            watch(s);
        } catch (UncheckedIOException e) {
            close(s, false, 0);
            throw e;
        }
    }

    /** Tells the loop to wake for what {@code s} receives and its handlers take. */
    private void watch(AgentSocket s) {
        try {
            ZMQ.Socket requests = s.requests;
            if (s.pollsMain()) {
                loopWait.watch(s, s.socket);
            }
            if (requests != null) {
                loopWait.watch(s, requests);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Agent '" + name + "' cannot poll socket '" + s.alias + "'", e);
        }
    }

    // ---------------------------------------------------------------- subscriptions

    /** Subscribes {@code alias} to {@code topic} for the socket's own handler. */
    void subscribe(String alias, String topic) {
        AgentSocket s = subscriber(alias, topic);
        boolean was = subscribed(s, topic);
        s.defaultTopics.add(topic);
        if (!was) {
            s.socket.subscribe(topic.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Subscribes {@code alias} to {@code topic} with a handler of the topic's own. */
    void subscribe(String alias, String topic, SocketHandler handler) {
        AgentSocket s = subscriber(alias, topic);
        SocketDispatch dispatch = handlers.resolve(handler, s.pattern, alias);
        boolean was = subscribed(s, topic);
        s.topicHandlers.put(topic, dispatch);
        if (!was) {
            s.socket.subscribe(topic.getBytes(StandardCharsets.UTF_8));
        }
        watch(s);
    }

    /** Ends a subscription, whichever handler it had. */
    void unsubscribe(String alias, String topic) {
        AgentSocket s = subscriber(alias, topic);
        if (!subscribed(s, topic)) {
            List<String> topics = new ArrayList<>(s.defaultTopics);
            topics.addAll(s.topicHandlers.keySet());
            throw new AgentException("Agent '" + name + "' socket '" + alias + "' is not subscribed to topic '"
                    + topic + "' (topics: " + topics + ")");
        }
        s.defaultTopics.remove(topic);
        s.topicHandlers.remove(topic);
        s.socket.unsubscribe(topic.getBytes(StandardCharsets.UTF_8));
    }

    private AgentSocket subscriber(String alias, String topic) {
        AgentSocket s = get(alias);
        if (!s.subscribes()) {
            throw new PatternMismatchException("Agent '" + name + "' cannot subscribe socket '" + alias + "' to topic '"
                    + topic + "': it is " + s.pattern + "; topics need a SUB or SYNC_SUB socket");
        }
        checkTopicLength(alias, topic);
        return s;
    }

    private void checkTopicLengths(@Nullable SocketDispatch dispatch, String alias) {
        if (dispatch != null) {
            dispatch.topics().forEach(topic -> checkTopicLength(alias, topic));
        }
    }

    /** Refuses a topic longer than publishers take: the publisher would close the connection it came on. */
    private void checkTopicLength(String alias, String topic) {
        int bytes = topic.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > factory.maxTopicBytes()) {
            throw new AgentException("Agent '" + name + "' cannot subscribe socket '" + alias + "' to a topic of "
                    + bytes + " bytes: publishers take topics of at most " + factory.maxTopicBytes() + " bytes ("
                    + ZeroAgentsSettings.MAX_SUBSCRIPTION_BYTES.property() + ")");
        }
    }

    private static boolean subscribed(AgentSocket s, String topic) {
        return s.defaultTopics.contains(topic) || s.topicHandlers.containsKey(topic);
    }

    // ---------------------------------------------------------------- close

    /** Closes every socket with {@code lingerMillis}; {@code updateNameServer} unless the agent ends. */
    void closeAll(boolean updateNameServer, int lingerMillis) {
        List.copyOf(sockets.values()).forEach(s -> close(s, updateNameServer, lingerMillis));
    }

    /**
     * Closes one socket after sending what it batched, dropping (and counting) what it received
     * but did not hand out, and removes its address from the name server when asked.
     */
    void close(AgentSocket s, boolean updateNameServer, int lingerMillis) {
        outbox.flushBeforeClose(s);
        inbox.dropQueued(s);
        sockets.remove(s.alias);
        socketList = sockets.values().toArray(AgentSocket[]::new);
        s.open = false;
        metrics.closed(s);
        pending.forget(s.alias);
        loopWait.unwatch(s.socket);
        if (s.requests != null) {
            loopWait.unwatch(s.requests);
        }
        // Linger decides how long queued messages may still go out after close.
        s.socket.setLinger(lingerMillis);
        s.socket.close();
        ZMQ.Socket requests = s.requests;
        if (requests != null) {
            requests.setLinger(lingerMillis);
            requests.close();
        }
        if (s.bound && updateNameServer) {
            registrations.closed(s.alias);
        }
    }
}
