package io.zeroagents.runtime.internal;

import io.zeroagents.Replier;
import io.zeroagents.serialization.EnvelopeFrames;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;
import org.zeromq.ZMQ;

/**
 * Answers one request on the socket it came from, through the agent's {@link Outbox}: a request
 * gets exactly one answer, a reply or an error report, and only from the agent's loop thread.
 */
final class SocketReplier implements Replier {
    private static final Logger LOG = LogManager.getLogger(SocketReplier.class);

    private final String agent;
    private final AgentLoop loop;
    private final Outbox outbox;
    private final AgentSocket s;
    private final ZMQ.Socket zs;
    private final byte @Nullable [] identity;
    private final long correlationId;
    private boolean replied;

    /**
     * @param zs            the ZeroMQ socket the request came on, which the answer leaves by
     * @param identity      the requester's identity frame on a routed socket, else {@code null}
     * @param correlationId the request's, which its answer carries back
     */
    SocketReplier(String agent, AgentLoop loop, Outbox outbox, AgentSocket s, ZMQ.Socket zs,
                  byte @Nullable [] identity, long correlationId) {
        this.agent = agent;
        this.loop = loop;
        this.outbox = outbox;
        this.s = s;
        this.zs = zs;
        this.identity = identity;
        this.correlationId = correlationId;
    }

    @Override
    public void reply(@Nullable Object reply) {
        if (!loop.onLoopThread()) {
            throw new IllegalStateException("Agent '" + agent + "' replies on socket '" + s.alias
                    + "' from its own loop thread only, while the handler runs");
        }
        if (replied) {
            throw new IllegalStateException("Agent '" + agent + "' already replied to this request on socket '"
                    + s.alias + "': a request gets exactly one reply");
        }
        EnvelopeFrames frames = outbox.encode(s, reply, "", correlationId, false);
        replied = true;
        send(frames);
    }

    @Override
    public boolean replied() {
        return replied;
    }

    /** Answers with an error report, unless the request was answered already. */
    void replyError(String description) {
        if (replied) {
            return;
        }
        replied = true;
        send(outbox.encode(s, description, "", correlationId, true));
    }

    private void send(EnvelopeFrames frames) {
        if (!s.open) {
            return;
        }
        try {
            outbox.sendOn(s, zs, identity, null, frames);
        } catch (RuntimeException e) {
            LOG.error("Agent '{}' could not send its reply on socket '{}': {}", agent, s.alias, e.toString());
        }
    }
}
