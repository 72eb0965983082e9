package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zeroagents.AgentAddress;
import io.zeroagents.AgentOptions;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.SocketHandler;
import io.zeroagents.nameserver.NameServerService;
import io.zeroagents.nameserver.registry.LocalRegistry;
import io.zeroagents.testing.AgentAwait;
import io.zeroagents.testsupport.ChildProcess;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Micrometer's JMX registry is an optional dependency: in a JVM without it, agents run, count and
 * publish to the registries the application adds to Micrometer's global one, and nothing fails.
 */
@Timeout(90)
class MetricsWithoutJmxTest {
    private static final String OK = "metrics without JMX: ok";

    @Test
    void agents_withoutTheJmxRegistryOnTheClassPath_publishToTheGlobalRegistry() throws Exception {
        List<String> dropped = ChildProcess.testClassPath().stream()
                .filter(entry -> entry.contains("micrometer-registry-jmx")).toList();
        assertFalse(dropped.isEmpty(), "the test class path has the JMX registry to leave out");

        ChildProcess.run(WithoutJmx.class, List.of(), Map.of(), entry -> !entry.contains("micrometer-registry-jmx"))
                .assertSucceededPrinting(OK);
    }

    /** Runs two agents in a JVM without the JMX registry; prints {@value #OK} when all is as it should be. */
    static final class WithoutJmx {
        private WithoutJmx() {
        }

        public static void main(String[] args) throws Exception {
            try {
                Class.forName("io.micrometer.jmx.JmxMeterRegistry");
                throw new AssertionError("the JMX registry is on the class path");
            } catch (ClassNotFoundException expected) {
                // As an application without the optional dependency.
            }
            SimpleMeterRegistry application = new SimpleMeterRegistry();
            Metrics.addRegistry(application);
            NameServerService nameServer = NameServerService.builder()
                    .registry(new LocalRegistry(Duration.ofSeconds(10))).start();
            JeroMqRuntime runtime = new JeroMqRuntime(Settings.from(Map.<String, String>of()::get, Map.of()));
            try {
                AgentOptions options = AgentOptions.builder().nameServer(nameServer.address()).build();
                Proxy bob = runtime.runAgent("Bob", options);
                Proxy alice = runtime.runAgent("Alice", options);
                AgentAddress in = bob.bind(Pattern.PULL, "in", SocketHandler.onMessage(String.class, (a, m) -> { }));
                alice.connect(in, "out");
                alice.send("out", "hello");
                boolean counted = AgentAwait.until(() -> {
                    FunctionCounter received = application.find("zeroagents.messages.received")
                            .tags("agent", "Bob", "socket", "in").functionCounter();
                    return received != null && received.count() == 1;
                }, Duration.ofSeconds(20));
                if (!counted) {
                    throw new AssertionError("Bob's received message never reached the application's registry: "
                            + application.getMetersAsString());
                }
                Set<ObjectName> mbeans = ManagementFactory.getPlatformMBeanServer()
                        .queryNames(new ObjectName(RuntimeMetrics.JMX_DOMAIN + ":*"), null);
                if (!mbeans.isEmpty()) {
                    throw new AssertionError("MBeans without the JMX registry: " + mbeans);
                }
                System.out.println(OK);
            } finally {
                runtime.close();
                nameServer.close();
            }
        }
    }
}
