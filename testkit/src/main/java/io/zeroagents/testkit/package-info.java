/**
 * The ZeroAgents test kit: {@link io.zeroagents.testkit.NameServerExtension} (with
 * {@link io.zeroagents.testkit.EmbeddedNameServer}) runs an embedded name server around tests, and
 * {@link io.zeroagents.testkit.AgentAwait} waits for agents.
 */
@NullMarked
package io.zeroagents.testkit;

import org.jspecify.annotations.NullMarked;
