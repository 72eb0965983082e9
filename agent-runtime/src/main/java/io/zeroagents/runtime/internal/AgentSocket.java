package io.zeroagents.runtime.internal;

import io.zeroagents.AgentAddress;
import io.zeroagents.Pattern;
import java.nio.channels.SelectionKey;
import org.jspecify.annotations.Nullable;
import org.zeromq.ZMQ;

/**
 * One of an agent's sockets: its alias, pattern, address, and the handler of what it receives.
 * Owned by the agent's loop thread.
 */
final class AgentSocket {
    final String alias;
    /** The pattern of this socket itself (for a connected socket, the twin of the address's). */
    final Pattern pattern;
    /** Whether the agent bound this socket (server) rather than connected it (client). */
    final boolean bound;
    final AgentAddress address;
    final ZMQ.Socket socket;
    final @Nullable SocketDispatch dispatch;
    @Nullable SelectionKey key;

    AgentSocket(String alias, Pattern pattern, boolean bound, AgentAddress address, ZMQ.Socket socket,
                @Nullable SocketDispatch dispatch) {
        this.alias = alias;
        this.pattern = pattern;
        this.bound = bound;
        this.address = address;
        this.socket = socket;
        this.dispatch = dispatch;
    }

    /** Whether messages travel as [topic, envelope] rather than [envelope]. */
    boolean topicFramed() {
        return pattern == Pattern.PUB || pattern == Pattern.SUB;
    }

    boolean sends() {
        return pattern == Pattern.PUSH || pattern == Pattern.PUB || pattern == Pattern.REQ || pattern == Pattern.REP;
    }

    @Override
    public String toString() {
        return alias + " (" + pattern + (bound ? " bound to " : " connected to ") + address.endpoint() + ")";
    }
}
