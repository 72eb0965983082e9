package io.zeroagents.transport;

/**
 * How much one message arriving on a socket over the network may hold: its frames, and its bytes
 * summed over them. Enforced per connection as JeroMQ's decoder reads each frame header, before the
 * frame is kept ({@link SocketFactory.Builder#inputLimits(InputLimits)}).
 *
 * <p>A message with more frames than {@link #maxFrames()} is dropped, not the connection: its
 * frames past the limit are discarded as they arrive, and when it ends the receiver gets the first
 * {@code maxFrames} frames and the last (emptied when over 1 KiB), a message one frame longer than
 * any it takes, which it drops as it drops other wrong frame counts. A message that never ends
 * holds those frames and nothing more. A frame past the limit larger than 64 KiB, and a message
 * whose bytes would pass {@link #maxBytes()}, cost the connection instead, as a frame over the
 * frame limit does.
 *
 * @param maxFrames the most frames a message may have, at least 1
 * @param maxBytes  the most bytes its frames may hold together, at least 0 (a socket that takes no
 *                  input, such as a PUSH, refuses any frame with bytes in it)
 */
public record InputLimits(int maxFrames, long maxBytes) {
    /** What a subscription frame holds besides its topic: the subscribe or unsubscribe byte. */
    private static final int SUBSCRIPTION_HEAD = 1;

    /**
     * Checks the limits.
     *
     * @throws IllegalArgumentException when {@code maxFrames} is below 1 or {@code maxBytes} negative
     */
    public InputLimits {
        if (maxFrames < 1) {
            throw new IllegalArgumentException("maxFrames must be at least 1, got " + maxFrames);
        }
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative, got " + maxBytes);
        }
    }

    /**
     * The limits of a PUB socket, whose only input is its subscribers' subscriptions: one frame, the
     * subscribe byte and a topic of at most {@code maxTopicBytes}. A longer subscription costs its
     * connection before JeroMQ's subscription trie sees it (its recursion, one level per byte, overflowed
     * the stack of the publishing thread at 20,000 bytes).
     *
     * @param maxTopicBytes the longest topic a subscriber may subscribe to
     * @return the limits
     */
    public static InputLimits subscriptions(int maxTopicBytes) {
        if (maxTopicBytes < 0) {
            throw new IllegalArgumentException("maxTopicBytes must not be negative, got " + maxTopicBytes);
        }
        return new InputLimits(1, (long) maxTopicBytes + SUBSCRIPTION_HEAD);
    }

    /**
     * The limits of a socket that reads nothing its peers send (a PUSH): a frame with any bytes costs
     * the connection, since nothing would ever take it off the socket's queue.
     *
     * @return the limits
     */
    public static InputLimits none() {
        return new InputLimits(1, 0);
    }
}
