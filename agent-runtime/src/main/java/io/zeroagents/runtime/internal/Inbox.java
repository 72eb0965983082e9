package io.zeroagents.runtime.internal;

import io.zeroagents.Agent;
import io.zeroagents.AgentTimeoutException;
import io.zeroagents.Codec;
import io.zeroagents.MessageDecodingException;
import io.zeroagents.NoReplyHandler;
import io.zeroagents.PatternMismatchException;
import io.zeroagents.RemoteAgentException;
import io.zeroagents.serialization.EnvelopeCodec;
import io.zeroagents.serialization.EnvelopeView;
import io.zeroagents.transport.Frames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.zeromq.ZMQ;

/**
 * The receive side of an agent: reads what its sockets received, parses envelopes (unpacking
 * batches), and hands each message to its handler, answers each request exactly once, routes
 * replies to the requests that wait for them, and serves {@code recv}. What cannot be read or has
 * no taker is dropped, counted and logged; the agent carries on. Loop thread only.
 */
final class Inbox {
    /** Messages taken from one socket before the loop looks at the others, for fairness. */
    private static final int BATCH = 64;

    /** The agent's side of handling: its instance, and what a handler's failure does. */
    interface Handlers {
        /** The agent instance handlers are called with. */
        Agent agent();

        /** Reports a handler that threw; the agent may stop on it. */
        void failed(String where, Exception e);
    }

    private final String name;
    private final EnvelopeCodec envelopes;
    private final AgentLoop loop;
    private final AgentLog log;
    private final Outbox outbox;
    private final PendingRequests pending;
    private final Handlers handlers;
    /** The agent instance, once a handler needed it: it is made once and never replaced. */
    private @Nullable Agent agent;

    Inbox(String name, EnvelopeCodec envelopes, AgentLoop loop, AgentLog log, Outbox outbox,
          PendingRequests pending, Handlers handlers) {
        this.name = name;
        this.envelopes = envelopes;
        this.loop = loop;
        this.log = log;
        this.outbox = outbox;
        this.pending = pending;
        this.handlers = handlers;
    }

    /** Handles up to a batch of what each socket received; whether there was anything. */
    boolean receive(AgentSocket[] sockets) {
        boolean worked = false;
        for (AgentSocket s : sockets) {
            if (s.pollsMain()) {
                worked |= drain(s, s.socket);
            }
            ZMQ.Socket requests = s.requests;
            if (requests != null) {
                worked |= drain(s, requests);
            }
        }
        return worked;
    }

    /** Handles up to a batch of what one ZeroMQ socket of {@code s} has received. */
    private boolean drain(AgentSocket s, ZMQ.Socket zs) {
        boolean worked = false;
        if (s.hasUnpacked()) {
            // The rest of a batch a pause or a stop interrupted comes before newer messages.
            worked = deliverQueued(s);
            if (!s.unpacked.isEmpty()) {
                return worked;
            }
        }
        for (int i = 0; i < BATCH && loop.delivering() && s.open; i++) {
            // A receive that finds nothing also processes the socket's commands, which re-arms its
            // descriptor for the selector, as getEvents() would, at half the cost per message.
            List<byte[]> frames = Frames.read(zs, ZMQ.DONTWAIT);
            if (frames == null) {
                break;
            }
            handle(s, zs, frames);
            worked = true;
        }
        return worked;
    }

    /** Handles one message that arrived on {@code zs}, one of the ZeroMQ sockets of {@code s}. */
    void handle(AgentSocket s, ZMQ.Socket zs, List<byte[]> frames) {
        s.counters.received();
        switch (s.inbound(zs)) {
            case ROUTED_REQUEST -> answer(s, zs, frames.get(0), frames, 1);
            case REQUEST -> answer(s, zs, null, frames, 0);
            case REPLY -> takeReply(s, frames);
            case MESSAGE -> deliver(s, frames);
        }
    }

    /** The agent instance handlers are called with, asked of {@link Handlers} once. */
    private Agent agent() {
        Agent instance = agent;
        if (instance == null) {
            instance = handlers.agent();
            agent = instance;
        }
        return instance;
    }

    /** Calls the no-reply handlers of asynchronous requests whose wait ended; whether any did. */
    boolean expireRequests() {
        if (!pending.hasDeadlines()) {
            return false;
        }
        List<PendingRequests.Pending> expired = pending.expired(System.nanoTime());
        for (PendingRequests.Pending request : expired) {
            NoReplyHandler onNoReply = request.onNoReply();
            if (onNoReply == null) {
                log.warn("did not receive a reply to request " + request.id() + " on socket '" + request.alias()
                        + "' within " + request.waitMillis() + " ms");
                continue;
            }
            try {
                onNoReply.noReply(agent(), request.request());
            } catch (Exception e) {
                handlers.failed("onNoReply of a request on socket '" + request.alias() + "'", e);
            }
        }
        return !expired.isEmpty();
    }

    /** Whether an asynchronous request waits for its reply at most a while. */
    boolean hasDeadlines() {
        return pending.hasDeadlines();
    }

    /** Nanoseconds until the next request's wait ends, or -1 when none waits at most a while. */
    long nanosUntilNextDeadline(long now) {
        return pending.nanosUntilNext(now);
    }

    /** Drops, counts and logs the messages of a batch still queued on a socket that closes. */
    void dropQueued(AgentSocket s) {
        if (s.hasUnpacked()) {
            log.countDropped(s.unpacked.size());
            log.warn("dropped " + s.unpacked.size() + " message(s) of a batch still queued when socket '" + s.alias
                    + "' closed");
            s.unpacked.clear();
        }
    }

    /** A message for PULL, SUB and SYNC_SUB handlers: by topic, to the socket's handler and topic handlers. */
    private void deliver(AgentSocket s, List<byte[]> frames) {
        String topic = s.topicFramed() && frames.size() > 1 ? new String(frames.get(0), StandardCharsets.UTF_8) : "";
        EnvelopeView envelope;
        try {
            envelope = parseFrames(s, frames, s.topicFramed() ? 1 : 0);
            if (envelope.error()) {
                log.countDropped(1);
                throw errorReport(envelope);
            }
        } catch (MessageDecodingException e) {
            log.logDropped(s.alias, e);
            return;
        }
        if (envelope.codec().equals(EnvelopeCodec.BATCH_CODEC)) {
            try {
                queueBatch(s, envelope);
            } catch (MessageDecodingException e) {
                log.logDropped(s.alias, e);
                return;
            }
            deliverQueued(s);
            return;
        }
        deliverOne(s, topic, envelope);
    }

    /**
     * Puts the messages of a batch in the socket's queue, where handlers or {@code recv} take them;
     * a batch that is malformed, or comes to a socket that takes none, is dropped and counted.
     */
    private void queueBatch(AgentSocket s, EnvelopeView batch) {
        if (!s.takesBatches()) {
            log.countDropped(1);
            throw new MessageDecodingException("Agent '" + name + "' got a batch on socket '" + s.alias + "' ("
                    + s.pattern + "); only PULL sockets take batches");
        }
        List<EnvelopeView> views;
        try {
            views = s.reader.readBatch(batch);
        } catch (MessageDecodingException e) {
            log.countDropped(1);
            throw new MessageDecodingException("Agent '" + name + "' got an unreadable batch on socket '" + s.alias
                    + "': " + e.getMessage(), e);
        }
        s.counters.receivedMore(views.size() - 1);
        if (s.unpacked == null) {
            s.unpacked = new ArrayDeque<>();
        }
        s.unpacked.addAll(views);
    }

    /**
     * Hands queued messages of a batch to the socket's handler, one by one, while the agent runs,
     * is not paused and the socket is open, as {@link #drain} does with frames.
     */
    private boolean deliverQueued(AgentSocket s) {
        Deque<EnvelopeView> queued = s.unpacked;
        boolean worked = false;
        EnvelopeView one;
        while (queued != null && loop.delivering() && s.open && s.dispatch != null
                && (one = queued.poll()) != null) {
            worked = true;
            if (one.error()) {
                log.countDropped(1);
                log.logDropped(s.alias, errorReport(one));
                continue;
            }
            deliverOne(s, "", one);
        }
        return worked;
    }

    /** Why a message that is an error report, where a value was expected, is dropped. */
    private static MessageDecodingException errorReport(EnvelopeView envelope) {
        return new MessageDecodingException("it is an error report from '" + envelope.sender() + "': "
                + envelope.payloadText());
    }

    /** One message for PULL, SUB and SYNC_SUB handlers, read and checked. */
    private void deliverOne(AgentSocket s, String topic, EnvelopeView envelope) {
        SocketDispatch main = s.dispatch;
        if (main != null && (!s.topicFramed() || startsWithAny(topic, s.defaultTopics))) {
            handleMessage(s, main, topic, envelope);
        }
        if (s.topicHandlers.isEmpty()) {
            return;
        }
        for (Map.Entry<String, SocketDispatch> entry : List.copyOf(s.topicHandlers.entrySet())) {
            if (topic.startsWith(entry.getKey())) {
                handleMessage(s, entry.getValue(), topic, envelope);
            }
        }
    }

    private static boolean startsWithAny(String topic, Iterable<String> prefixes) {
        for (String prefix : prefixes) {
            if (topic.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private void handleMessage(AgentSocket s, SocketDispatch dispatch, String topic, EnvelopeView envelope) {
        Object message;
        try {
            message = decode(s, envelope, dispatch.type());
        } catch (MessageDecodingException e) {
            log.countDropped(1);
            log.logDropped(s.alias, e);
            return;
        }
        long startedNanos = s.counters.timesNextHandler() ? System.nanoTime() : 0;
        try {
            dispatch.handle(agent(), topic, message);
            s.counters.handled(startedNanos, false);
        } catch (Exception e) {
            s.counters.handled(startedNanos, true);
            handlers.failed("handler of socket '" + s.alias + "'", e);
        }
    }

    /** A request for REP, ASYNC_REP and SYNC_PUB handlers, answered exactly once whatever the handler does. */
    private void answer(AgentSocket s, ZMQ.Socket zs, byte @Nullable [] identity,
                        List<byte[]> frames, int headerFrames) {
        SocketDispatch dispatch = s.dispatch;
        EnvelopeView envelope;
        try {
            envelope = parseFrames(s, frames, headerFrames);
        } catch (MessageDecodingException e) {
            log.logDropped(s.alias, e);
            replier(s, zs, identity, 0).replyError("the request could not be decoded: " + e.getMessage());
            return;
        }
        SocketReplier replier = replier(s, zs, identity, envelope.correlationId());
        if (dispatch == null) {
            replier.replyError("socket '" + s.alias + "' of agent '" + name + "' has no handler");
            return;
        }
        Object request;
        try {
            if (envelope.error()) {
                // Counted once, below, like a request that does not decode.
                throw errorReport(envelope);
            }
            request = decode(s, envelope, dispatch.type());
        } catch (MessageDecodingException e) {
            log.countDropped(1);
            log.logDropped(s.alias, e);
            replier.replyError("the request could not be decoded: " + e.getMessage());
            return;
        }
        long startedNanos = s.counters.timesNextHandler() ? System.nanoTime() : 0;
        try {
            Object reply = dispatch.handle(agent(), "", request, replier);
            s.counters.handled(startedNanos, false);
            if (!replier.replied()) {
                if (dispatch.answersItself()) {
                    log.error("handler of socket '" + s.alias + "' returned without replying; the requester gets an"
                            + " error", null);
                    replier.replyError("the handler of socket '" + s.alias + "' of agent '" + name
                            + "' returned without replying");
                } else {
                    replier.reply(reply);
                }
            }
        } catch (Exception e) {
            s.counters.handled(startedNanos, true);
            handlers.failed("handler of socket '" + s.alias + "'", e);
            replier.replyError(e.toString());
        }
    }

    private SocketReplier replier(AgentSocket s, ZMQ.Socket zs, byte @Nullable [] identity,
                                  long correlationId) {
        return new SocketReplier(name, loop, outbox, s, zs, identity, correlationId);
    }

    /** A reply to one of this agent's asynchronous requests: to its request's handler, else the socket's. */
    private void takeReply(AgentSocket s, List<byte[]> frames) {
        EnvelopeView envelope;
        try {
            envelope = parseFrames(s, frames, 0);
        } catch (MessageDecodingException e) {
            log.logDropped(s.alias, e);
            return;
        }
        PendingRequests.Pending request = pending.answered(envelope.correlationId());
        if (request == null) {
            log.countDropped(1);
            log.warnDropped(s.alias, "received a reply to an unknown request " + envelope.correlationId()
                    + " on socket '" + s.alias + "' (it came after its wait or was never asked); dropped");
            return;
        }
        if (envelope.error()) {
            log.error("request " + request.id() + " on socket '" + s.alias + "' failed at '" + envelope.sender()
                    + "': " + envelope.payloadText(), null);
            return;
        }
        SocketDispatch handler = request.handler() != null ? request.handler() : s.dispatch;
        if (handler == null) {
            log.countDropped(1);
            log.warn("dropped the reply to request " + request.id() + " on socket '" + s.alias
                    + "': neither the request nor the socket has a handler");
            return;
        }
        handleMessage(s, handler, "", envelope);
    }

    // ---------------------------------------------------------------- recv

    /** Receives one message on {@code s} as {@code type}, waiting up to {@code timeout}. */
    <T> T recv(AgentSocket s, Class<T> type, Duration timeout) {
        EnvelopeView envelope = receiveEnvelope(s, timeout);
        try {
            return decode(s, envelope, type);
        } catch (MessageDecodingException e) {
            log.countDropped(1);
            throw new MessageDecodingException("Agent '" + name + "' cannot decode a message on socket '" + s.alias
                    + "' as " + type.getName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Receives one envelope on {@code s}, waiting up to {@code timeout} (less when its caller waits
     * less): the next of a batch received before, else the socket's next message.
     */
    EnvelopeView receiveEnvelope(AgentSocket s, Duration timeout) {
        String why = s.whyNoRecv();
        if (why != null) {
            throw new PatternMismatchException("Agent '" + name + "' cannot recv on socket '" + s.alias + "': " + why);
        }
        EnvelopeView envelope = s.unpacked == null ? null : s.unpacked.poll();
        if (envelope == null) {
            long wait = loop.callerWaitNanos(timeout.toNanos());
            s.socket.setReceiveTimeOut(wait == 0 ? 0 : (int) Math.min(Integer.MAX_VALUE,
                    Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait))));
            List<byte[]> frames = Frames.read(s.socket, 0);
            if (frames == null) {
                throw new AgentTimeoutException("Agent '" + name + "' received nothing on socket '" + s.alias + "' ("
                        + s.pattern + ") within " + AgentLoop.waited(wait, timeout));
            }
            s.counters.received();
            envelope = parseFrames(s, frames, s.topicFramed() ? 1 : 0);
            if (envelope.codec().equals(EnvelopeCodec.BATCH_CODEC)) {
                queueBatch(s, envelope);
                envelope = s.unpacked.poll();
            }
        }
        if (envelope.error()) {
            throw new RemoteAgentException("Agent '" + envelope.sender() + "' failed to handle the request sent by '"
                    + name + "' on socket '" + s.alias + "': " + envelope.payloadText());
        }
        return envelope;
    }

    /**
     * Parses the envelope that follows {@code headerFrames} frames (a topic, an identity), with the
     * payload frame after it when the envelope announces one. A raw socket's payload frame becomes
     * an envelope without sender; a raw subscriber also takes single-frame messages, as plain
     * ZeroMQ publishers send them. An inproc subscriber's frames may be shared with the other
     * subscribers of the same publisher, so its payloads are always copied.
     */
    private EnvelopeView parseFrames(AgentSocket s, List<byte[]> frames, int headerFrames) {
        int expected = headerFrames + 1;
        boolean rawSingle = s.raw() && headerFrames == 1 && s.topicFramed() && frames.size() == 1;
        boolean payloadFrame = !s.raw() && frames.size() == expected + 1;
        if (frames.size() != expected && !rawSingle && !payloadFrame) {
            log.countDropped(1);
            throw new MessageDecodingException("Agent '" + name + "' got a " + frames.size() + "-frame message on socket '"
                    + s.alias + "' (" + s.pattern + " expects " + expected + ")");
        }
        boolean shared = s.sharesReceivedFrames();
        if (s.raw()) {
            EnvelopeView view = EnvelopeView.rawPayload(frames.get(frames.size() - 1), s.address.codec().id());
            return shared ? view.sharedFrame() : view;
        }
        try {
            EnvelopeView view = payloadFrame ? s.reader.read(frames.get(headerFrames), frames.get(expected))
                    : s.reader.read(frames.get(headerFrames));
            return shared ? view.sharedFrame() : view;
        } catch (MessageDecodingException e) {
            log.countDropped(1);
            throw new MessageDecodingException("Agent '" + name + "' got an unreadable message on socket '" + s.alias
                    + "': " + e.getMessage(), e);
        }
    }

    /** Decodes a payload as {@code type}; a raw socket's frames carry no codec id, so the receiver's type picks one. */
    private <T> T decode(AgentSocket s, EnvelopeView envelope, Class<T> type) {
        if (s.raw() && envelope.codec().equals(Codec.AUTO.id())) {
            envelope = envelope.withCodec(rawCodecFor(type).id());
        }
        return envelopes.payload(envelope, type);
    }

    private static Codec rawCodecFor(Class<?> type) {
        if (type == byte[].class) {
            return Codec.RAW;
        }
        if (type == String.class || type == Object.class || type == CharSequence.class) {
            return Codec.STRING;
        }
        if (com.google.protobuf.MessageLite.class.isAssignableFrom(type)) {
            return Codec.PROTOBUF;
        }
        return Codec.JSON;
    }
}
