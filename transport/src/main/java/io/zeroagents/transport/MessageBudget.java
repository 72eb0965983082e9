package io.zeroagents.transport;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import org.jspecify.annotations.Nullable;
import zmq.Config;
import zmq.Msg;
import zmq.io.Metadata;
import zmq.msg.MsgAllocator;

/**
 * The frames and bytes of the message one connection is receiving, counted as JeroMQ's decoder
 * allocates each frame: the decoder of a connection keeps the allocator it was made with, and
 * {@link InputGuard} hands each new connection a budget of its own.
 *
 * <p>JeroMQ 0.6.0 lets a socket choose its frame allocator ({@code ZMQ_MSG_ALLOCATOR}) but not its
 * ZMTP decoder. Its decoder calls the allocator with the size a frame header declares, sets the
 * frame's flags on the frame allocated ({@code V2Decoder.allocate}), then reads the frame's bytes
 * into {@link Msg#buf()}. The frames this budget allocates take part in each step: their flags tell
 * where a message ends (and which frames are commands, outside any message), and a large frame that
 * is not kept reads its bytes into a scratch buffer. A frame not kept is marked a command, which the
 * session drops ({@code SessionBase.pushMsg}) instead of queueing it, so no frame past the limits
 * reaches the socket's queue, where an endless message would otherwise pile up until the heap is full.
 *
 * <p>Confined to the I/O thread of its connection. Under CURVE the decoder sees encrypted frames,
 * whose flags say nothing of the message's frames: such a connection is bounded frame by frame
 * (each is counted as a message), and only clients with an authorized key get one.
 */
final class MessageBudget implements MsgAllocator {
    /** Frames above this size go to direct memory, as JeroMQ's own allocator sends them. */
    private static final int HEAP_THRESHOLD = Config.MSG_ALLOCATION_HEAP_THRESHOLD.getValue();
    /**
     * Frames up to this size are allocated even when they will not be kept: whether a frame is a
     * command shows only after allocating it, and a command (a handshake's, a heartbeat) must keep
     * its bytes. Larger frames not kept read into {@link #SCRATCH} and stay empty.
     */
    static final int SMALL_FRAME = 1024;
    /** The smallest command JeroMQ acts on after the handshake: "PING" with its length and its TTL. */
    private static final int SHORTEST_PING = 7;
    /** What a CURVE MESSAGE frame adds to the frame it carries: command name, nonce, box, flags. */
    static final int CURVE_FRAME_OVERHEAD = 33;
    /**
     * What frames not kept read their bytes into, shared: nobody reads it back. A larger frame not
     * kept costs its connection instead of a buffer.
     */
    private static final ByteBuffer SCRATCH = ByteBuffer.allocate(64 * 1024);

    /** What the frame just allocated is to be, settled by its flags. */
    private enum Pending {
        /** A frame within the limits, kept. */
        FRAME,
        /** A frame of a message over the frame limit: discarded, or the last frame of that message. */
        TAIL,
        /** A frame over the byte limit: the connection is cut. */
        OVER_BYTES
    }

    private final InputGuard guard;
    private final int maxFrames;
    private final long maxBytes;
    /** What a message is on this socket, for the log: a subscription on a PUB, else a message. */
    private final String what;
    /** What each frame carries beyond its message's bytes (a CURVE envelope). */
    private final int frameOverhead;
    /** Whether the last data frame announced another: a message is under way. */
    private boolean inMessage;
    /** Whether the message under way went over the frame limit. */
    private boolean truncating;
    private int frames;
    private long bytes;
    /** The frame just allocated, and what it makes the counts once its flags show it is data. */
    private Pending pending = Pending.FRAME;
    private int pendingFrames;
    private long pendingBytes;
    /** Set once the connection is cut: every frame from then on is discarded. */
    private boolean cut;
    /** Why it was cut, until the peer it is logged with is known. */
    private @Nullable String unloggedCut;
    /** Where the connection came from or went to, from the first frame JeroMQ attaches metadata to. */
    private @Nullable String peer;
    private @Nullable SocketChannel channel;
    /** The endpoint of the socket the connection belongs to, once its handshake is done. */
    private String endpoint = "";

    MessageBudget(InputGuard guard, InputLimits limits, int frameOverhead, String what) {
        this.guard = guard;
        this.maxFrames = limits.maxFrames();
        this.maxBytes = limits.maxBytes();
        this.frameOverhead = frameOverhead;
        this.what = what;
    }

    @Override
    public Msg allocate(int size) {
        if (size < 0) {
            // A size field of 2^63 bytes or more: JeroMQ reads it as a negative number and passes it
            // on, and allocating it threw in its I/O thread at every later read of the connection.
            cut("a frame header declaring 2^63 bytes or more", true);
            return ended();
        }
        if (cut) {
            return ended();
        }
        pendingFrames = inMessage ? frames + 1 : 1;
        pendingBytes = (inMessage ? bytes : 0) + Math.max(0, size - frameOverhead);
        if ((inMessage && truncating) || pendingFrames > maxFrames) {
            pending = Pending.TAIL;
        } else if (pendingBytes > maxBytes) {
            pending = Pending.OVER_BYTES;
        } else {
            pending = Pending.FRAME;
            return frame(size);
        }
        if (size <= SMALL_FRAME) {
            return frame(size);
        }
        if (pending == Pending.OVER_BYTES) {
            // Too large for a command, so over the limit whatever its flags say.
            cut("a " + what + " of more than " + maxBytes + " bytes", true);
            return ended();
        }
        if (size <= SCRATCH.capacity()) {
            return new Scrap(this, size, false);
        }
        // No buffer is made for a large frame not kept. JeroMQ checks its own frame limit only
        // against size fields below 2^63, and passes the low 32 bits of the others on: 2 GiB here.
        cut("a frame of " + size + " bytes in a " + what + " over its limits", true);
        return ended();
    }

    /**
     * A frame of a connection that is cut, read as if it were empty: where the frames end no longer
     * matters, and the frame is done at once, so that JeroMQ hands it on with the metadata that
     * tells which connection to end, instead of waiting for bytes that may never come.
     */
    private Msg ended() {
        return new Scrap(this, 0, true);
    }

    private Msg frame(int size) {
        return size > HEAP_THRESHOLD ? new Frame(this, ByteBuffer.allocateDirect(size)) : new Frame(this, size);
    }

    /**
     * Settles the frame just allocated by its flags, which the decoder sets before reading its
     * bytes: counts it, or finds it over a limit.
     *
     * @return whether to discard the frame (mark it a command, which the session drops)
     */
    private boolean settle(int flags) {
        if (cut) {
            return true;
        }
        if ((flags & Msg.COMMAND) != 0) {
            // A command (the handshake's, a heartbeat) is no part of any message; JeroMQ takes it.
            return false;
        }
        boolean more = (flags & Msg.MORE) != 0;
        switch (pending) {
            case OVER_BYTES -> {
                cut("a " + what + " of more than " + maxBytes + " bytes", true);
                return true;
            }
            case TAIL -> {
                if (!(inMessage && truncating)) {
                    truncating = true;
                    guard.truncated(this, maxFrames);
                }
                inMessage = more;
                // The last frame is kept, so the message the socket queued ends, one frame too long.
                return more;
            }
            default -> {
                truncating = false;
                frames = pendingFrames;
                bytes = pendingBytes;
                inMessage = more;
                return false;
            }
        }
    }

    /** Learns the peer's address from the metadata JeroMQ attaches to the connection's frames. */
    private void metadata(@Nullable Metadata metadata) {
        if (peer == null && metadata != null) {
            String address = metadata.get(Metadata.PEER_ADDRESS);
            if (address != null && !address.isEmpty()) {
                peer = address;
                channel = guard.channelOf(address);
                if (cut) {
                    String reason = unloggedCut;
                    if (reason != null) {
                        unloggedCut = null;
                        guard.logCut(this, reason);
                    }
                    InputGuard.shutDownInput(channel);
                }
            }
        }
    }

    /**
     * Discards everything this connection sends from now on and ends its input, so that JeroMQ
     * closes it as it closes one whose peer left, and drops the part of a message it queued. A peer
     * not known yet is ended as soon as a frame tells who it is.
     *
     * @param reason       what the connection sent, for the log
     * @param peerComing   whether a frame will tell the peer (ZMTP 3), which the log line waits for
     */
    void cut(String reason, boolean peerComing) {
        if (cut) {
            return;
        }
        cut = true;
        guard.countCut();
        if (peer == null && peerComing) {
            unloggedCut = reason;
        } else {
            guard.logCut(this, reason);
        }
        InputGuard.shutDownInput(channel);
    }

    /** Tells the budget which socket endpoint its connection belongs to, at the end of its handshake. */
    void start(String endpoint) {
        this.endpoint = endpoint;
    }

    String endpoint() {
        return endpoint;
    }

    /** The peer's address ({@code ip:port}), or a placeholder until a frame told it. */
    String peer() {
        return peer == null ? "a peer not identified yet" : peer;
    }

    /** The peer's IP address, the key its log lines are rate-limited by. */
    String peerHost() {
        String address = peer;
        if (address == null) {
            return "?";
        }
        int colon = address.lastIndexOf(':');
        return colon > 0 ? address.substring(0, colon) : address;
    }

    /** Where the decoder reads the bytes of a frame not kept: the shared scratch buffer, up to {@code size}. */
    private static ByteBuffer scratch(int size) {
        ByteBuffer target = SCRATCH.duplicate();
        target.clear().limit(size);
        return target;
    }

    /**
     * A frame allocated for real: kept when within the limits, else discarded. A frame discarded,
     * and a command too short to be a PING, have their bytes read to a scratch buffer and stay
     * zeros: JeroMQ's engine reads a PING's TTL without checking the command's length, and a
     * five-byte "PING" threw in its I/O thread.
     */
    private static final class Frame extends Msg {
        private final MessageBudget budget;
        private boolean settled;
        private boolean hidden;
        private boolean read;

        Frame(MessageBudget budget, int size) {
            super(size);
            this.budget = budget;
        }

        Frame(MessageBudget budget, ByteBuffer direct) {
            super(direct);
            this.budget = budget;
        }

        @Override
        public void setFlags(int flags) {
            if (settled) {
                super.setFlags(flags);
                return;
            }
            // The decoder's call comes first, right after allocating; later ones are the socket's.
            settled = true;
            boolean discard = budget.settle(flags);
            hidden = discard || ((flags & Msg.COMMAND) != 0 && super.size() < SHORTEST_PING);
            super.setFlags(discard ? flags | Msg.COMMAND : flags);
        }

        @Override
        public ByteBuffer buf() {
            if (read || !hidden) {
                return super.buf();
            }
            // The decoder asks once, after the flags, for where to read the frame's bytes to.
            read = true;
            return scratch(super.size());
        }

        @Override
        public Msg setMetadata(Metadata metadata) {
            budget.metadata(metadata);
            return super.setMetadata(metadata);
        }
    }

    /**
     * A large frame not kept, empty itself: its bytes go to a scratch buffer. Marked a command,
     * which the session drops, unless it is the last frame of a message over the frame limit: then
     * it stays an empty data frame that ends the message the socket queued.
     */
    private static final class Scrap extends Msg {
        private final MessageBudget budget;
        private final int size;
        private boolean settled;
        private boolean read;

        Scrap(MessageBudget budget, int size, boolean discard) {
            super(0);
            this.budget = budget;
            this.size = size;
            if (discard) {
                // Set here: the decoders of ZMTP 1.0 and 2.0 set no flags on frames without "more".
                settled = true;
                super.setFlags(Msg.COMMAND);
            }
        }

        @Override
        public void setFlags(int flags) {
            if (settled) {
                super.setFlags(flags);
                return;
            }
            settled = true;
            super.setFlags(budget.settle(flags) ? flags | Msg.COMMAND : flags);
        }

        @Override
        public ByteBuffer buf() {
            if (read) {
                return super.buf();
            }
            // The decoder asks once, for where to read the frame's bytes to.
            read = true;
            return scratch(size);
        }

        @Override
        public Msg setMetadata(Metadata metadata) {
            budget.metadata(metadata);
            return super.setMetadata(metadata);
        }
    }
}
