/**
 * The name server's registry: which agent names are taken, by which agent host, where the agents
 * can be reached, and for how long their leases run.
 *
 * <p>{@link io.zeroagents.nameserver.registry.Registry} is the seam between the protocol and the
 * storage, with the checks and refusals every implementation shares; {@link
 * io.zeroagents.nameserver.registry.FederationProvider} is how an embedded name server finds the
 * federation when one is on the class path. The implementations live with their users: {@code
 * LocalRegistry}, in memory for a single name server, in the {@code nameserver} artifact (this
 * package spans both jars); {@code FederatedRegistry} in {@code nameserver-federation}.
 */
@NullMarked
package io.zeroagents.nameserver.registry;

import org.jspecify.annotations.NullMarked;
