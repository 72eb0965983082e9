package io.zeroagents.runtime.internal;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.jmx.JmxConfig;
import io.micrometer.jmx.JmxMeterRegistry;
import io.zeroagents.internal.config.ZeroAgentsSettings;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The JVM's meter registry for agent metrics: a Micrometer composite that publishes to JMX (domain
 * {@value #JMX_DOMAIN}) unless {@link ZeroAgentsSettings#METRICS_JMX} turns it off, and to every
 * registry the application adds to Micrometer's {@link Metrics#globalRegistry} (Prometheus, OTLP,
 * ...), so users need no ZeroAgents API to export the metrics elsewhere.
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
                registry.add(new JmxMeterRegistry(new JmxConfig() {
                    @Override
                    public @Nullable String get(String key) {
                        return null;
                    }

                    @Override
                    public String domain() {
                        return JMX_DOMAIN;
                    }
                }, Clock.SYSTEM));
            } catch (RuntimeException | LinkageError e) {
                // Metrics must never keep agents from running: without JMX they still reach the
                // name server's console and the global registry.
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
            LOG.warn("{}; agent metrics are published over JMX", e.getMessage());
            return true;
        }
    }
}
