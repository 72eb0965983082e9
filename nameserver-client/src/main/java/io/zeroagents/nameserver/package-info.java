/**
 * The ZeroAgents name server: the service that answers agent hosts over ZeroMQ, and the client
 * they use to reach it.
 *
 * <p>{@link io.zeroagents.nameserver.NameServerClient} (artifact {@code nameserver-client}) is the
 * DEALER side: one request at a time, with a timeout, translating refusals into the exceptions of
 * {@code io.zeroagents}. {@code NameServerService} (artifact {@code nameserver}, which shares this
 * package) binds a ROUTER socket and serves the protocol of {@link io.zeroagents.nameserver.protocol}
 * on its own thread, backed by a {@link io.zeroagents.nameserver.registry.Registry}.
 */
@NullMarked
package io.zeroagents.nameserver;

import org.jspecify.annotations.NullMarked;
