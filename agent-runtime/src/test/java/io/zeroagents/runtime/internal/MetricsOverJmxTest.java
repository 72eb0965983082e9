package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What an application sees of agent metrics, in a JVM of its own as an application starts: over JMX
 * when {@code zeroagents.metrics.jmx=true}, always in Micrometer's global registry, and no second
 * logging facade either way (no SLF4J, no Dropwizard Metrics, no "no providers" warning).
 */
@Timeout(90)
class MetricsOverJmxTest {
    private static final String OK = "metrics in the child JVM: ok";

    @Test
    void agents_jmxOn_publishMBeansAndLoadNoSecondLoggingFacade() throws Exception {
        ChildProcess.Result result = ChildProcess.run(Host.class,
                List.of("-Xlog:class+load=info", "-Dzeroagents.metrics.jmx=true"), Map.of(), entry -> true);

        result.assertSucceededPrinting(OK, "MBean Count=1");
        assertNoSecondFacade(result);
    }

    @Test
    void agents_jmxByDefault_registerNoMBeanAndStillReachTheGlobalRegistry() throws Exception {
        ChildProcess.Result result = ChildProcess.run(Host.class, List.of("-Xlog:class+load=info"), Map.of(),
                entry -> true);

        result.assertSucceededPrinting(OK, "no MBean");
        assertNoSecondFacade(result);
    }

    private static void assertNoSecondFacade(ChildProcess.Result result) {
        assertEquals(List.of(), result.linesWith("SLF4J"), "SLF4J printed");
        assertEquals(List.of(), result.linesWith(" org.slf4j."), "SLF4J classes loaded");
        assertEquals(List.of(), result.linesWith(" com.codahale."), "Dropwizard Metrics classes loaded");
    }

    /**
     * Runs two agents, one message between them; prints {@value #OK} when the application's registry
     * counted it, and the received counter's MBean {@code Count} (or "no MBean").
     */
    static final class Host {
        private Host() {
        }

        public static void main(String[] args) throws Exception {
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
                MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
                Set<ObjectName> received = jmx.queryNames(new ObjectName(RuntimeMetrics.JMX_DOMAIN
                        + ":name=zeroagentsMessagesReceived.agent.Bob.*,*"), null);
                System.out.println(received.isEmpty() ? "no MBean" : "MBean Count="
                        + ((Number) jmx.getAttribute(received.iterator().next(), "Count")).longValue());
                System.out.println(OK);
            } finally {
                runtime.close();
                nameServer.close();
            }
        }
    }
}
