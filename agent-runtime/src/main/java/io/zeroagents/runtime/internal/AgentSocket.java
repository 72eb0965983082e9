package io.zeroagents.runtime.internal;

import io.zeroagents.AgentAddress;
import io.zeroagents.Pattern;
import io.zeroagents.serialization.EnvelopeCodec;
import io.zeroagents.serialization.EnvelopeReader;
import io.zeroagents.serialization.EnvelopeView;
import io.zeroagents.serialization.EnvelopeWriter;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * One of an agent's sockets: its alias, pattern, address, and the handler of what it receives.
 * Owned by the agent's loop thread.
 *
 * <p>The richer channels use two ZeroMQ sockets under one alias: a {@code SYNC_PUB} is a
 * {@code PUB} plus a {@code ROUTER} for its subscribers' requests, a {@code SYNC_SUB} a {@code SUB}
 * plus a {@code DEALER} for its own requests. {@code ASYNC_REP} is a {@code ROUTER} and
 * {@code ASYNC_REQ} a {@code DEALER}, so requests and replies never block either side.
 */
final class AgentSocket {
    final String alias;
    /** The pattern of this socket itself (for a connected socket, the twin of the address's). */
    final Pattern pattern;
    /** Whether the agent bound this socket (server) rather than connected it (client). */
    final boolean bound;
    final AgentAddress address;
    final ZMQ.Socket socket;
    /** The request socket of a SYNC_PUB (ROUTER) or SYNC_SUB (DEALER) channel, else {@code null}. */
    final ZMQ.@Nullable Socket requests;
    final @Nullable SocketDispatch dispatch;
    /** Topic prefixes whose messages go to {@link #dispatch} (SUB and SYNC_SUB). */
    final Set<String> defaultTopics = new LinkedHashSet<>();
    /** Topic prefixes subscribed with a handler of their own. */
    final Map<String, SocketDispatch> topicHandlers = new LinkedHashMap<>();
    /** Writes what this socket sends, keeping what its stream repeats. */
    final EnvelopeWriter writer;
    /** Reads what this socket (or its request socket) receives, keeping what its streams repeat. */
    final EnvelopeReader reader;
    /** What the socket counted, for the agent's metrics. */
    final AgentMetrics.SocketCounters counters = new AgentMetrics.SocketCounters();
    /**
     * Whether every endpoint of this socket is inproc, so its peers are agents of this JVM and a
     * payload frame can ride along with its envelope frame ({@link io.zeroagents.transport.Frames#sendCarried}).
     */
    final boolean inproc;
    /** Envelope frames a batching agent's PUSH socket holds until its loop turn ends; else {@code null}. */
    @Nullable List<byte[]> batched;
    /** The bytes of {@link #batched}. */
    int batchedBytes;
    /** Messages of a received batch that {@code recv} has not returned yet; else {@code null}. */
    @Nullable Deque<EnvelopeView> unpacked;
    /** Whether {@link #batched} holds messages to send. */
    boolean hasBatched() {
        return batched != null && !batched.isEmpty();
    }

    /** Whether {@link #unpacked} holds messages to hand out. */
    boolean hasUnpacked() {
        return unpacked != null && !unpacked.isEmpty();
    }

    /** Cleared when the socket closes, so a loop turn that still holds it leaves it alone. */
    boolean open = true;

    AgentSocket(String alias, Pattern pattern, boolean bound, AgentAddress address, ZMQ.Socket socket,
                ZMQ.@Nullable Socket requests, @Nullable SocketDispatch dispatch, EnvelopeCodec envelopes) {
        this.alias = alias;
        this.pattern = pattern;
        this.bound = bound;
        this.address = address;
        this.socket = socket;
        this.requests = requests;
        this.dispatch = dispatch;
        this.writer = envelopes.writer();
        this.reader = envelopes.reader();
        this.inproc = address.endpoint().startsWith("inproc://")
                && (address.requestEndpoint() == null || address.requestEndpoint().startsWith("inproc://"));
    }

    /** The ZeroMQ type of the main socket of a pattern. */
    static SocketType mainType(Pattern pattern) {
        return switch (pattern) {
            case SYNC_PUB -> SocketType.PUB;
            case SYNC_SUB -> SocketType.SUB;
            case ASYNC_REP -> SocketType.ROUTER;
            case ASYNC_REQ -> SocketType.DEALER;
            default -> SocketType.valueOf(pattern.name());
        };
    }

    /**
     * The ZeroMQ type of the second socket a pattern's channel uses under the same alias (the
     * ROUTER a SYNC_PUB takes requests on, the DEALER a SYNC_SUB makes them with), or {@code null}.
     */
    static @Nullable SocketType requestsType(Pattern pattern) {
        return switch (pattern) {
            case SYNC_PUB -> SocketType.ROUTER;
            case SYNC_SUB -> SocketType.DEALER;
            default -> null;
        };
    }

    /** What a message that arrived on one of this socket's ZeroMQ sockets is, and who handles it. */
    enum Inbound {
        /** A request preceded by its requester's identity frame (ASYNC_REP, a SYNC_PUB's requests). */
        ROUTED_REQUEST,
        /** A request on a REP socket. */
        REQUEST,
        /** A reply to one of the agent's asynchronous requests (ASYNC_REQ, a SYNC_SUB's requests). */
        REPLY,
        /** A message for the socket's handlers (PULL, SUB, SYNC_SUB). */
        MESSAGE
    }

    /** What a message received on {@code zs}, one of this socket's ZeroMQ sockets, is. */
    Inbound inbound(ZMQ.Socket zs) {
        if ((pattern == Pattern.ASYNC_REP || pattern == Pattern.SYNC_PUB) && zs == routedSocket()) {
            return Inbound.ROUTED_REQUEST;
        }
        if (requestsAsync() && zs == requestSocket()) {
            return Inbound.REPLY;
        }
        return pattern == Pattern.REP ? Inbound.REQUEST : Inbound.MESSAGE;
    }

    /** Whether this socket takes topic subscriptions (SUB and SYNC_SUB). */
    boolean subscribes() {
        return pattern == Pattern.SUB || pattern == Pattern.SYNC_SUB;
    }

    /** Whether messages sent on this socket may carry a topic (PUB and SYNC_PUB). */
    boolean publishes() {
        return pattern == Pattern.PUB || pattern == Pattern.SYNC_PUB;
    }

    /** Whether this socket takes batches of envelopes in one frame (PULL: only PUSH sockets batch). */
    boolean takesBatches() {
        return pattern == Pattern.PULL;
    }

    /** Whether sends may be batched ({@code AgentOptions.batchSends}): an enveloped PUSH over the network. */
    boolean batches() {
        return pattern == Pattern.PUSH && !raw() && !inproc;
    }

    /**
     * Whether the frames this socket receives may be shared with other receivers: an inproc
     * subscriber gets the very frames its publisher's other subscribers get.
     */
    boolean sharesReceivedFrames() {
        return inproc && subscribes();
    }

    /**
     * Why {@code send} is refused on this socket, or {@code null} when it is allowed: a
     * receive-only pattern, or a REP whose handler replies.
     */
    @Nullable String whyNoSend() {
        if (!sends()) {
            return "it is " + pattern + (pattern == Pattern.ASYNC_REP
                    ? ", whose handler replies by returning a value" : ", which only receives");
        }
        if (pattern == Pattern.REP && dispatch != null) {
            return "its handler replies by returning a value";
        }
        return null;
    }

    /** Why {@code recv} is refused on this socket, or {@code null} when it is allowed. */
    @Nullable String whyNoRecv() {
        if (dispatch != null || !topicHandlers.isEmpty()) {
            return "its handler receives its messages";
        }
        if (pattern.serverOnly() || pattern == Pattern.ASYNC_REQ) {
            return "it is " + pattern + ", whose messages go to handlers";
        }
        if (!pattern.receives() && pattern != Pattern.REQ) {
            return "it is " + pattern + ", which only sends";
        }
        return null;
    }

    /** What to add to a send's error: a REP socket answers only after a request. */
    String sendErrorHint() {
        return pattern == Pattern.REP ? " (a REP socket must receive a request before it replies)" : "";
    }

    /** Whether messages travel as [topic, envelope] rather than [envelope]. */
    boolean topicFramed() {
        return pattern == Pattern.PUB || pattern == Pattern.SUB || pattern == Pattern.SYNC_PUB
                || pattern == Pattern.SYNC_SUB;
    }

    /** Whether {@code send(alias, message)} works on this socket. */
    boolean sends() {
        return pattern != Pattern.PULL && pattern != Pattern.SUB && pattern != Pattern.ASYNC_REP;
    }

    /** Whether {@code send} makes an asynchronous request whose reply comes back to a handler. */
    boolean requestsAsync() {
        return pattern == Pattern.ASYNC_REQ || pattern == Pattern.SYNC_SUB;
    }

    /** The socket asynchronous requests leave by and their replies come back on. */
    ZMQ.Socket requestSocket() {
        return pattern == Pattern.SYNC_SUB && requests != null ? requests : socket;
    }

    /** The socket requests to this agent arrive on, preceded by the requester's identity frame. */
    ZMQ.Socket routedSocket() {
        return pattern == Pattern.SYNC_PUB && requests != null ? requests : socket;
    }

    /**
     * Whether the loop polls the main socket: it has a handler, or takes replies. Never a
     * SYNC_PUB's, which is a PUB socket that cannot receive (its requests come on {@link #requests}).
     */
    boolean pollsMain() {
        return pattern != Pattern.SYNC_PUB
                && (dispatch != null || !topicHandlers.isEmpty() || pattern == Pattern.ASYNC_REQ);
    }

    boolean raw() {
        return address.raw();
    }

    @Override
    public String toString() {
        return alias + " (" + pattern + (bound ? " bound to " : " connected to ") + address.endpoint()
                + (address.requestEndpoint() == null ? "" : " + " + address.requestEndpoint()) + ")";
    }
}
