/**
 * The name-server wire protocol, generated at build time from
 * {@code zeroagents/nameserver/v1/nameserver.proto}, which documents every message and field.
 *
 * <p>A client sends one {@link io.zeroagents.nameserver.protocol.Request} per ZeroMQ frame from
 * a DEALER socket; the server answers each with one {@link io.zeroagents.nameserver.protocol.Response}
 * carrying the same request id.
 *
 * <p>The package is not null-marked: protoc's Java code marks the few parameters and results
 * that may be null ({@code getXxxOrDefault}) only in comments, so a null checker must not assume
 * the rest of it is annotated. In practice messages never hold null and builders reject it.
 */
@NullUnmarked
package io.zeroagents.nameserver.protocol;

import org.jspecify.annotations.NullUnmarked;
