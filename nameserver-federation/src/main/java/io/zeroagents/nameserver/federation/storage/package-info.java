/**
 * The storage format of federated name servers, generated at build time from
 * {@code zeroagents/nameserver/federation/v1/federation.proto}, which documents every message and
 * field: the entries kept in the shared Hazelcast map and the changes members apply to them.
 *
 * <p>Internal to the federation; not null-marked, like every protoc-generated package here.
 */
@NullUnmarked
package io.zeroagents.nameserver.federation.storage;

import org.jspecify.annotations.NullUnmarked;
