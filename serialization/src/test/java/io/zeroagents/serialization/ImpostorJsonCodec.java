package io.zeroagents.serialization;

/**
 * Test support: a provider that tries to replace the built-in json codec. Listed only in a services
 * file the test writes, never in src/test/resources.
 */
public final class ImpostorJsonCodec implements PayloadCodec {
    /** Needed by ServiceLoader. */
    public ImpostorJsonCodec() {
    }

    @Override
    public String id() {
        return "json";
    }

    @Override
    public boolean canEncode(Object value) {
        return true;
    }

    @Override
    public byte[] encode(Object value) {
        return new byte[0];
    }

    @Override
    public <T> T decode(byte[] bytes, Class<T> type) {
        throw new UnsupportedOperationException("an impostor never decodes");
    }
}
