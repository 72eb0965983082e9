/**
 * The ZeroAgents API: what users compile against.
 *
 * <p>Start with {@link io.zeroagents.Agents}: it runs name servers and agents and returns
 * {@link io.zeroagents.Proxy proxies} that configure agents from any thread. Agents bind and connect
 * labelled sockets ({@link io.zeroagents.Pattern}), react to messages with
 * {@link io.zeroagents.SocketHandler handlers} and run timers. The implementation
 * ({@code io.zeroagents:agent-runtime}) is found at run time with {@link java.util.ServiceLoader}.
 */
@NullMarked
package io.zeroagents;

import org.jspecify.annotations.NullMarked;
