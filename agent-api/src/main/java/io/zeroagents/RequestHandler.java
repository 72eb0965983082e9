package io.zeroagents;

import java.io.Serializable;

/**
 * Handles one request and answers it through a {@link Replier}, possibly before it finishes its
 * work: the Java form of an osBrain reply handler that {@code yield}s.
 *
 * <pre>{@code
 * SocketHandler.withReplier(String.class, (agent, request, replier) -> {
 *     replier.reply("got " + request);   // the requester has its answer now
 *     agent.setAttr("last", request);    // and the handler goes on
 * })
 * }</pre>
 *
 * @param <T> the Java type requests are decoded into
 * @since 0.1
 */
@FunctionalInterface
public interface RequestHandler<T> extends Serializable {
    /**
     * Handles one request on the agent's loop thread.
     *
     * @param agent   the receiving agent
     * @param request the decoded request
     * @param replier sends the one reply
     * @throws Exception any failure; logged, and an error reply is sent if none was sent yet
     */
    void handle(Agent agent, T request, Replier replier) throws Exception;
}
