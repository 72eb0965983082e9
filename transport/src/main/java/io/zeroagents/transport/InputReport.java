package io.zeroagents.transport;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Where the input guards of one factory's sockets report what they refused: counted in its
 * {@link InputCounters}, and logged at most once per peer address per interval ({@link DropLog}),
 * naming the socket's owner and endpoint.
 */
final class InputReport {
    private static final Logger LOG = LogManager.getLogger(InputReport.class);

    private final String owner;
    private final InputCounters counters;
    private final DropLog log;

    /**
     * @param owner    who owns the sockets, as the log names it ("Name server", "Agent 'Bob'")
     * @param counters where refusals are counted
     * @param log      where they are logged
     */
    InputReport(String owner, InputCounters counters, DropLog log) {
        this.owner = owner;
        this.counters = counters;
        this.log = log;
    }

    /** A report for {@code owner} with counters of its own, logging to this class's logger. */
    static InputReport of(String owner, InputCounters counters) {
        return new InputReport(owner, counters, new DropLog(LOG));
    }

    InputCounters counters() {
        return counters;
    }

    void truncated(String endpoint, String host, String peer, int maxFrames) {
        counters.truncated();
        log.warn(host, "{} on {} dropped a message of more than {} frames from {} ({} messages over the limit so far)",
                owner, endpoint, maxFrames, peer, counters.truncatedMessages());
    }

    void countCut() {
        counters.cut();
    }

    void logCut(String endpoint, String host, String peer, String reason) {
        log.warn(host, "{} on {} closed the connection of {}, which sent {} ({} connections closed so far)",
                owner, endpoint, peer, reason, counters.cutConnections());
    }

    void refused(String endpoint, String host, String why) {
        counters.refused();
        log.warn(host, "{} on {} refused a connection from {}: {} ({} refused so far)", owner, endpoint, host, why,
                counters.refusedConnections());
    }
}
