package io.zeroagents.sockets;

/**
 * The ZeroMQ socket types a {@link SocketManager} makes: the patterns agents use and the others
 * ZeroMQ offers. Each interoperates with a libzmq-compatible peer of the matching type.
 *
 * @since 0.1
 */
public enum SocketType {
    /** One-to-one, both directions; pairs with {@link #PAIR}. */
    PAIR,
    /** Publishes to subscribers; pairs with {@link #SUB} or {@link #XSUB}. */
    PUB,
    /** Receives what publishers send on the topics it subscribed to. */
    SUB,
    /** Sends a request, then receives its reply; pairs with {@link #REP} or {@link #ROUTER}. */
    REQ,
    /** Receives a request, then sends its reply; pairs with {@link #REQ} or {@link #DEALER}. */
    REP,
    /** Asynchronous requester: sends and receives in any order, round-robin to its peers. */
    DEALER,
    /** Asynchronous replier: every message received starts with the sending peer's identity frame. */
    ROUTER,
    /** Receives what pushers send, fair-queued; pairs with {@link #PUSH}. */
    PULL,
    /** Sends to pullers, round-robin. */
    PUSH,
    /** A publisher that also receives its subscribers' subscriptions. */
    XPUB,
    /** A subscriber that sends its subscriptions as messages. */
    XSUB
}
