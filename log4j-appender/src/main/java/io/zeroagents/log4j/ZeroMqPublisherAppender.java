package io.zeroagents.log4j;

import io.zeroagents.settings.ConfigSource;
import io.zeroagents.settings.ZeroAgentsSettings;
import io.zeroagents.transport.CurveKeys;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.StringLayout;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderFactory;
import org.apache.logging.log4j.core.config.plugins.validation.constraints.Required;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.jspecify.annotations.Nullable;

/**
 * A Log4j 2 appender that publishes log events on a ZeroMQ PUB socket in the ZeroAgents wire
 * format: AgentZero's log handler, for Java. Its plugin name is {@value #PLUGIN_NAME}.
 *
 * <p>Each event is one two-frame ZeroMQ message, as an agent's PUB socket sends it:
 * <ol>
 *   <li>the topic, the level name in upper case ({@code INFO}, {@code WARN}, ...) in UTF-8, so a
 *       subscriber to {@code "WARN"} receives only warnings;</li>
 *   <li>an {@link io.zeroagents.serialization.proto.Envelope}: codec {@code "string"}, payload the
 *       layout's formatted line in UTF-8, {@code sender} the {@code source} attribute (by default
 *       the logger name), {@code topic} the level name, and the headers {@code logger},
 *       {@code thread}, {@code level} and {@code timestamp} (epoch milliseconds, in decimal).</li>
 * </ol>
 *
 * <p>Configuration attributes: {@code name} and {@code endpoint} (required), {@code bind}
 * (default {@code false}: connect to a subscriber that binds, as osBrain's logger agent does;
 * {@code true}: bind, and let subscribers connect), {@code source}, {@code queueSize} (default
 * {@value #DEFAULT_QUEUE_SIZE}), {@code lingerMs} (default {@value #DEFAULT_LINGER_MS}),
 * {@code sendHighWaterMark} (default {@value #DEFAULT_SEND_HIGH_WATER_MARK}, 0 for none),
 * {@code curveDir} (a CURVE key directory, made by {@code java -jar nameserver.jar keys init DIR};
 * default the setting {@code zeroagents.curve.dir}, plain text when neither is set),
 * {@code ignoreExceptions}, plus a layout (default a {@code PatternLayout} of
 * {@value #DEFAULT_PATTERN}; it must produce text) and a filter.
 *
 * <p>{@link #append(LogEvent)} formats the event on the logging thread and offers it to a bounded
 * queue; it never blocks. One daemon thread per appender owns a ZeroMQ context and the PUB socket
 * and publishes the queue. When the queue is full the event is dropped and counted
 * ({@link #droppedEvents()}), with a status-logger warning at the first drop and every 1,000th.
 * A socket that cannot bind or connect is reported as a status-logger error naming the appender
 * and the endpoint; the application goes on and the appender drops its events. Without CURVE keys,
 * binding an address other machines can reach is such an error, unless the setting
 * {@code zeroagents.insecure.no.curve} allows plain text there. Stopping the
 * appender (or its {@code LoggerContext}) publishes what is still queued, for at most the stop
 * timeout or, when the timeout is not positive (as with {@code LoggerContext.stop()}),
 * {@code lingerMs}; then it closes the socket with a linger of {@code lingerMs} and the context.
 *
 * <p>Instances are thread-safe.
 *
 * @since 0.1
 */
@Plugin(name = ZeroMqPublisherAppender.PLUGIN_NAME, category = Core.CATEGORY_NAME,
        elementType = Appender.ELEMENT_TYPE, printObject = true)
public final class ZeroMqPublisherAppender extends AbstractAppender {

    /** The plugin name, the element of a {@code log4j2.xml}: {@code <ZeroMqPublisher .../>}. */
    public static final String PLUGIN_NAME = "ZeroMqPublisher";

    /** The default capacity of the queue between logging threads and the publisher thread. */
    public static final int DEFAULT_QUEUE_SIZE = 10_000;

    /** The default linger of the socket, and drain limit of a stop without timeout, in ms. */
    public static final int DEFAULT_LINGER_MS = 1000;

    /** The default send high-water mark of the socket, ZeroMQ's own default. */
    public static final int DEFAULT_SEND_HIGH_WATER_MARK = 1000;

    /** The pattern of the default layout: the message alone. */
    public static final String DEFAULT_PATTERN = "%m";

    private final StringLayout layout;
    private final String endpoint;
    private final int lingerMs;
    private final LogPublisher publisher;

    private ZeroMqPublisherAppender(String name, @Nullable Filter filter, StringLayout layout, boolean ignoreExceptions,
                                    Property @Nullable [] properties, String endpoint, int lingerMs,
                                    LogPublisher publisher) {
        super(name, filter, layout, ignoreExceptions, properties);
        this.layout = layout;
        this.endpoint = endpoint;
        this.lingerMs = lingerMs;
        this.publisher = publisher;
    }

    /**
     * A builder, which Log4j also uses to create the appender from a configuration.
     *
     * @return a new builder with the defaults
     */
    @PluginBuilderFactory
    public static Builder newBuilder() {
        return new Builder();
    }

    /**
     * Starts the publisher thread and waits until its socket is bound or connected; a socket that
     * cannot bind or connect is reported on the status logger, and the appender then drops events.
     */
    @Override
    public void start() {
        publisher.start();
        super.start();
    }

    /**
     * Formats the event with the layout and queues it for the publisher thread. Never blocks: when
     * the queue is full, the event is dropped and counted.
     *
     * @param event the log event; read here, not kept
     */
    @Override
    public void append(LogEvent event) {
        String line = layout.toSerializable(event);
        publisher.offer(new LogPublisher.Event(event.getLevel().name().toUpperCase(Locale.ROOT), line,
                event.getLoggerName(), event.getThreadName(), event.getTimeMillis()));
    }

    /**
     * Stops the appender: publishes what is still queued, for at most {@code timeout} (when it is
     * positive) or {@code lingerMs}, closes the socket with a linger of {@code lingerMs}, closes the
     * context, and waits for the publisher thread to end.
     *
     * @param timeout  how long queued events may still be published; not positive for
     *                 {@code lingerMs}
     * @param timeUnit the unit of {@code timeout}
     * @return whether the publisher thread ended in time
     */
    @Override
    public boolean stop(long timeout, TimeUnit timeUnit) {
        setStopping();
        boolean stopped = super.stop(timeout, timeUnit, false);
        stopped &= publisher.stop(timeout > 0 ? timeUnit.toMillis(timeout) : lingerMs);
        setStopped();
        return stopped;
    }

    /**
     * The number of events this appender did not publish: dropped because its queue was full, its
     * socket could not bind or connect, it was stopped, or an event could not be encoded.
     *
     * @return the count since the appender was created
     */
    public long droppedEvents() {
        return publisher.dropped();
    }

    /**
     * The endpoint as configured, e.g. {@code tcp://127.0.0.1:5555}.
     *
     * @return the {@code endpoint} attribute
     */
    public String endpoint() {
        return endpoint;
    }

    /**
     * The endpoint the socket is bound or connected to, with the port a wildcard bind chose
     * ({@code tcp://127.0.0.1:*} becomes {@code tcp://127.0.0.1:49152}): what subscribers connect
     * to in {@code bind} mode.
     *
     * @return the endpoint, or {@code null} before the appender started or when its socket could
     *         not bind or connect
     */
    public @Nullable String lastEndpoint() {
        return publisher.lastEndpoint();
    }

    /** The publisher thread, for tests that check it ends. */
    Thread publisherThread() {
        return publisher.thread();
    }

    /**
     * Builds a {@link ZeroMqPublisherAppender}; Log4j fills it from a configuration's attributes
     * and elements.
     *
     * <p>{@link #build()} returns {@code null}, after a status-logger error naming what is wrong,
     * when the configuration is invalid: that is how Log4j leaves a broken appender out of a
     * configuration without failing the application.
     *
     * @since 0.1
     */
    public static final class Builder extends AbstractAppender.Builder<Builder>
            implements org.apache.logging.log4j.core.util.Builder<ZeroMqPublisherAppender> {

        @PluginBuilderAttribute
        @Required(message = "No endpoint provided for the ZeroMqPublisher appender (e.g. endpoint=\"tcp://127.0.0.1:5555\")")
        private @Nullable String endpoint;

        @PluginBuilderAttribute
        private boolean bind;

        @PluginBuilderAttribute
        private @Nullable String source;

        @PluginBuilderAttribute
        private int queueSize = DEFAULT_QUEUE_SIZE;

        @PluginBuilderAttribute
        private int lingerMs = DEFAULT_LINGER_MS;

        @PluginBuilderAttribute
        private int sendHighWaterMark = DEFAULT_SEND_HIGH_WATER_MARK;

        @PluginBuilderAttribute
        private @Nullable String curveDir;

        private LogPublisher.Gate gate = LogPublisher.Gate.OPEN;

        private Builder() {
        }

        /**
         * Sets the ZeroMQ endpoint to connect to, or to bind when {@link #setBind(boolean) bind}
         * is set. Required.
         *
         * @param endpoint {@code transport://address}, e.g. {@code tcp://127.0.0.1:5555}; a bind
         *                 may use the port {@code *}
         * @return this builder
         */
        public Builder setEndpoint(String endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /**
         * Sets whether the socket binds the endpoint (subscribers connect) or connects to it (a
         * subscriber binds, as osBrain's logger agent does). Default {@code false}.
         *
         * @param bind {@code true} to bind
         * @return this builder
         */
        public Builder setBind(boolean bind) {
            this.bind = bind;
            return this;
        }

        /**
         * Sets the envelope's {@code sender}. By default each event's logger name.
         *
         * @param source the name subscribers see as the sender, or {@code null} for the logger name
         * @return this builder
         */
        public Builder setSource(@Nullable String source) {
            this.source = source;
            return this;
        }

        /**
         * Sets how many events may wait for the publisher thread; more are dropped and counted.
         * Default {@value ZeroMqPublisherAppender#DEFAULT_QUEUE_SIZE}.
         *
         * @param queueSize the capacity, positive
         * @return this builder
         */
        public Builder setQueueSize(int queueSize) {
            this.queueSize = queueSize;
            return this;
        }

        /**
         * Sets the socket's linger: how long unsent events may hold up closing it, in ms; also how
         * long a stop without timeout publishes queued events. Default
         * {@value ZeroMqPublisherAppender#DEFAULT_LINGER_MS}.
         *
         * @param lingerMs the linger, zero or more
         * @return this builder
         */
        public Builder setLingerMs(int lingerMs) {
            this.lingerMs = lingerMs;
            return this;
        }

        /**
         * Sets the socket's send high-water mark: how many messages ZeroMQ holds per subscriber
         * before it drops (a PUB socket never blocks). Default
         * {@value ZeroMqPublisherAppender#DEFAULT_SEND_HIGH_WATER_MARK}.
         *
         * @param sendHighWaterMark the limit, zero (none) or more
         * @return this builder
         */
        public Builder setSendHighWaterMark(int sendHighWaterMark) {
            this.sendHighWaterMark = sendHighWaterMark;
            return this;
        }

        /**
         * Sets the CURVE key directory (made by {@code java -jar nameserver.jar keys init DIR}) that
         * encrypts the socket: bound, it serves with the host's key and lets in only subscribers
         * authorized in the directory; connected, it pins the key the directory trusts for the
         * subscriber's endpoint (its {@code servers/}, or the host's own key on this machine). By default the setting {@code zeroagents.curve.dir}; plain text when neither
         * names a directory.
         *
         * @param curveDir the key directory, or {@code null} for the setting's
         * @return this builder
         */
        public Builder setCurveDir(@Nullable String curveDir) {
            this.curveDir = curveDir;
            return this;
        }

        /** Lets a test hold the publisher thread before it takes each event. */
        Builder setGate(LogPublisher.Gate gate) {
            this.gate = gate;
            return this;
        }

        /**
         * Validates the settings and creates the appender, not yet started.
         *
         * @return the appender, or {@code null} after a status-logger error when a setting is
         *         invalid
         */
        @Override
        public @Nullable ZeroMqPublisherAppender build() {
            String name = getName();
            String where = "ZeroMqPublisher appender '" + name + "'";
            if (name == null || name.isBlank()) {
                LOGGER.error("A ZeroMqPublisher appender has no name; set its name attribute");
                return null;
            }
            String target = endpoint;
            if (target == null || target.isBlank()) {
                LOGGER.error("{} has no endpoint; set its endpoint attribute (e.g. tcp://127.0.0.1:5555)", where);
                return null;
            }
            if (queueSize <= 0) {
                LOGGER.error("{} has queueSize {}; it must be positive", where, queueSize);
                return null;
            }
            if (lingerMs < 0) {
                LOGGER.error("{} has lingerMs {}; it must be zero or more", where, lingerMs);
                return null;
            }
            if (sendHighWaterMark < 0) {
                LOGGER.error("{} has sendHighWaterMark {}; it must be zero (no limit) or more", where,
                        sendHighWaterMark);
                return null;
            }
            Layout<? extends Serializable> configured = getLayout();
            StringLayout layout;
            if (configured == null) {
                layout = PatternLayout.newBuilder().setPattern(DEFAULT_PATTERN).setConfiguration(getConfiguration())
                        .setCharset(StandardCharsets.UTF_8).build();
            } else if (configured instanceof StringLayout text) {
                layout = text;
            } else {
                LOGGER.error("{} needs a layout that produces text (such as PatternLayout or JsonTemplateLayout),"
                        + " got {}", where, configured.getClass().getName());
                return null;
            }
            CurveKeys keys;
            boolean plainTextBeyondLoopback;
            try {
                keys = curveKeys();
                plainTextBeyondLoopback = ConfigSource.system().read(ZeroAgentsSettings.INSECURE_NO_CURVE);
            } catch (IllegalArgumentException e) {
                LOGGER.error("{} cannot use its CURVE settings: {}", where, e.getMessage());
                return null;
            }
            String trimmed = target.trim();
            LogPublisher publisher = new LogPublisher(name, trimmed, bind, source, queueSize, lingerMs,
                    sendHighWaterMark, gate, keys, plainTextBeyondLoopback);
            return new ZeroMqPublisherAppender(name, getFilter(), layout, isIgnoreExceptions(), getPropertyArray(),
                    trimmed, lingerMs, publisher);
        }

        /** The keys of the curveDir attribute, else of the setting; {@code null} for plain text. */
        private @Nullable CurveKeys curveKeys() {
            String directory = curveDir != null && !curveDir.isBlank() ? curveDir.strip()
                    : ConfigSource.system().find(ZeroAgentsSettings.CURVE_DIR).orElse(null);
            return directory == null ? null : CurveKeys.load(Path.of(directory));
        }
    }
}
