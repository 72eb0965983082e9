package io.zeroagents.runtime.internal;

import io.zeroagents.Codec;
import io.zeroagents.MessageDecodingException;
import io.zeroagents.serialization.EnvelopeCodec;
import io.zeroagents.serialization.EnvelopeWriter;
import io.zeroagents.transport.DropLog;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;
import org.zeromq.ZMQ;

/**
 * What an agent logs, and the messages it drops: its own log lines ({@code log}), the runtime's
 * reports about it, and the count of messages dropped. Lines also go to the agent's logger agent
 * once {@link #useLoggerSocket} gave it a PUB socket connected there, as osBrain's do. Drops are
 * logged at most once per socket per {@link DropLog#DEFAULT_INTERVAL}, with how many went unlogged,
 * so a peer sending garbage costs a line every few seconds; the count keeps them all.
 */
final class AgentLog {
    private static final Logger LOG = LogManager.getLogger(AgentLog.class);

    private final String name;
    /** Writes the lines published to the logger agent; loop thread only. */
    private final EnvelopeWriter writer;
    private final AgentLoop loop;
    private final Logger agentLog;
    private final AtomicLong dropped = new AtomicLong();
    /** Rate-limits the lines about drops, by socket alias. */
    private final DropLog drops = new DropLog(LOG);
    /** The PUB socket connected to this agent's logger agent, once it has one; loop thread only. */
    private ZMQ.@Nullable Socket loggerSocket;

    AgentLog(String name, EnvelopeCodec envelopes, AgentLoop loop) {
        this.name = name;
        this.writer = envelopes.writer();
        this.loop = loop;
        this.agentLog = LogManager.getLogger("io.zeroagents.agent." + name);
    }

    /** The counter of dropped messages, for the agent's metrics. */
    AtomicLong droppedCounter() {
        return dropped;
    }

    /**
     * Messages this agent dropped since it started: unreadable frames, wrong frame counts, payloads
     * its handler's type cannot take, unexpected error reports and replies nobody waits for, and
     * batched messages no peer took in time ({@code AgentOptions.batchSends}).
     */
    long dropped() {
        return dropped.get();
    }

    /** Counts {@code count} dropped messages. */
    void countDropped(int count) {
        dropped.addAndGet(count);
    }

    /** Logs a message that was dropped (and already counted), unless the socket's last such line is recent. */
    void logDropped(String alias, MessageDecodingException e) {
        drops.warn(alias, "Agent '{}' dropped a message on socket '{}' ({} dropped so far): {}", name, alias,
                dropped.get(), e.getMessage());
    }

    /**
     * Reports a message that was dropped (and already counted) as {@link #warn} does, logger agent
     * included, unless the socket's last line about a drop is recent.
     */
    void warnDropped(String alias, String message) {
        long notLogged = drops.admit(alias);
        if (notLogged >= 0) {
            warn(notLogged == 0 ? message : message + " (" + notLogged + " more drops on socket '" + alias
                    + "' not logged since the last line)");
        }
    }

    /** What the runtime reports about this agent reaches its logger agent too, as osBrain's own warnings do. */
    void warn(String message) {
        agentLog.warn("[{}] {}", name, message);
        publishIfConnected("WARN", message);
    }

    /** Reports an error of this agent, with its cause when there is one. */
    void error(String message, @Nullable Throwable failure) {
        agentLog.error("[{}] {}", name, message, failure);
        publishIfConnected("ERROR", message);
    }

    private void publishIfConnected(String level, String message) {
        if (loggerSocket != null && loop.onLoopThread()) {
            publish(level, message);
        }
    }

    /** Logs one line of the agent's own at {@code level} (INFO, WARN or WARNING, ERROR, DEBUG). */
    void log(String level, String message) {
        String upper = level.toUpperCase(Locale.ROOT);
        switch (upper) {
            case "INFO" -> agentLog.info("[{}] {}", name, message);
            case "WARN", "WARNING" -> agentLog.warn("[{}] {}", name, message);
            case "ERROR" -> agentLog.error("[{}] {}", name, message);
            case "DEBUG" -> agentLog.debug("[{}] {}", name, message);
            default -> throw new IllegalArgumentException("Agent '" + name + "' logs at INFO, WARN, ERROR or DEBUG,"
                    + " not '" + level + "'");
        }
        if (loggerSocket == null) {
            return;
        }
        String topic = upper.equals("WARNING") ? "WARN" : upper;
        if (loop.onLoopThread()) {
            publish(topic, message);
        } else {
            loop.post("log", () -> {
                publish(topic, message);
                return null;
            });
        }
    }

    /** Publishes one line to the logger agent, as the ZeroMqPublisher appender does: [level][string envelope]. */
    private void publish(String level, String message) {
        ZMQ.Socket socket = loggerSocket;
        if (socket == null) {
            return;
        }
        byte[] frame = writer.encode("[" + name + "] " + message, Codec.STRING, name, level, 0, false);
        // A logger that is slow or gone must not stall the agent: drop the line rather than wait.
        if (!socket.sendMore(level.getBytes(StandardCharsets.UTF_8)) || !socket.send(frame, ZMQ.DONTWAIT)) {
            dropped.incrementAndGet();
        }
    }

    /** Publishes to the logger agent on {@code socket} from now on, closing the socket used before. */
    void useLoggerSocket(ZMQ.Socket socket) {
        ZMQ.Socket previous = loggerSocket;
        if (previous != null) {
            previous.close();
        }
        loggerSocket = socket;
    }

    /** Closes the logger socket, if any, with {@code lingerMillis}; the agent ends. */
    void close(int lingerMillis) {
        ZMQ.Socket logger = loggerSocket;
        if (logger != null) {
            logger.setLinger(lingerMillis);
            logger.close();
            loggerSocket = null;
        }
    }
}
