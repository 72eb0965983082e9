package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.Attribute;
import javax.management.AttributeNotFoundException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Meters of the JMX registry are MBeans of the server it was given, named as Micrometer's JMX
 * registry named them, read live, and gone once removed. An MBean server of the test's own keeps the
 * platform's free of them.
 */
class JmxMetricsTest {
    private static final String DOMAIN = "io.zeroagents.test";

    private final MBeanServer server = MBeanServerFactory.newMBeanServer();
    private final MeterRegistry registry = JmxMetrics.registry(DOMAIN, server);

    @AfterEach
    void close() {
        registry.close();
    }

    @Test
    void functionCounter_isAMetersMBeanWhoseCountIsReadLive() throws Exception {
        AtomicLong received = new AtomicLong();
        FunctionCounter.builder("zeroagents.messages.received", received, AtomicLong::doubleValue)
                .tags("socket", "main", "agent", "Bob").register(registry);
        ObjectName name = new ObjectName(DOMAIN + ":type=meters,name=zeroagentsMessagesReceived.agent.Bob.socket.main");

        assertEquals(0.0, server.getAttribute(name, "Count"));
        received.set(7);
        assertEquals(7.0, server.getAttribute(name, "Count"));
    }

    @Test
    void functionTimerAndTimeGauge_areTimersAndGaugesInSeconds() throws Exception {
        AtomicLong ticks = new AtomicLong(4);
        FunctionTimer.builder("zeroagents.timer.lag", ticks, AtomicLong::get, t -> 2_000_000_000.0,
                TimeUnit.NANOSECONDS).tags("agent", "Bob").register(registry);
        TimeGauge.builder("zeroagents.timer.lag.max", ticks, TimeUnit.MILLISECONDS, t -> 1500.0)
                .tags("agent", "Bob").register(registry);
        ObjectName timer = new ObjectName(DOMAIN + ":type=timers,name=zeroagentsTimerLag.agent.Bob");
        ObjectName gauge = new ObjectName(DOMAIN + ":type=gauges,name=zeroagentsTimerLagMax.agent.Bob");

        assertEquals(4.0, server.getAttribute(timer, "Count"));
        assertEquals(2.0, server.getAttribute(timer, "TotalTime"));
        assertEquals(1.5, server.getAttribute(gauge, "Value"));
        List<String> described = List.of(server.getMBeanInfo(timer).getAttributes()).stream()
                .map(a -> a.getName() + ": " + a.getDescription()).toList();
        assertTrue(described.contains("TotalTime: total (seconds)"), described.toString());
    }

    @Test
    void removedMeter_isUnregistered() throws Exception {
        FunctionCounter counter = FunctionCounter.builder("zeroagents.messages.sent", new AtomicLong(),
                AtomicLong::doubleValue).tags("agent", "Bob").register(registry);
        ObjectName name = new ObjectName(DOMAIN + ":type=meters,name=zeroagentsMessagesSent.agent.Bob");
        assertTrue(server.isRegistered(name));

        registry.remove(counter);

        assertFalse(server.isRegistered(name));
    }

    @Test
    void nameWithCharactersJmxReserves_isQuotedAndStillRead() throws Exception {
        FunctionCounter.builder("zeroagents.messages.received", new AtomicLong(3), AtomicLong::doubleValue)
                .tags("agent", "B,o=b*", "socket", "in:1").register(registry);

        ObjectName name = new ObjectName(DOMAIN + ":type=meters,name="
                + ObjectName.quote("zeroagentsMessagesReceived.agent.B,o=b*.socket.in:1"));
        assertEquals(3.0, server.getAttribute(name, "Count"));
    }

    @Test
    void mbean_isReadOnlyAndNamesItsAttributes() throws Exception {
        FunctionCounter.builder("zeroagents.agent.errors", new AtomicLong(), AtomicLong::doubleValue)
                .tags("agent", "Bob").register(registry);
        ObjectName name = new ObjectName(DOMAIN + ":type=meters,name=zeroagentsAgentErrors.agent.Bob");

        assertEquals(List.of("Count"), List.of(server.getMBeanInfo(name).getAttributes()).stream()
                .map(MBeanAttributeInfo::getName).toList());
        assertThrows(AttributeNotFoundException.class, () -> server.setAttribute(name, new Attribute("Count", 1.0)));
        AttributeNotFoundException unknown = assertThrows(AttributeNotFoundException.class,
                () -> server.getAttribute(name, "Mean"));
        assertTrue(unknown.getMessage().contains("zeroagents.agent.errors") && unknown.getMessage().contains("Count"),
                unknown.getMessage());
    }
}
