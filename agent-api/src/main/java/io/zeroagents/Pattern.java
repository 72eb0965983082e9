package io.zeroagents;

/**
 * The messaging pattern of a socket, named after its ZeroMQ socket type.
 *
 * <p>Binding makes an agent a server of its pattern; connecting to an address makes a client of the
 * {@linkplain #twin() twin pattern}. Either side may play either role: a bound {@code PUSH}
 * round-robins to every connected {@code PULL}, a bound {@code PULL} fans in from every connected
 * {@code PUSH}.
 *
 * @since 0.1
 */
public enum Pattern {
    /** Sends requests and waits for each reply (synchronous request-reply, client side). */
    REQ,
    /** Answers requests: a {@link ReplyHandler} returns the reply. */
    REP,
    /** Sends messages down a pipeline, round-robin across connected peers. */
    PUSH,
    /** Receives pipeline messages, fair-queued from connected peers. */
    PULL,
    /** Publishes messages under a topic to every matching subscriber. */
    PUB,
    /** Receives publications whose topic starts with a subscribed prefix. */
    SUB,
    /**
     * Publishes to every subscriber like {@code PUB}, and answers a subscriber's request on that
     * subscriber's channel only (osBrain's synchronized publication). Bind it; its address carries
     * a second endpoint for requests.
     */
    SYNC_PUB,
    /**
     * Subscribes to a {@code SYNC_PUB} channel and may send it requests whose replies reach only
     * this subscriber. Connect it to a {@code SYNC_PUB} address.
     */
    SYNC_SUB,
    /**
     * Answers asynchronous requests: a handler's reply goes back to the client that asked, while the
     * clients never block waiting for it. Bind it.
     */
    ASYNC_REP,
    /**
     * Sends asynchronous requests: {@code send} returns at once and the reply is handled later by
     * the connection's handler or the request's own. Connect it to an {@code ASYNC_REP} address.
     */
    ASYNC_REQ;

    /**
     * The pattern a peer uses to talk to this one: {@code REQ} and {@code REP}, {@code PUSH} and
     * {@code PULL}, {@code PUB} and {@code SUB}, {@code SYNC_PUB} and {@code SYNC_SUB},
     * {@code ASYNC_REP} and {@code ASYNC_REQ}.
     *
     * @return the opposite side of this pattern
     */
    public Pattern twin() {
        return switch (this) {
            case REQ -> REP;
            case REP -> REQ;
            case PUSH -> PULL;
            case PULL -> PUSH;
            case PUB -> SUB;
            case SUB -> PUB;
            case SYNC_PUB -> SYNC_SUB;
            case SYNC_SUB -> SYNC_PUB;
            case ASYNC_REP -> ASYNC_REQ;
            case ASYNC_REQ -> ASYNC_REP;
        };
    }

    /**
     * Whether a socket of this pattern receives messages that a handler can process.
     *
     * @return {@code true} for {@code REP}, {@code PULL}, {@code SUB}, {@code SYNC_PUB} (its
     *         subscribers' requests), {@code SYNC_SUB}, {@code ASYNC_REP} and {@code ASYNC_REQ}
     *         (whose handler takes the replies)
     */
    public boolean receives() {
        return this != REQ && this != PUSH && this != PUB;
    }

    /**
     * Whether a socket of this pattern can only be created by binding: the server side of the
     * richer channels. The other side ({@link #clientOnly()}) is created by connecting.
     *
     * @return {@code true} for {@code SYNC_PUB} and {@code ASYNC_REP}
     */
    public boolean serverOnly() {
        return this == SYNC_PUB || this == ASYNC_REP;
    }

    /**
     * Whether a socket of this pattern can only be created by connecting to a
     * {@linkplain #serverOnly() server-only} pattern's address.
     *
     * @return {@code true} for {@code SYNC_SUB} and {@code ASYNC_REQ}
     */
    public boolean clientOnly() {
        return this == SYNC_SUB || this == ASYNC_REQ;
    }

    /**
     * Whether messages on this pattern are filtered by topic.
     *
     * @return {@code true} for {@code PUB}, {@code SUB}, {@code SYNC_PUB} and {@code SYNC_SUB}
     */
    public boolean topics() {
        return this == PUB || this == SUB || this == SYNC_PUB || this == SYNC_SUB;
    }
}
