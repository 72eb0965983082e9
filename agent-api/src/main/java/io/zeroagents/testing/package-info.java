/**
 * Helpers for testing agents (osBrain's {@code osbrain.helper}): wait for an attribute, a
 * condition, a logger line or an agent's end, with a timeout, instead of sleeping a guessed time.
 * They use only the public API, so they work with any runtime and through remote proxies.
 */
@NullMarked
package io.zeroagents.testing;

import org.jspecify.annotations.NullMarked;
