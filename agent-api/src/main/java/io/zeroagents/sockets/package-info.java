/**
 * Named ZeroMQ sockets without agents: AgentZero's {@code SocketManager} for scripts, services and
 * pipeline workers that want labelled sockets, polling and a payload codec, but not the agent model.
 *
 * <p>Start with {@link io.zeroagents.sockets.SocketManager#builder()}. The implementation
 * ({@code io.zeroagents:agent-runtime}) is found at run time like the agents' one, through
 * {@link io.zeroagents.spi.AgentRuntimeProvider}.
 */
@NullMarked
package io.zeroagents.sockets;

import org.jspecify.annotations.NullMarked;
