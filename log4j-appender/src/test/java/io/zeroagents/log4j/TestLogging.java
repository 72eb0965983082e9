package io.zeroagents.log4j;

import io.zeroagents.testsupport.SystemProperties;
import java.util.Map;
import java.util.Objects;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationFactory;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.builder.api.AppenderComponentBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;

/**
 * A Log4j {@link LoggerContext} of a test's own, apart from the JVM's default one, whose root
 * logger (at {@code TRACE}) writes to one ZeroMqPublisher appender named {@value #APPENDER}.
 * Closing it stops the context, as an application's shutdown does.
 */
final class TestLogging implements AutoCloseable {

    /** The name of the appender under test in every configuration. */
    static final String APPENDER = "zmq";

    private final LoggerContext context;

    private TestLogging(LoggerContext context) {
        this.context = context;
    }

    /**
     * A context configured programmatically, the appender found by its plugin name and given these
     * attributes.
     */
    static TestLogging withAttributes(String contextName, Map<String, String> attributes) {
        ConfigurationBuilder<BuiltConfiguration> builder = ConfigurationBuilderFactory.newConfigurationBuilder();
        LoggerContext context = new LoggerContext(contextName);
        builder.setConfigurationName(contextName);
        builder.setLoggerContext(context);
        builder.setStatusLevel(Level.WARN);
        AppenderComponentBuilder appender = builder.newAppender(APPENDER, ZeroMqPublisherAppender.PLUGIN_NAME);
        attributes.forEach(appender::addAttribute);
        builder.add(appender);
        builder.add(builder.newRootLogger(Level.TRACE).add(builder.newAppenderRef(APPENDER)));
        context.start(builder.build(false));
        return new TestLogging(context);
    }

    /** A context whose root logger writes to an appender the test built (it is started here). */
    static TestLogging withAppender(String contextName, ZeroMqPublisherAppender appender) {
        ConfigurationBuilder<BuiltConfiguration> builder = ConfigurationBuilderFactory.newConfigurationBuilder();
        LoggerContext context = new LoggerContext(contextName);
        builder.setConfigurationName(contextName);
        builder.setLoggerContext(context);
        builder.setStatusLevel(Level.WARN);
        builder.add(builder.newRootLogger(Level.TRACE));
        context.start(builder.build(false));
        appender.start();
        Configuration configuration = context.getConfiguration();
        configuration.addAppender(appender);
        configuration.getRootLogger().addAppender(appender, null, null);
        context.updateLoggers();
        return new TestLogging(context);
    }

    /**
     * A context configured from an XML file on the test class path, as an application's
     * {@code log4j2.xml} is; {@code properties} are system properties the file reads with
     * {@code ${sys:...}}, set while it is read.
     */
    static TestLogging fromXml(String resource, Map<String, String> properties) {
        LoggerContext context = new LoggerContext(resource);
        SystemProperties.run(properties, () -> {
            ConfigurationSource source = ConfigurationSource.fromResource(resource,
                    TestLogging.class.getClassLoader());
            Objects.requireNonNull(source, () -> "No " + resource + " on the test class path");
            context.start(ConfigurationFactory.getInstance().getConfiguration(context, source));
        });
        return new TestLogging(context);
    }

    Logger logger(String name) {
        return context.getLogger(name);
    }

    /** The appender under test; fails when the configuration has none. */
    ZeroMqPublisherAppender appender() {
        ZeroMqPublisherAppender appender = context.getConfiguration().getAppender(APPENDER);
        return Objects.requireNonNull(appender, "The configuration has no appender named " + APPENDER);
    }

    LoggerContext context() {
        return context;
    }

    @Override
    public void close() {
        context.stop();
    }
}
