package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentAddress;
import io.zeroagents.AgentOptions;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.SocketHandler;
import io.zeroagents.nameserver.NameServerService;
import io.zeroagents.nameserver.TrafficReports;
import io.zeroagents.nameserver.protocol.AgentReport;
import io.zeroagents.nameserver.protocol.SocketReport;
import io.zeroagents.nameserver.registry.LocalRegistry;
import io.zeroagents.testing.AgentAwait;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Agents count what they do per socket, publish it over JMX (zeroagents.metrics.jmx, which this
 * module's tests turn on), and their host reports it to the name server with its heartbeats,
 * connected endpoints included.
 */
@Timeout(60)
class AgentMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private NameServerService nameServer;
    private JeroMqRuntime runtime;
    private AgentOptions options;

    @BeforeEach
    void start() {
        nameServer = NameServerService.builder().registry(new LocalRegistry(Duration.ofSeconds(10))).start();
        runtime = new JeroMqRuntime(Settings.from(Map.of("zeroagents.heartbeat", "100",
                "zeroagents.default.timeout", "5000")::get, Map.of()));
        options = AgentOptions.builder().nameServer(nameServer.address()).build();
    }

    @AfterEach
    void stop() {
        runtime.close();
        nameServer.close();
    }

    private @Nullable SocketReport reported(String agent, String alias) {
        Optional<TrafficReports.AgentTraffic> traffic = nameServer.reports().agent(agent);
        return traffic.map(t -> t.socket(alias)).orElse(null);
    }

    private AgentReport reported(String agent) {
        return nameServer.reports().agent(agent).orElseThrow().report();
    }

    @Test
    void messagesHandlersErrorsAndDrops_areCountedPerSocket_andReachTheNameServer() {
        Proxy alice = runtime.runAgent("Alice", options);
        Proxy bob = runtime.runAgent("Bob", options);
        AgentAddress out = alice.bind(Pattern.PUSH, "out");
        bob.connect(out, "in", SocketHandler.onMessage(String.class, (agent, message) -> {
            if (message.equals("boom")) {
                throw new IllegalStateException("boom on purpose");
            }
        }));
        AgentAddress numbers = bob.bind(Pattern.PULL, "numbers", SocketHandler.onMessage(Integer.class, (a, n) -> { }));
        alice.connect(numbers, "numbers");

        alice.send("out", "a");
        alice.send("out", "b");
        alice.send("out", "boom");
        alice.send("numbers", "not a number");

        assertTrue(AgentAwait.until(() -> {
            SocketReport in = reported("Bob", "in");
            return in != null && in.getHandled() == 3 && reported("Bob").getDropped() == 1;
        }, WAIT), () -> "Bob's report: " + nameServer.reports().agent("Bob"));
        SocketReport in = reported("Bob", "in");
        assertEquals(3, in.getReceived());
        assertEquals(1, in.getHandlerErrors());
        assertEquals("PULL", in.getPattern());
        assertFalse(in.getBound());
        assertEquals(out.endpoint(), in.getEndpoint(), "a connected socket reports the endpoint it connected to");
        assertEquals(1, reported("Bob").getErrors());
        SocketReport numbersIn = reported("Bob", "numbers");
        assertTrue(numbersIn.getBound());
        assertEquals(1, numbersIn.getReceived());
        assertEquals(0, numbersIn.getHandled());
        assertTrue(AgentAwait.until(() -> {
            SocketReport sent = reported("Alice", "out");
            return sent != null && sent.getSent() == 3;
        }, WAIT), () -> "Alice's report: " + nameServer.reports().agent("Alice"));
        assertTrue(reported("Alice", "out").getBound());
    }

    @Test
    void handled_sampledTiming_countsEveryCallAndHandlerTimeNeverDecreases() {
        AgentMetrics.SocketCounters counters = new AgentMetrics.SocketCounters();
        long ms = 1_000_000;
        long before = 0;
        for (int call = 0; call < 3 * AgentMetrics.SocketCounters.TIMED_EVERY + 1; call++) {
            boolean timed = counters.timesNextHandler();
            assertEquals(call % AgentMetrics.SocketCounters.TIMED_EVERY == 0, timed, "call " + call);
            // The first timed call is slow, the later ones quick: the total must still only grow.
            counters.handled(timed ? System.nanoTime() - (call == 0 ? 10 * ms : 0) : 0, false);
            assertTrue(counters.handlerNanos() >= before, "handler time went down at call " + call);
            before = counters.handlerNanos();
        }
        assertEquals(3 * AgentMetrics.SocketCounters.TIMED_EVERY + 1, counters.handledCount());
        assertTrue(counters.handlerNanos() >= 10 * ms, "handler time " + counters.handlerNanos());
    }

    @Test
    void timers_reportTheirTicksAndLag() {
        Proxy ticker = runtime.runAgent("Ticker", options);
        ticker.each(Duration.ofMillis(10), agent -> { });

        assertTrue(AgentAwait.until(() -> nameServer.reports().agent("Ticker")
                .map(t -> t.report().getTimerTicks() >= 5).orElse(false), WAIT));
        AgentReport report = reported("Ticker");
        assertTrue(report.getRunning());
        assertTrue(report.getTimerLagNanos() >= 0 && report.getTimerLagMaxNanos() >= 0, report.toString());
    }

    @Test
    void meters_arePublishedOverJmx_andGoWithTheirSocketAndAgent() throws Exception {
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        Proxy carol = runtime.runAgent("CarolJmx", options);
        carol.bind(Pattern.PULL, "inbox", SocketHandler.onMessage(String.class, (agent, message) -> { }));
        carol.bind(Pattern.PUSH, "outbox");

        assertFalse(mbeans(jmx, "zeroagentsMessagesReceived", "CarolJmx", "inbox").isEmpty(),
                () -> "MBeans: " + mbeans(jmx, "", "", ""));
        assertFalse(mbeans(jmx, "zeroagentsAgentErrors", "CarolJmx", "").isEmpty());

        carol.close("inbox");
        assertTrue(mbeans(jmx, "zeroagentsMessagesReceived", "CarolJmx", "inbox").isEmpty());
        assertFalse(mbeans(jmx, "zeroagentsMessagesSent", "CarolJmx", "outbox").isEmpty());

        carol.shutdown();
        assertTrue(mbeans(jmx, "", "CarolJmx", "").isEmpty(), () -> "left behind: " + mbeans(jmx, "", "CarolJmx", ""));
    }

    private static Set<ObjectName> mbeans(MBeanServer jmx, String meter, String agent, String socket) {
        try {
            return Set.copyOf(jmx.queryNames(new ObjectName(RuntimeMetrics.JMX_DOMAIN + ":*"), null).stream()
                    .filter(name -> name.toString().contains(meter) && name.toString().contains(agent)
                            && name.toString().contains(socket))
                    .toList());
        } catch (javax.management.MalformedObjectNameException e) {
            throw new AssertionError(e);
        }
    }
}
