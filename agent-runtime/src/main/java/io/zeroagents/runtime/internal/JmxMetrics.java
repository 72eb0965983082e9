package io.zeroagents.runtime.internal;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.jmx.JmxConfig;
import io.micrometer.jmx.JmxMeterRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer's JMX registry for agent metrics. The only class that refers to
 * {@code micrometer-registry-jmx}, an optional dependency: {@link RuntimeMetrics} loads it only
 * after checking that the artifact is on the class path.
 */
final class JmxMetrics {

    private JmxMetrics() {
    }

    /** A registry publishing to the platform MBean server, in the given domain. */
    static MeterRegistry registry(String domain) {
        return new JmxMeterRegistry(new JmxConfig() {
            @Override
            public @Nullable String get(String key) {
                return null;
            }

            @Override
            public String domain() {
                return domain;
            }
        }, Clock.SYSTEM);
    }
}
