package io.zeroagents.runtime.internal;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.core.instrument.util.HierarchicalNameMapper;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Publishes meters over JMX with the JDK's {@code java.management} alone: a Micrometer registry
 * each of whose meters is an MBean ({@link MeterMBean}, read live) from the moment it is added until
 * it is removed. No other library is involved, so no second logging facade comes with it.
 *
 * <p>Names follow the scheme of Micrometer's JMX registry: in the domain given, {@code name} is the
 * meter's hierarchical name in camel case with its tags sorted by key
 * ({@code zeroagentsMessagesReceived.agent.Bob.pattern.PULL.role.connected.socket.main}) and
 * {@code type} is {@code meters} for counters, {@code timers}, {@code gauges}, {@code histograms}
 * (distribution summaries) or {@code other}; a name JMX would read as a pattern or refuse is quoted.
 */
final class JmxMetrics {
    private static final Logger LOG = LogManager.getLogger(JmxMetrics.class);

    private final String domain;
    private final MBeanServer server;
    private final String timeUnit;
    private final Map<Meter.Id, ObjectName> registered = new ConcurrentHashMap<>();

    private JmxMetrics(String domain, MBeanServer server, String timeUnit) {
        this.domain = domain;
        this.server = server;
        this.timeUnit = timeUnit;
    }

    /**
     * A registry whose meters are MBeans of this server, in this domain, while they exist.
     *
     * @param domain the JMX domain
     * @param server the MBean server (the platform's, or one of a test)
     * @return the registry, to add to a composite
     */
    static MeterRegistry registry(String domain, MBeanServer server) {
        // Cumulative: an MBean reads totals since the meter was made, as JMX clients expect.
        SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, Clock.SYSTEM);
        // The simple registry's base time unit: its timers' totals and time gauges read in seconds.
        JmxMetrics jmx = new JmxMetrics(domain, server, "seconds");
        registry.config().onMeterAdded(jmx::register).onMeterRemoved(jmx::unregister);
        return registry;
    }

    /**
     * The MBean name of a meter in a domain.
     *
     * @throws MalformedObjectNameException only when the domain itself is not a valid one
     */
    static ObjectName objectName(String domain, Meter meter) throws MalformedObjectNameException {
        String name = HierarchicalNameMapper.DEFAULT.toHierarchicalName(meter.getId(), NamingConvention.camelCase);
        String type = switch (meter.getId().getType()) {
            case COUNTER -> "meters";
            case TIMER, LONG_TASK_TIMER -> "timers";
            case GAUGE -> "gauges";
            case DISTRIBUTION_SUMMARY -> "histograms";
            case OTHER -> "other";
        };
        Hashtable<String, String> keys = new Hashtable<>(Map.of("name", name, "type", type));
        try {
            ObjectName objectName = new ObjectName(domain, keys);
            if (!objectName.isPropertyValuePattern()) {
                return objectName;
            }
        } catch (MalformedObjectNameException e) {
            // A character JMX reserves (',', '=', ':', '"', '*', '?', a line break): quoted below.
        }
        keys.put("name", ObjectName.quote(name));
        return new ObjectName(domain, keys);
    }

    private void register(Meter meter) {
        try {
            ObjectName name = objectName(domain, meter);
            server.registerMBean(new MeterMBean(meter, timeUnit), name);
            registered.put(meter.getId(), name);
        } catch (InstanceAlreadyExistsException e) {
            // Another registry of this JVM publishes a meter of that name; the first one stays.
            LOG.debug("Meter '{}' is not published over JMX: {} is taken", meter.getId(), e.getMessage());
        } catch (JMException | RuntimeException e) {
            // Metrics must never keep agents from running: the meter still reaches other registries.
            LOG.warn("Meter '{}' is not published over JMX: {}", meter.getId(), e.toString());
        }
    }

    private void unregister(Meter meter) {
        ObjectName name = registered.remove(meter.getId());
        if (name == null) {
            return;
        }
        try {
            server.unregisterMBean(name);
        } catch (InstanceNotFoundException e) {
            // Unregistered by someone else already: nothing left to do.
        } catch (JMException | RuntimeException e) {
            LOG.warn("MBean {} of meter '{}' could not be unregistered: {}", name, meter.getId(), e.toString());
        }
    }
}
