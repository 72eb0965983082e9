/**
 * The ZeroAgents test kit: {@link io.zeroagents.testkit.NameServerExtension} (with
 * {@link io.zeroagents.testkit.EmbeddedNameServer}) runs an embedded name server around tests,
 * {@link io.zeroagents.testkit.AgentAwait} waits for agents, and
 * {@link io.zeroagents.testkit.NameServerContainer} and {@link io.zeroagents.testkit.AgentHostContainer}
 * run hosts as Testcontainers containers, on an image {@link io.zeroagents.testkit.HostImage}
 * builds on the machine without a registry.
 */
@NullMarked
package io.zeroagents.testkit;

import org.jspecify.annotations.NullMarked;
