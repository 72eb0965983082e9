package io.zeroagents.log4j;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.status.StatusData;
import org.apache.logging.log4j.status.StatusListener;
import org.apache.logging.log4j.status.StatusLogger;

/**
 * Collects what Log4j's status logger reports at {@code WARN} and above while it is open: where an
 * appender tells users about its own problems.
 */
final class StatusCapture implements AutoCloseable {

    private final List<StatusData> reports = new CopyOnWriteArrayList<>();
    private final StatusListener listener = new StatusListener() {
        @Override
        public void log(StatusData data) {
            reports.add(data);
        }

        @Override
        public Level getStatusLevel() {
            return Level.WARN;
        }

        @Override
        public void close() {
            // Nothing to release; the status logger calls this when the listener is removed.
        }
    };

    private StatusCapture() {
    }

    static StatusCapture open() {
        StatusCapture capture = new StatusCapture();
        StatusLogger.getLogger().registerListener(capture.listener);
        return capture;
    }

    /** The formatted messages reported at {@code level}, in order. */
    List<String> messages(Level level) {
        return reports.stream().filter(data -> data.getLevel() == level)
                .map(data -> data.getMessage().getFormattedMessage()).toList();
    }

    /** The messages at {@code level} that mention {@code text}. */
    List<String> messagesContaining(Level level, String text) {
        return messages(level).stream().filter(message -> message.contains(text)).toList();
    }

    @Override
    public void close() {
        StatusLogger.getLogger().removeListener(listener);
    }
}
