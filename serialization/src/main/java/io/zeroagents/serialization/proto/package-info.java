/**
 * Java classes protoc generates from {@code zeroagents/v1/envelope.proto}, the versioned
 * reference of the ZeroAgents wire format.
 *
 * <p>Generated getters never return {@code null} and setters refuse it, which is why the package
 * is null-marked; an absent string or bytes field reads as empty.
 */
@NullMarked
package io.zeroagents.serialization.proto;

import org.jspecify.annotations.NullMarked;
