package io.zeroagents;

import java.io.Serializable;
import org.jspecify.annotations.Nullable;

/**
 * Answers one request received on a {@code REP} socket: the returned value is the reply.
 *
 * <p>Runs on the agent's own loop thread. A handler that throws still answers, so the requester is
 * never left waiting: it receives an error reply and the failure is logged with the agent's name.
 *
 * @param <T> the Java type the receiver decodes requests into
 * @since 0.1
 */
@FunctionalInterface
public interface ReplyHandler<T> extends Serializable {
    /**
     * Computes the reply to one request.
     *
     * @param agent   the receiving agent
     * @param request the decoded request
     * @return the reply, encoded with the socket's codec; {@code null} sends an empty reply
     * @throws Exception any failure; logged, and an error reply is sent
     */
    @Nullable Object reply(Agent agent, T request) throws Exception;
}
