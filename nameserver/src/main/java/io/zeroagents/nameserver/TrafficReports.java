package io.zeroagents.nameserver;

import io.zeroagents.nameserver.protocol.AgentReport;
import io.zeroagents.nameserver.protocol.HostReport;
import io.zeroagents.nameserver.protocol.SocketReport;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The latest traffic report of each agent, as its host sent it with a heartbeat, with message
 * rates derived from the report before it.
 *
 * <p>Reports carry totals since each socket opened; a rate is the difference between two reports
 * of the same host over the time between them on the host's own clock, so the name server's clock
 * and network delays do not distort it. A total that went down (the socket was closed and opened
 * anew under the same alias) counts from zero.
 *
 * <p>Only the agents a heartbeat actually renewed are recorded, so a host cannot report on
 * another host's agents. Reports older than the retention given to the constructor are
 * forgotten; the console also shows only agents the registry still holds.
 *
 * <p>Thread-safe: the name server records from its serving thread while the console reads.
 *
 * @since 0.1
 */
public final class TrafficReports {
    private static final double MILLIS_PER_SECOND = 1000.0;

    private final Map<String, AgentTraffic> byAgent = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;
    private final long retentionNanos;
    private volatile long lastPruneNanos;

    /**
     * Creates an empty board on the system's monotonic clock.
     *
     * @param retention how long a report stays without a newer one; positive
     */
    public TrafficReports(Duration retention) {
        this(retention, System::nanoTime);
    }

    /**
     * Creates an empty board on the given clock, so that tests can move time by hand.
     *
     * @param retention how long a report stays without a newer one; positive
     * @param nanoClock a monotonic clock in nanoseconds, read like {@link System#nanoTime()}
     */
    public TrafficReports(Duration retention, LongSupplier nanoClock) {
        Objects.requireNonNull(retention, "retention");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("Report retention must be positive, got " + retention);
        }
        this.retentionNanos = retention.toNanos();
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.lastPruneNanos = nanoClock.getAsLong();
    }

    /**
     * Records a host's report for the agents its heartbeat renewed.
     *
     * @param hostId  the reporting host
     * @param report  its report
     * @param renewed the names the heartbeat renewed for that host; others in the report are ignored
     */
    public void record(String hostId, HostReport report, Collection<String> renewed) {
        Objects.requireNonNull(hostId, "hostId");
        Objects.requireNonNull(report, "report");
        Set<String> held = Set.copyOf(renewed);
        long now = nanoClock.getAsLong();
        for (AgentReport agent : report.getAgentsList()) {
            if (!held.contains(agent.getName())) {
                continue;
            }
            byAgent.compute(agent.getName(), (name, previous) -> next(hostId, report, agent, previous, now));
        }
        if (now - lastPruneNanos > retentionNanos / 2) {
            lastPruneNanos = now;
            byAgent.values().removeIf(traffic -> now - traffic.receivedNanos() > retentionNanos);
        }
    }

    /**
     * Returns what an agent's host last reported about it.
     *
     * @param name the agent's name
     * @return its latest report with rates, or empty when none came within the retention
     */
    public Optional<AgentTraffic> agent(String name) {
        AgentTraffic traffic = byAgent.get(name);
        if (traffic == null || nanoClock.getAsLong() - traffic.receivedNanos() > retentionNanos) {
            return Optional.empty();
        }
        return Optional.of(traffic);
    }

    /**
     * Returns how long ago, in milliseconds, a report was received.
     *
     * @param traffic a report returned by {@link #agent(String)}
     * @return its age, at least zero
     */
    public long ageMillis(AgentTraffic traffic) {
        return Math.max(0, (nanoClock.getAsLong() - traffic.receivedNanos()) / 1_000_000);
    }

    private static AgentTraffic next(String hostId, HostReport host, AgentReport agent, @Nullable AgentTraffic previous,
                                     long now) {
        Map<String, Rates> rates = new HashMap<>();
        boolean comparable = previous != null && previous.hostId().equals(hostId);
        long elapsedMillis = comparable ? host.getTimeMs() - previous.hostTimeMs() : 0;
        for (SocketReport socket : agent.getSocketsList()) {
            if (elapsedMillis <= 0) {
                // The first report, or two from the same instant: keep what was known.
                rates.put(socket.getAlias(), previous == null || !comparable
                        ? Rates.NONE : previous.rates().getOrDefault(socket.getAlias(), Rates.NONE));
                continue;
            }
            SocketReport before = Objects.requireNonNull(previous).socket(socket.getAlias());
            long receivedBefore = before == null || before.getReceived() > socket.getReceived() ? 0 : before.getReceived();
            long sentBefore = before == null || before.getSent() > socket.getSent() ? 0 : before.getSent();
            double seconds = elapsedMillis / MILLIS_PER_SECOND;
            rates.put(socket.getAlias(), new Rates((socket.getReceived() - receivedBefore) / seconds,
                    (socket.getSent() - sentBefore) / seconds));
        }
        return new AgentTraffic(hostId, host.getProcess(), host.getTimeMs(), agent, Map.copyOf(rates), now);
    }

    /**
     * Messages per second on one socket, between the last two reports.
     *
     * @param received messages received per second
     * @param sent     messages sent per second
     */
    public record Rates(double received, double sent) {
        /** No rate known yet: a single report. */
        public static final Rates NONE = new Rates(0, 0);
    }

    /**
     * One agent's latest report.
     *
     * @param hostId        the agent host that sent it
     * @param process       the host's process, as {@code pid@machine}
     * @param hostTimeMs    the host's wall-clock time when it made the report
     * @param report        the agent's counters
     * @param rates         message rates by socket alias
     * @param receivedNanos when the name server received it, on its monotonic clock
     */
    public record AgentTraffic(String hostId, String process, long hostTimeMs, AgentReport report,
                               Map<String, Rates> rates, long receivedNanos) {

        /**
         * Returns the counters of one socket.
         *
         * @param alias the socket's alias
         * @return its counters, or {@code null} when the agent had no such socket
         */
        public @Nullable SocketReport socket(String alias) {
            for (SocketReport socket : report.getSocketsList()) {
                if (socket.getAlias().equals(alias)) {
                    return socket;
                }
            }
            return null;
        }

        /**
         * Returns the rates of one socket.
         *
         * @param alias the socket's alias
         * @return its rates, {@link Rates#NONE} when unknown
         */
        public Rates rates(String alias) {
            return rates.getOrDefault(alias, Rates.NONE);
        }
    }
}
