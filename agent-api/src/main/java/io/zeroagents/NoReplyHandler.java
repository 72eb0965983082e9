package io.zeroagents;

import java.io.Serializable;

/**
 * Runs on the requesting agent when an asynchronous request got no reply within its wait
 * (osBrain's {@code on_error}). Without one, a warning is logged instead.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface NoReplyHandler extends Serializable {
    /**
     * Handles the missing reply, on the agent's loop thread. A reply arriving later is dropped and
     * logged as a reply to an unknown request.
     *
     * @param agent   the agent that sent the request
     * @param request the request that got no reply
     * @throws Exception any failure; logged with the agent's name
     */
    void noReply(Agent agent, Object request) throws Exception;
}
