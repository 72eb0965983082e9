package io.zeroagents.transport;

/**
 * A {@link SocketFactory} without CURVE keys refused to bind an endpoint that other machines can
 * reach (see {@link Endpoints#isReachableFromOtherMachines}): in plain text anyone who reaches the
 * port could talk to the socket, so such a bind needs CURVE, or the factory's explicit
 * {@link SocketFactory.Builder#plainTextBeyondLoopback(boolean) consent} to plain text.
 *
 * <p>Callers catch it to say, in their own terms, which setting or flag gives that consent.
 */
public final class InsecureBindException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** The endpoint refused. */
    private final String endpoint;

    /**
     * A refusal of a bind.
     *
     * @param endpoint the endpoint refused
     */
    public InsecureBindException(String endpoint) {
        super("refused to bind " + endpoint + " in plain text: other machines can reach it and CURVE is off, so"
                + " anyone who reaches its port could talk to it");
        this.endpoint = endpoint;
    }

    /**
     * The endpoint refused.
     *
     * @return e.g. {@code tcp://0.0.0.0:9091}
     */
    public String endpoint() {
        return endpoint;
    }
}
