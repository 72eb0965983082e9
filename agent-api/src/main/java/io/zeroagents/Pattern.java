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
    SUB;

    /**
     * The pattern a peer uses to talk to this one: {@code REQ} and {@code REP}, {@code PUSH} and
     * {@code PULL}, {@code PUB} and {@code SUB}.
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
        };
    }

    /**
     * Whether a socket of this pattern receives messages that a handler can process.
     *
     * @return {@code true} for {@code REP}, {@code PULL} and {@code SUB}
     */
    public boolean receives() {
        return this == REP || this == PULL || this == SUB;
    }
}
