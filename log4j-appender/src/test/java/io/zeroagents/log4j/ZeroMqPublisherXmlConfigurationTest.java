package io.zeroagents.log4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.config.plugins.util.PluginManager;
import org.apache.logging.log4j.core.config.plugins.util.PluginType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The appender as applications use it: named in a plain {@code log4j2.xml}. */
class ZeroMqPublisherXmlConfigurationTest {

    private static final String PLUGIN_CACHE = "META-INF/org/apache/logging/log4j/core/config/plugins/Log4j2Plugins.dat";

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void pluginCache_builtModule_listsTheAppenderClass() throws IOException {
        String className = ZeroMqPublisherAppender.class.getName();
        boolean listed = false;
        for (URL cache : Collections.list(getClass().getClassLoader().getResources(PLUGIN_CACHE))) {
            try (InputStream in = cache.openStream()) {
                // The cache holds class names as (modified) UTF-8; ours is plain ASCII.
                listed |= new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).contains(className);
            }
        }
        assertTrue(listed, "no " + PLUGIN_CACHE + " names " + className + ": the annotation processor did not run");
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void pluginManager_coreCategory_findsZeroMqPublisherByName() {
        PluginManager plugins = new PluginManager("Core");
        plugins.collectPlugins();

        PluginType<?> type = plugins.getPluginType(ZeroMqPublisherAppender.PLUGIN_NAME);

        assertEquals(ZeroMqPublisherAppender.class, type == null ? null : type.getPluginClass());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void log4j2Xml_withZeroMqPublisher_publishesWithItsLayoutFilterAndSource() {
        try (LogSubscriber subscriber = LogSubscriber.bound();
             TestLogging logging = TestLogging.fromXml("zeromq-publisher.xml",
                     Map.of("zeroagents.test.log.endpoint", subscriber.endpoint()))) {
            ZeroMqPublisherAppender appender = logging.appender();
            assertEquals(subscriber.endpoint(), appender.endpoint());
            Logger logger = logging.logger("io.zeroagents.test.Xml");
            subscriber.syncWith(logger, Level.INFO);

            logger.debug("below the appender's threshold");
            logger.info("configured from XML");

            LogSubscriber.Message message = subscriber.next();
            String thread = Thread.currentThread().getName();
            assertEquals("INFO", message.topic());
            assertEquals("Xml [" + thread + "] configured from XML", message.line());
            assertEquals("worker-7", message.envelope().getSender());
            assertEquals("io.zeroagents.test.Xml", message.envelope().getHeadersOrThrow("logger"));
        }
    }
}
