package io.zeroagents.transport;

import zmq.Msg;

/**
 * An envelope frame that carries its payload frame along as a field, for messages between agents
 * of one JVM over inproc. An inproc pipe hands the receiver the very {@link Msg} object the sender
 * wrote, so the payload reaches it without a second frame: a frame costs JeroMQ as much as a
 * whole small message, and the payload needs no copy into the envelope or out of it.
 *
 * <p>The frame's own bytes are an ordinary envelope that announces its payload frame
 * ({@code payload_follows}), so {@link Frames} turns the pair back into the two frames every
 * receiver reads. Whatever gets the frame without its field (a copy of the message, a plain
 * ZeroMQ socket of this JVM) gets an envelope whose payload frame never comes, which
 * {@code EnvelopeCodec} refuses.
 */
final class CarriedPayloadMsg extends Msg {
    private final byte[] payload;

    /**
     * @param envelope the envelope frame, announcing its payload frame
     * @param payload  the payload frame
     */
    CarriedPayloadMsg(byte[] envelope, byte[] payload) {
        super(envelope);
        this.payload = payload;
    }

    /** The payload frame that follows this one. */
    byte[] payload() {
        return payload;
    }
}
