/**
 * The end-to-end benchmark harness: {@link io.zeroagents.benchmarks.Harness} runs each scenario
 * with ZeroAgents agents and with raw JeroMQ sockets of the same pattern, transport and payload,
 * alternating the two in the same run, and writes a report; {@link io.zeroagents.benchmarks.Peer}
 * is the second JVM of the two-process scenarios.
 */
@NullMarked
package io.zeroagents.benchmarks;

import org.jspecify.annotations.NullMarked;
