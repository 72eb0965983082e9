package io.zeroagents.runtime.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.zeroagents.settings.ZeroAgentsSettings;
import java.lang.management.ManagementFactory;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The JVM's meter registry for agent metrics: a Micrometer composite that publishes to every
 * registry the application adds to Micrometer's {@link Metrics#globalRegistry} (Prometheus, OTLP,
 * ...), so users need no ZeroAgents API to export the metrics, and over JMX (domain
 * {@value #JMX_DOMAIN}, {@link JmxMetrics}) when {@link ZeroAgentsSettings#METRICS_JMX} turns it
 * on.
 */
final class RuntimeMetrics {
    /** The JMX domain of the agents' MBeans. */
    static final String JMX_DOMAIN = "io.zeroagents";

    private static final Logger LOG = LogManager.getLogger(RuntimeMetrics.class);

    private RuntimeMetrics() {
    }

    /** Created on first use: a JVM that runs no agent registers no MBean. */
    private static final class Holder {
        static final MeterRegistry REGISTRY = create();
    }

    static MeterRegistry registry() {
        return Holder.REGISTRY;
    }

    private static MeterRegistry create() {
        CompositeMeterRegistry registry = new CompositeMeterRegistry();
        registry.add(Metrics.globalRegistry);
        if (jmxEnabled()) {
            try {
                registry.add(JmxMetrics.registry(JMX_DOMAIN, ManagementFactory.getPlatformMBeanServer()));
            } catch (RuntimeException | LinkageError e) {
                // Metrics must never keep agents from running (a runtime image without
                // java.management has no MBean server): they still reach the console and the
                // global registry.
                LOG.warn("Agent metrics are not published over JMX: {}", e.toString());
            }
        }
        return registry;
    }

    private static boolean jmxEnabled() {
        try {
            return ZeroAgentsSettings.METRICS_JMX.read();
        } catch (IllegalArgumentException e) {
            // Refused, not guessed at; but metrics must never keep agents from running.
            LOG.warn("{}; agent metrics are not published over JMX", e.getMessage());
            return false;
        }
    }
}
