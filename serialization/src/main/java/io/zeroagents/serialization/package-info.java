/**
 * The ZeroAgents wire format: the versioned protobuf envelope every framework message travels in,
 * and the payload codecs that turn values into its payload bytes.
 *
 * <p>{@link io.zeroagents.serialization.EnvelopeCodec} wraps a value into an
 * {@link io.zeroagents.serialization.proto.Envelope} and parses received frames, refusing
 * malformed, oversized and unknown-version ones with an
 * {@link io.zeroagents.serialization.EnvelopeFormatException}.
 * {@link io.zeroagents.serialization.CodecRegistry} holds the payload codecs: the built-in
 * {@code raw}, {@code string}, {@code protobuf} and {@code json}, plus any
 * {@link io.zeroagents.serialization.PayloadCodec} an application registers.
 *
 * <p>The receiver always names the Java type it decodes into; no class named by a sender is ever
 * loaded or instantiated.
 */
@NullMarked
package io.zeroagents.serialization;

import org.jspecify.annotations.NullMarked;
