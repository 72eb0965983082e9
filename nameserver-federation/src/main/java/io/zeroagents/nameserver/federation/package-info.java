/**
 * Federation of name servers on Hazelcast: every name server of a federation is an embedded
 * Hazelcast member, and the registry is one distributed map shared by all of them.
 *
 * <p>{@link io.zeroagents.nameserver.federation.FederatedRegistry} is the
 * {@link io.zeroagents.nameserver.registry.Registry} of a federated name server;
 * {@link io.zeroagents.nameserver.federation.FederationSettings} says how it joins the others;
 * {@link io.zeroagents.nameserver.federation.Federation} is the
 * {@link io.zeroagents.nameserver.registry.FederationProvider} an embedded name server finds when
 * its options list peers, and checks that Hazelcast is on the class path.
 *
 * <p>The rules, in one place: names are unique across the federation (taking a name is one atomic
 * operation on the member owning the name's partition); a lease is the entry's Hazelcast
 * time-to-live; an entry records the agent host that holds it and the name-server host it
 * registered through; when a split federation heals, {@link
 * io.zeroagents.nameserver.federation.RegistryMergePolicy} keeps one entry per name by the same rule
 * on every member (the same agent host: its newest copy; different hosts: the earlier
 * registration, then the smaller host id), and removals leave a tombstone for one lease so that
 * they survive the heal.
 *
 * <p>This package is the artifact {@code nameserver-federation}, the only one that depends on
 * Hazelcast: the daemon jar carries it, and users of the embedded name server add it only to
 * federate.
 */
@NullMarked
package io.zeroagents.nameserver.federation;

import org.jspecify.annotations.NullMarked;
