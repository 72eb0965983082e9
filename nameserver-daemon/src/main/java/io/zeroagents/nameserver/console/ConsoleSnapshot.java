package io.zeroagents.nameserver.console;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the console shows at one moment, as its JSON API ({@code GET /api/snapshot}) returns it:
 * every agent the registry holds (in a federation, those of every name server), the sockets and
 * counters their hosts reported, and the links between agents found by matching a connected
 * socket's endpoint to the agent that bound it.
 *
 * <p>Rates are messages per second between a host's last two reports (about one heartbeat
 * apart). Agents whose hosts report to another name server of a federation, or run a runtime
 * older than the reports, have {@code reported == false}: their bound sockets come from the
 * registry, without counts.
 *
 * @param nameServer the name server's endpoint
 * @param serverId   its id, new at every start
 * @param admin      whether the console may shut agents down
 * @param leaseMs    the registry's lease, in milliseconds
 * @param timeMs     when the snapshot was taken, in wall-clock milliseconds
 * @param agents     the agents, sorted by name
 * @param links      the links between them, sorted by id
 * @since 0.1
 */
public record ConsoleSnapshot(String nameServer, String serverId, boolean admin, long leaseMs, long timeMs,
                              List<Agent> agents, List<Link> links) {

    /**
     * One agent.
     *
     * @param name             its name
     * @param host             a tag of the agent host (one per JVM) that registered it: the same
     *                         for every agent of that host while the console runs, and not its
     *                         host id, which the host proves itself with to the name server
     * @param process          the host's process as {@code pid@machine}, when it reported one
     * @param nameServerHost   in a federation, the name-server host the agent registered through
     *                         (the daemon's {@code --host-id}); empty on a single name server
     * @param controlEndpoint  where remote proxies reach its host
     * @param leaseRemainingMs time left on its lease
     * @param leaseAgeMs       time since its lease was last renewed (a heartbeat, normally under a
     *                         second; growing when its host stopped heartbeating)
     * @param reported         whether its host's counters reached this name server
     * @param reportAgeMs      how old the latest report is, when there is one
     * @param running          false while the agent is stopped (paused)
     * @param errors           handler, timer and hook failures
     * @param dropped          messages dropped (unreadable, undecodable, unmatched)
     * @param handled          messages its handlers took
     * @param handlerMeanMs    their mean handling time, in milliseconds
     * @param timerTicks       timer ticks run
     * @param timerLagMaxMs    the largest recent lateness of a timer tick, in milliseconds
     * @param receivedPerSecond messages received per second, all sockets together
     * @param sentPerSecond    messages sent per second, all sockets together
     * @param sockets          its sockets, bound ones from the registry when unreported
     * @param metadata         what its host registered about it
     */
    public record Agent(String name, String host, @Nullable String process, String nameServerHost,
                        String controlEndpoint,
                        long leaseRemainingMs, long leaseAgeMs, boolean reported, @Nullable Long reportAgeMs,
                        boolean running, long errors, long dropped, long handled, double handlerMeanMs,
                        long timerTicks, double timerLagMaxMs, double receivedPerSecond, double sentPerSecond,
                        List<Socket> sockets, Map<String, String> metadata) {
    }

    /**
     * One socket of an agent.
     *
     * @param alias             the agent's label for it
     * @param pattern           its own pattern, e.g. {@code PULL}
     * @param role              {@code bound} or {@code connected}
     * @param endpoint          the endpoint bound or connected to
     * @param received          messages received since it opened
     * @param sent              messages sent since it opened
     * @param receivedPerSecond messages received per second
     * @param sentPerSecond     messages sent per second
     * @param handled           messages its handlers took
     * @param handlerMeanMs     their mean handling time, in milliseconds
     * @param errors            its handlers' failures
     */
    public record Socket(String alias, String pattern, String role, String endpoint, long received, long sent,
                         double receivedPerSecond, double sentPerSecond, long handled, double handlerMeanMs,
                         long errors) {
    }

    /**
     * A link: one agent's connected socket and the agent that bound its endpoint.
     *
     * @param id            {@code client/alias->server/alias}, stable while both sockets live
     * @param client        the agent that connected
     * @param clientSocket  its socket's alias
     * @param server        the agent that bound
     * @param serverSocket  its socket's alias
     * @param pattern       the two patterns, client first, e.g. {@code PULL/PUSH}
     * @param endpoint      the endpoint they share
     * @param flow          where messages go: {@code to-server}, {@code to-client}, or {@code both}
     *                      (requests to the server, replies back)
     * @param perSecond     messages per second on the link, as the client counts them (for
     *                      {@code both}, its requests)
     */
    public record Link(String id, String client, String clientSocket, String server, String serverSocket,
                       String pattern, String endpoint, String flow, double perSecond) {
    }
}
