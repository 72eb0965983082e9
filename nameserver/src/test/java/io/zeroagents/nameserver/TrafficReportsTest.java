package io.zeroagents.nameserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.nameserver.protocol.AgentReport;
import io.zeroagents.nameserver.protocol.HostReport;
import io.zeroagents.nameserver.protocol.SocketReport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TrafficReportsTest {
    private final AtomicLong clock = new AtomicLong();
    private final TrafficReports reports = new TrafficReports(Duration.ofSeconds(15), clock::get);

    private static HostReport report(long timeMs, String agent, long received, long sent) {
        return HostReport.newBuilder().setTimeMs(timeMs).setProcess("42@box").addAgents(AgentReport.newBuilder()
                .setName(agent).setRunning(true).addSockets(SocketReport.newBuilder().setAlias("in").setPattern("PULL")
                        .setEndpoint("tcp://127.0.0.1:5000").setReceived(received).setSent(sent))).build();
    }

    @Test
    void rates_areTheDifferenceOfTwoReportsOverTheHostsClock() {
        reports.record("host-a", report(10_000, "Bob", 100, 4), List.of("Bob"));
        assertEquals(TrafficReports.Rates.NONE, reports.agent("Bob").orElseThrow().rates("in"));

        reports.record("host-a", report(12_000, "Bob", 300, 10), List.of("Bob"));

        TrafficReports.AgentTraffic bob = reports.agent("Bob").orElseThrow();
        assertEquals(new TrafficReports.Rates(100, 3), bob.rates("in"));
        assertEquals("42@box", bob.process());
        assertEquals(300, bob.socket("in").getReceived());
    }

    @Test
    void aCountThatWentDown_countsFromZero_asASocketOpenedAnew() {
        reports.record("host-a", report(10_000, "Bob", 500, 0), List.of("Bob"));
        reports.record("host-a", report(11_000, "Bob", 20, 0), List.of("Bob"));

        assertEquals(20, reports.agent("Bob").orElseThrow().rates("in").received());
    }

    @Test
    void agentsTheHeartbeatDidNotRenew_areIgnored() {
        reports.record("host-a", report(10_000, "Mallory", 1, 1), List.of("Bob"));

        assertTrue(reports.agent("Mallory").isEmpty());
    }

    @Test
    void reportsOlderThanTheRetention_areForgotten() {
        reports.record("host-a", report(10_000, "Bob", 1, 1), List.of("Bob"));
        clock.addAndGet(Duration.ofSeconds(16).toNanos());

        assertTrue(reports.agent("Bob").isEmpty());
    }
}
