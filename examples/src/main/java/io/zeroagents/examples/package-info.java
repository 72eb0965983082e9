/**
 * Runnable examples: the Quick start demo and the agents the README shows. Compiled against
 * {@code agent-api} only; {@code agent-runtime} is found at run time.
 */
@NullMarked
package io.zeroagents.examples;

import org.jspecify.annotations.NullMarked;
