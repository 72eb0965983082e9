package io.zeroagents;

import org.jspecify.annotations.Nullable;

/**
 * Sends the reply to one request before its handler returns, so the handler can keep working after
 * the requester has its answer (osBrain's {@code yield} in a reply handler).
 *
 * <p>Used only on the agent's loop thread, while the handler runs. A request gets exactly one
 * reply: replying twice throws, and a handler that returns without replying makes the framework
 * answer with an error, so the requester is never left waiting.
 *
 * @since 0.1
 */
public interface Replier {
    /**
     * Sends the reply now.
     *
     * @param reply the reply, encoded with the socket's codec
     * @throws IllegalStateException when this request was already answered
     */
    void reply(@Nullable Object reply);

    /**
     * Whether the reply has been sent.
     *
     * @return {@code true} once {@link #reply} was called
     */
    boolean replied();
}
