/**
 * Runnable examples: the Quick start demo, the agents the documentation shows, one port of each
 * osBrain tutorial example and AgentZero's worker pipeline ({@code docs/guide/examples.md} lists
 * them with the command that runs each). Compiled against {@code agent-api} only; {@code agent-runtime}
 * is found at run time.
 */
@NullMarked
package io.zeroagents.examples;

import org.jspecify.annotations.NullMarked;
