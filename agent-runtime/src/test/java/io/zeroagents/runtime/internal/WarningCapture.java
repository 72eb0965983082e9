package io.zeroagents.runtime.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;

/** Test support: collects the WARN events logged while it is open, through an appender on the root logger. */
final class WarningCapture extends AbstractAppender implements AutoCloseable {
    private final List<LogEvent> events = new CopyOnWriteArrayList<>();
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);

    private WarningCapture() {
        super("test-warnings", null, null, true, Property.EMPTY_ARRAY);
    }

    static WarningCapture open() {
        WarningCapture capture = new WarningCapture();
        capture.start();
        Configuration configuration = capture.context.getConfiguration();
        configuration.getRootLogger().addAppender(capture, Level.WARN, null);
        capture.context.updateLoggers();
        return capture;
    }

    @Override
    public void append(LogEvent event) {
        events.add(event.toImmutable());
    }

    List<LogEvent> events() {
        return List.copyOf(events);
    }

    @Override
    public void close() {
        context.getConfiguration().getRootLogger().removeAppender(getName());
        context.updateLoggers();
        stop();
    }
}
