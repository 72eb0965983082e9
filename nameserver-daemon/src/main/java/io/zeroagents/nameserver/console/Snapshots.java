package io.zeroagents.nameserver.console;

import io.zeroagents.nameserver.NameServerService;
import io.zeroagents.nameserver.TrafficReports;
import io.zeroagents.nameserver.protocol.AddressEntry;
import io.zeroagents.nameserver.protocol.AgentEntry;
import io.zeroagents.nameserver.protocol.AgentReport;
import io.zeroagents.nameserver.protocol.SocketReport;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Takes {@link ConsoleSnapshot}s: joins the registry's entries with the hosts' traffic reports
 * and finds the links between agents. Agent host ids stay inside: a host id is what a host proves
 * itself with to the name server, so the snapshot shows a {@link HostTags tag} in its place.
 */
final class Snapshots {
    private static final double NANOS_PER_MILLI = 1_000_000.0;

    private Snapshots() {
    }

    /** Where a bound endpoint belongs. */
    private record Server(String agent, String alias, String pattern) {
    }

    /**
     * Stands for host ids in what the console shows: the same tag for the agents of one host, and
     * nothing a reader can turn back into the id (an HMAC under a key new with every console).
     */
    static final class HostTags {
        private final Mac mac;

        HostTags() {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            try {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("This JVM has no HmacSHA256, which every Java platform has", e);
            }
        }

        synchronized String of(String hostId) {
            return HexFormat.of().formatHex(mac.doFinal(hostId.getBytes(StandardCharsets.UTF_8)), 0, 6);
        }
    }

    static ConsoleSnapshot take(NameServerService service, boolean admin, HostTags tags) {
        TrafficReports reports = service.reports();
        long leaseMs = service.registry().lease().toMillis();
        List<AgentEntry> entries = service.registry().list();
        Map<String, Server> servers = new HashMap<>();
        List<ConsoleSnapshot.Agent> agents = new ArrayList<>();
        Map<String, Optional<TrafficReports.AgentTraffic>> traffic = new HashMap<>();
        for (AgentEntry entry : entries) {
            Optional<TrafficReports.AgentTraffic> reported = reports.agent(entry.getName())
                    .filter(t -> t.hostId().equals(entry.getHostId()));
            traffic.put(entry.getName(), reported);
            for (AddressEntry address : entry.getAddressesList()) {
                servers.put(key(entry.getHostId(), address.getEndpoint()),
                        new Server(entry.getName(), address.getAlias(), address.getPattern()));
            }
            reported.ifPresent(t -> t.report().getSocketsList().stream().filter(SocketReport::getBound).forEach(s ->
                    servers.putIfAbsent(key(entry.getHostId(), s.getEndpoint()),
                            new Server(entry.getName(), s.getAlias(), s.getPattern()))));
            agents.add(agent(entry, tags.of(entry.getHostId()), reported, reports, leaseMs));
        }
        List<ConsoleSnapshot.Link> links = new ArrayList<>();
        for (AgentEntry entry : entries) {
            traffic.get(entry.getName()).ifPresent(t -> {
                for (SocketReport socket : t.report().getSocketsList()) {
                    Server server = socket.getBound() ? null : servers.get(key(entry.getHostId(), socket.getEndpoint()));
                    if (server != null) {
                        links.add(link(entry.getName(), socket, t.rates(socket.getAlias()), server));
                    }
                }
            });
        }
        links.sort(Comparator.comparing(ConsoleSnapshot.Link::id));
        return new ConsoleSnapshot(service.address(), service.serverId(), admin, leaseMs, System.currentTimeMillis(),
                List.copyOf(agents), List.copyOf(links));
    }

    private static ConsoleSnapshot.Agent agent(AgentEntry entry, String host,
                                               Optional<TrafficReports.AgentTraffic> reported,
                                               TrafficReports reports, long leaseMs) {
        long leaseAge = Math.max(0, leaseMs - entry.getLeaseRemainingMs());
        if (reported.isEmpty()) {
            List<ConsoleSnapshot.Socket> sockets = entry.getAddressesList().stream().map(a -> new ConsoleSnapshot.Socket(
                    a.getAlias(), a.getPattern(), "bound", a.getEndpoint(), 0, 0, 0, 0, 0, 0, 0)).toList();
            return new ConsoleSnapshot.Agent(entry.getName(), host, null, entry.getNameserverHost(),
                    entry.getControlEndpoint(),
                    entry.getLeaseRemainingMs(), leaseAge, false, null, true, 0, 0, 0, 0, 0, 0, 0, 0, sockets,
                    entry.getMetadataMap());
        }
        TrafficReports.AgentTraffic traffic = reported.get();
        AgentReport report = traffic.report();
        List<ConsoleSnapshot.Socket> sockets = new ArrayList<>();
        long handled = 0;
        long handlerNanos = 0;
        double in = 0;
        double out = 0;
        for (SocketReport s : report.getSocketsList()) {
            TrafficReports.Rates rates = traffic.rates(s.getAlias());
            sockets.add(new ConsoleSnapshot.Socket(s.getAlias(), s.getPattern(), s.getBound() ? "bound" : "connected",
                    s.getEndpoint(), s.getReceived(), s.getSent(), rates.received(), rates.sent(), s.getHandled(),
                    mean(s.getHandlerNanos(), s.getHandled()), s.getHandlerErrors()));
            handled += s.getHandled();
            handlerNanos += s.getHandlerNanos();
            in += rates.received();
            out += rates.sent();
        }
        return new ConsoleSnapshot.Agent(entry.getName(), host, traffic.process(),
                entry.getNameserverHost(), entry.getControlEndpoint(), entry.getLeaseRemainingMs(), leaseAge, true, reports.ageMillis(traffic),
                report.getRunning(), report.getErrors(), report.getDropped(), handled, mean(handlerNanos, handled),
                report.getTimerTicks(), report.getTimerLagMaxNanos() / NANOS_PER_MILLI, in, out, List.copyOf(sockets),
                entry.getMetadataMap());
    }

    private static ConsoleSnapshot.Link link(String client, SocketReport socket, TrafficReports.Rates rates,
                                             Server server) {
        String flow = switch (socket.getPattern()) {
            case "PUSH", "PUB" -> "to-server";
            case "PULL", "SUB", "SYNC_SUB" -> "to-client";
            default -> "both";
        };
        double perSecond = flow.equals("to-client") ? rates.received() : rates.sent();
        return new ConsoleSnapshot.Link(client + "/" + socket.getAlias() + "->" + server.agent() + "/" + server.alias(),
                client, socket.getAlias(), server.agent(), server.alias(), socket.getPattern() + "/" + server.pattern(),
                socket.getEndpoint(), flow, perSecond);
    }

    private static double mean(long totalNanos, long count) {
        return count == 0 ? 0 : totalNanos / NANOS_PER_MILLI / count;
    }

    /**
     * The key under which an endpoint is found: inproc endpoints exist only inside one process,
     * so theirs includes the host; {@code localhost} is the loopback address agents advertise.
     */
    private static String key(String hostId, String endpoint) {
        if (endpoint.startsWith("inproc://")) {
            return hostId + " " + endpoint;
        }
        return endpoint.replace("://localhost:", "://127.0.0.1:");
    }
}
