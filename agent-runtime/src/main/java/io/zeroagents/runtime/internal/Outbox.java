package io.zeroagents.runtime.internal;

import io.zeroagents.AgentNotRunningException;
import io.zeroagents.AgentTimeoutException;
import io.zeroagents.Codec;
import io.zeroagents.MessageEncodingException;
import io.zeroagents.Pattern;
import io.zeroagents.PatternMismatchException;
import io.zeroagents.RequestOptions;
import io.zeroagents.SocketHandler;
import io.zeroagents.serialization.EncodedPayload;
import io.zeroagents.serialization.EnvelopeCodec;
import io.zeroagents.serialization.EnvelopeFrames;
import io.zeroagents.transport.Frames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * The send side of an agent: encodes messages into envelopes, batches them where the agent asked
 * ({@code AgentOptions.batchSends}), and hands them to ZeroMQ, waiting in slices for a peer to take
 * them. Asynchronous requests are remembered in the agent's {@link PendingRequests} for their
 * replies. Loop thread only.
 */
final class Outbox {
    /** A batch goes out once its envelopes take this many bytes, whatever their number. */
    private static final int BATCH_BYTES = 64 * 1024;
    /** What a batch frame takes beyond its envelopes: its own envelope's fields, generously. */
    private static final int BATCH_OVERHEAD = 1024;

    private final String name;
    private final AgentLoop loop;
    private final AgentLog log;
    private final PendingRequests pending;
    private final SocketDispatch.Resolver replyHandlers;
    private final Duration timeout;
    private final int batchSends;
    private final boolean shareSentArrays;
    /** The bytes a batch's envelopes may take: 64 KiB, or less under a smaller frame limit. */
    private final int batchRoom;
    /** Whether a socket holds batched messages. */
    private boolean batchesPending;

    /**
     * @param replyHandlers resolves the handler of an asynchronous request's reply
     * @param timeout       how long a send waits for a peer to take a message
     * @param batchSends    how many messages a PUSH socket batches into a frame (1 or less: none)
     */
    Outbox(String name, EnvelopeCodec envelopes, AgentLoop loop, AgentLog log, PendingRequests pending,
           SocketDispatch.Resolver replyHandlers, Duration timeout, int batchSends,
           boolean shareSentArrays) {
        this.name = name;
        this.loop = loop;
        this.log = log;
        this.pending = pending;
        this.replyHandlers = replyHandlers;
        this.timeout = timeout;
        this.batchSends = batchSends;
        this.shareSentArrays = shareSentArrays;
        this.batchRoom = Math.min(BATCH_BYTES, envelopes.maxFrameBytes() - BATCH_OVERHEAD);
    }

    /** Refuses a send on a socket whose pattern does not send, or a topic off PUB and SYNC_PUB. */
    void checkSends(AgentSocket s, String topic) {
        String why = s.whyNoSend();
        if (why != null) {
            throw new PatternMismatchException("Agent '" + name + "' cannot send on socket '" + s.alias + "': " + why);
        }
        if (!topic.isEmpty() && !s.publishes()) {
            throw new PatternMismatchException("Agent '" + name + "' cannot send topic '" + topic + "' on socket '"
                    + s.alias + "': topics need a PUB or SYNC_PUB socket, this one is " + s.pattern);
        }
    }

    /** Sends {@code message} on {@code s}: an asynchronous request on ASYNC_REQ and SYNC_SUB sockets. */
    void send(AgentSocket s, String topic, @Nullable Object message) {
        checkSends(s, topic);
        if (s.requestsAsync()) {
            request(s, message, RequestOptions.defaults());
        } else {
            transmit(s, topic, encode(s, message, topic, 0, false));
        }
    }

    /** Refuses an asynchronous request on a socket other than ASYNC_REQ or SYNC_SUB. */
    void checkRequests(AgentSocket s) {
        if (!s.requestsAsync()) {
            throw new PatternMismatchException("Agent '" + name + "' cannot send an asynchronous request on socket '"
                    + s.alias + "': it is " + s.pattern + "; asynchronous requests need ASYNC_REQ or SYNC_SUB");
        }
    }

    /** Sends an asynchronous request, whose reply goes to the options' handler or the socket's. */
    void request(AgentSocket s, @Nullable Object request, RequestOptions requestOptions) {
        checkRequests(s);
        long id = pending.nextId();
        sendOn(s, s.requestSocket(), null, null, encode(s, request, "", id, false));
        remember(s, id, request, requestOptions);
    }

    /** Sends an asynchronous request another process encoded, for a remote proxy. */
    void requestEncoded(AgentSocket s, EncodedPayload request, RequestOptions requestOptions) {
        checkRequests(s);
        long id = pending.nextId();
        sendOn(s, s.requestSocket(), null, null, EnvelopeFrames.single(s.writer.encoded(request, name, "", id)));
        remember(s, id, request, requestOptions);
    }

    private void remember(AgentSocket s, long id, Object request, RequestOptions requestOptions) {
        SocketHandler handler = requestOptions.handler();
        SocketDispatch dispatch = handler == null ? null : replyHandlers.resolve(handler, Pattern.ASYNC_REQ, s.alias);
        Duration wait = requestOptions.waitAtMost();
        long deadline = wait == null ? Long.MAX_VALUE : System.nanoTime() + wait.toNanos();
        pending.add(new PendingRequests.Pending(id, s.alias, request, dispatch, deadline,
                wait == null ? 0 : wait.toMillis(), requestOptions.onNoReply()));
    }

    /**
     * Sends a payload another process encoded (a remote proxy's {@code send}), as it is: this host
     * never decodes it, so it needs none of the sender's classes.
     */
    void sendEncoded(AgentSocket s, String topic, EncodedPayload payload) {
        checkSends(s, topic);
        if (s.requestsAsync()) {
            requestEncoded(s, payload, RequestOptions.defaults());
            return;
        }
        byte[] frame = s.raw() ? payload.bytes() : s.writer.encoded(payload, name, topic, 0);
        transmit(s, topic, EnvelopeFrames.single(frame));
    }

    /**
     * Encodes one message for {@code s}: its payload alone on a raw socket, else an envelope.
     * Error reports are text whatever the socket's codec, so a raw or protobuf socket can carry them.
     */
    EnvelopeFrames encode(AgentSocket s, @Nullable Object message, String topic, long correlationId, boolean error) {
        Codec codec = error ? Codec.STRING : s.address.codec();
        try {
            if (s.raw()) {
                return EnvelopeFrames.single(s.writer.payloadOnly(message, codec));
            }
            // Over inproc every payload rides along with its envelope (CarriedPayloadMsg), so none is
            // copied into an envelope and out again.
            return s.writer.encodeFrames(message, codec, name, topic, correlationId, error,
                    s.inproc ? 0 : EnvelopeCodec.DETACHED_PAYLOAD_BYTES, shareSentArrays);
        } catch (MessageEncodingException e) {
            throw new MessageEncodingException("Agent '" + name + "' cannot send on socket '" + s.alias + "': "
                    + e.getMessage(), e);
        }
    }

    private void transmit(AgentSocket s, String topic, EnvelopeFrames frames) {
        // An envelope and its length prefix take at most 5 bytes more than the envelope.
        int size = frames.envelope().length + 5;
        if (batchSends > 1 && s.batches() && frames.payload() == null && size <= batchRoom) {
            List<byte[]> batch = s.batched;
            if (batch == null) {
                batch = new ArrayList<>();
                s.batched = batch;
            }
            if (s.batchedBytes + size > batchRoom) {
                flush(s, false);
            }
            batch.add(frames.envelope());
            s.batchedBytes += size;
            batchesPending = true;
            if (batch.size() >= batchSends) {
                flush(s, true);
            }
            return;
        }
        // What was batched goes first, so the socket's messages keep their order.
        flush(s, false);
        sendOn(s, s.socket, null, s.topicFramed() ? topic : null, frames);
    }

    /**
     * Sends what a socket batched as one frame; on failure the batch's messages are counted as
     * dropped (but for the caller's own, the last, when {@code callersOwn}: the failure thrown to
     * it reports that one) and logged, and the failure is thrown.
     */
    void flush(AgentSocket s, boolean callersOwn) {
        if (!s.hasBatched()) {
            return;
        }
        List<byte[]> batch = s.batched;
        int count = batch.size();
        try {
            byte[] frame = count == 1 ? batch.get(0) : s.writer.batchFrame(name, batch);
            sendOn(s, s.socket, null, null, EnvelopeFrames.single(frame));
            s.counters.sentMore(count - 1);
        } catch (RuntimeException e) {
            int lost = callersOwn ? count - 1 : count;
            if (lost > 0) {
                log.countDropped(lost);
                log.error("dropped " + lost + " batched message(s) on socket '" + s.alias + "': " + e.getMessage(),
                        null);
            }
            throw e;
        } finally {
            batch.clear();
            s.batchedBytes = 0;
        }
    }

    /** Sends a socket's batch before it closes; a failure is counted and logged, and the socket closes. */
    void flushBeforeClose(AgentSocket s) {
        try {
            flush(s, false);
        } catch (RuntimeException e) {
            // Counted and logged by flush.
        }
    }

    /** Whether a socket holds batched messages, to send as the loop's turn ends. */
    boolean batchesPending() {
        return batchesPending;
    }

    /** Sends every socket's batch: the loop's turn, or the agent, ends. A failure is logged and counted. */
    void flushAll(AgentSocket[] sockets) {
        batchesPending = false;
        for (AgentSocket s : sockets) {
            flushBeforeClose(s);
        }
    }

    /** Sends one message on a ZeroMQ socket of {@code s}: identity and topic frames first when given. */
    void sendOn(AgentSocket s, ZMQ.Socket zs, byte @Nullable [] identity, @Nullable String topic,
                EnvelopeFrames frames) {
        byte[] payload = frames.payload();
        long deadline = 0;
        long wait = 0;
        while (true) {
            boolean sent;
            try {
                // All frames or none: ZeroMQ accepts the rest once it accepted the first.
                sent = (identity == null || zs.sendMore(identity))
                        && (topic == null || zs.sendMore(topic.getBytes(StandardCharsets.UTF_8)))
                        && (payload == null ? zs.send(frames.envelope())
                                : s.inproc ? Frames.sendCarried(zs, frames.envelope(), payload)
                                : zs.sendMore(frames.envelope()) && zs.send(payload));
            } catch (ZMQException e) {
                throw new PatternMismatchException("Agent '" + name + "' cannot send on socket '" + s.alias + "' ("
                        + s.pattern + ") now: " + e.getMessage() + s.sendErrorHint());
            }
            if (sent) {
                s.counters.sent();
                return;
            }
            if (!loop.alive()) {
                throw new AgentNotRunningException("Agent '" + name + "' stopped while socket '" + s.alias + "' ("
                        + s.pattern + " " + s.address.endpoint() + ") waited for a peer to take a message");
            }
            if (deadline == 0) {
                // Only a send that had to wait reads the clock.
                wait = loop.callerWaitNanos(timeout.toNanos());
                deadline = System.nanoTime() + wait;
            } else if (System.nanoTime() - deadline >= 0) {
                throw new AgentTimeoutException("Agent '" + name + "' could not send on socket '" + s.alias + "' ("
                        + s.pattern + " " + s.address.endpoint() + ") within " + AgentLoop.waited(wait, timeout)
                        + ": no peer took the message");
            }
        }
    }
}
