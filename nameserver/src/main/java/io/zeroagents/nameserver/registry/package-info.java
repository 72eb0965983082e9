/**
 * The name server's registry: which agent names are taken, by which agent host, where the agents
 * can be reached, and for how long their leases run.
 *
 * <p>{@link io.zeroagents.nameserver.registry.Registry} is the seam between the protocol and the
 * storage; {@link io.zeroagents.nameserver.registry.LocalRegistry} keeps entries in memory for a
 * single name server.
 */
@NullMarked
package io.zeroagents.nameserver.registry;

import org.jspecify.annotations.NullMarked;
