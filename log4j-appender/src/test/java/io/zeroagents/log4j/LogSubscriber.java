package io.zeroagents.log4j;

import static org.junit.jupiter.api.Assertions.fail;

import io.zeroagents.serialization.CodecRegistry;
import io.zeroagents.serialization.EnvelopeCodec;
import io.zeroagents.serialization.proto.Envelope;
import io.zeroagents.transport.CurveKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;
import org.zeromq.SocketType;
import org.zeromq.ZAuth;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A plain JeroMQ SUB socket, as any subscriber of the appender's events would use, that parses
 * what it receives with {@link EnvelopeCodec}; with CURVE keys, a subscriber of a system that
 * encrypts.
 */
final class LogSubscriber implements AutoCloseable {

    /** How long a test waits for a message it expects. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** One received message: its frames, the topic and the parsed envelope. */
    record Message(List<byte[]> frames, String topic, Envelope envelope, String line) {
    }

    private static final EnvelopeCodec ENVELOPES = new EnvelopeCodec(CodecRegistry.of());

    private final ZContext context;
    private final ZMQ.Socket socket;
    private final String endpoint;
    private final @Nullable ZAuth authenticator;

    private LogSubscriber(boolean bind, String endpoint, @Nullable CurveKeys keys, String... topics) {
        context = new ZContext(1);
        // A bound CURVE subscriber checks the appender's client key, as the system's servers do.
        authenticator = keys != null && bind ? keys.authenticator(context) : null;
        socket = context.createSocket(SocketType.SUB);
        if (keys != null && bind) {
            keys.serve(socket);
        } else if (keys != null) {
            keys.connectAsClient(socket, keys.serverKeyFor(endpoint));
        }
        socket.setLinger(0);
        // Retries a connection JeroMQ left without its handshake (zeromq/jeromq#1022).
        socket.setHandshakeIvl(500);
        for (String topic : topics.length == 0 ? new String[] {""} : topics) {
            socket.subscribe(topic.getBytes(StandardCharsets.UTF_8));
        }
        if (bind) {
            socket.bind(endpoint);
        } else {
            socket.connect(endpoint);
        }
        this.endpoint = bind ? socket.getLastEndpoint() : endpoint;
    }

    /**
     * A subscriber bound to a random loopback port, for an appender that connects.
     *
     * @param topics topic prefixes to subscribe to; none for every message
     */
    static LogSubscriber bound(String... topics) {
        return new LogSubscriber(true, "tcp://127.0.0.1:*", null, topics);
    }

    /**
     * A CURVE subscriber bound to a random loopback port, serving with the system's key, for an
     * appender that connects with the same keys.
     */
    static LogSubscriber boundWithCurve(CurveKeys keys) {
        return new LogSubscriber(true, "tcp://127.0.0.1:*", keys);
    }

    /** A CURVE subscriber, a client with this host's key, connected to an appender that binds. */
    static LogSubscriber connectedWithCurve(String endpoint, CurveKeys keys) {
        return new LogSubscriber(false, endpoint, keys);
    }

    /**
     * A subscriber connected to an appender that binds.
     *
     * @param topics topic prefixes to subscribe to; none for every message
     */
    static LogSubscriber connectedTo(String endpoint, String... topics) {
        return new LogSubscriber(false, endpoint, null, topics);
    }

    /** The endpoint bound (with its port) or connected to. */
    String endpoint() {
        return endpoint;
    }

    /** The next message, or {@code null} when none arrives within {@code timeout}. */
    @Nullable Message receive(Duration timeout) {
        socket.setReceiveTimeOut((int) timeout.toMillis());
        byte[] first = socket.recv();
        if (first == null) {
            return null;
        }
        List<byte[]> frames = new ArrayList<>(2);
        frames.add(first);
        while (socket.hasReceiveMore()) {
            frames.add(socket.recv());
        }
        Envelope envelope = ENVELOPES.parse(frames.get(frames.size() - 1));
        String line = ENVELOPES.payload(envelope, String.class);
        return new Message(frames, new String(first, StandardCharsets.UTF_8), envelope, line == null ? "" : line);
    }

    /** The next message; fails the test when none arrives within {@link #TIMEOUT}. */
    Message next() {
        Message message = receive(TIMEOUT);
        if (message == null) {
            return fail("No log event arrived on " + endpoint + " within " + TIMEOUT);
        }
        return message;
    }

    /**
     * Receives until a message whose line contains {@code text} (a layout may surround the message),
     * discarding those before it.
     */
    Message awaitLineContaining(String text) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            Message message = receive(Duration.ofMillis(100));
            if (message != null && message.line().contains(text)) {
                return message;
            }
        }
        return fail("No line with '" + text + "' arrived on " + endpoint + " within " + TIMEOUT);
    }

    /**
     * Waits out ZeroMQ's slow joiner: a PUB socket drops what it publishes before the subscription
     * reaches it, so this logs until a line arrives, then logs a marker and receives up to it. The
     * next message received is the first one the test logs after this.
     */
    void syncWith(Logger logger, Level level) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (receive(Duration.ofMillis(50)) == null) {
            if (System.nanoTime() - deadline > 0) {
                fail("No log event logged at " + level + " reached the subscriber on " + endpoint + " within "
                        + TIMEOUT);
            }
            logger.log(level, "sync");
        }
        String marker = "synced " + UUID.randomUUID();
        logger.log(level, marker);
        awaitLineContaining(marker);
    }

    @Override
    public void close() {
        if (authenticator != null) {
            authenticator.close();
        }
        context.close();
    }
}
