package io.zeroagents.nameserver;

import io.zeroagents.nameserver.protocol.AgentEntry;
import io.zeroagents.nameserver.protocol.AgentList;
import io.zeroagents.nameserver.protocol.Heartbeat;
import io.zeroagents.nameserver.protocol.HeartbeatResult;
import io.zeroagents.nameserver.registry.EntryChecks;
import io.zeroagents.nameserver.registry.OwnerKey;
import io.zeroagents.nameserver.registry.Registry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * What a name server knows of the agent hosts that talk to it: when each last did, which of their
 * agents someone asked to stop (handed to the host in its next heartbeat answer), and what their
 * heartbeats report. In a federation only these hosts' agents can be stopped from here: the
 * others never heartbeat here.
 *
 * <p>Used by the serving thread only, so it needs no lock.
 */
final class AgentHosts {
    private static final Logger LOG = LogManager.getLogger(AgentHosts.class);

    private final Registry registry;
    private final TrafficReports reports;
    private final Set<String> stopRequested = new HashSet<>();
    // By host id, when it last spoke (System.nanoTime()).
    private final Map<String, Long> lastSeen = new HashMap<>();

    AgentHosts(Registry registry, TrafficReports reports) {
        this.registry = registry;
        this.reports = reports;
    }

    /** Notes that a host spoke now; a blank id (a request that names no host) is ignored. */
    void seen(String hostId) {
        if (!hostId.isBlank()) {
            lastSeen.put(hostId, System.nanoTime());
        }
    }

    /** Renews a host's leases, records its report and tells it which names it lost and which agents to stop. */
    HeartbeatResult heartbeat(Heartbeat heartbeat) {
        EntryChecks.requireHeartbeatHost(heartbeat.getHostId());
        // The secret, not the host id anyone can read, decides which entries the heartbeat renews.
        OwnerKey owner = OwnerKey.ofSecret(heartbeat.getHostSecret(), "heartbeat of host " + heartbeat.getHostId());
        List<String> unknown = registry.renew(owner, heartbeat.getNamesList());
        if (!unknown.isEmpty()) {
            LOG.debug("Host {} heartbeated agents this name server does not hold for it: {}",
                    heartbeat.getHostId(), unknown);
        }
        if (heartbeat.hasReport()) {
            Set<String> notHeld = new HashSet<>(unknown);
            reports.record(heartbeat.getHostId(), heartbeat.getReport(),
                    heartbeat.getNamesList().stream().filter(name -> !notHeld.contains(name)).toList());
        }
        HeartbeatResult.Builder result = HeartbeatResult.newBuilder().addAllUnknownNames(unknown);
        for (String name : unknown) {
            // Live but not renewed, so held under another secret (registered after this host's lease
            // ran out, or won when a split federation healed), whatever its host id says: the host
            // must learn that the name is lost, not retry it.
            registry.lookup(name).ifPresent(holder -> {
                LOG.warn("Host {} heartbeated agent '{}', which host {}{} holds now; told it the name is lost",
                        heartbeat.getHostId(), name, holder.getHostId(), EntryChecks.holderSuffix(holder));
                result.addLost(AgentEntry.newBuilder()
                        .setName(holder.getName())
                        .setHostId(holder.getHostId())
                        .setControlEndpoint(holder.getControlEndpoint())
                        .setNameserverHost(holder.getNameserverHost()));
            });
        }
        for (String name : heartbeat.getNamesList()) {
            if (stopRequested.contains(name) && !unknown.contains(name)) {
                result.addStopNames(name);
            }
        }
        return result.build();
    }

    /** Marks the named agents (all when none is named) of hosts that talk here to stop. */
    AgentList stop(List<String> names) {
        AgentList.Builder marked = AgentList.newBuilder();
        for (AgentEntry entry : registry.list()) {
            if ((names.isEmpty() || names.contains(entry.getName())) && lastSeen.containsKey(entry.getHostId())) {
                stopRequested.add(entry.getName());
                marked.addAgents(AgentEntry.newBuilder().setName(entry.getName()).setHostId(entry.getHostId()));
            }
        }
        return marked.build();
    }

    /** Forgets a stop request for an agent that is gone (unregistered, or its lease ran out). */
    void gone(String agentName) {
        stopRequested.remove(agentName);
    }

    /** Forgets the hosts silent for longer than {@code memoryNanos}: gone, or talking to another name server. */
    void forgetSilent(long memoryNanos) {
        long forgetBefore = System.nanoTime() - memoryNanos;
        lastSeen.values().removeIf(seen -> seen - forgetBefore < 0);
    }
}
