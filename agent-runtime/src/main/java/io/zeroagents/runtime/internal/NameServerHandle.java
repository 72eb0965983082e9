package io.zeroagents.runtime.internal;

import io.zeroagents.AgentAddress;
import io.zeroagents.AgentException;
import io.zeroagents.AgentTimeoutException;
import io.zeroagents.Codec;
import io.zeroagents.NameServer;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.UnknownAgentException;
import io.zeroagents.UnknownAliasException;
import io.zeroagents.nameserver.AdminToken;
import io.zeroagents.nameserver.NameServerClient;
import io.zeroagents.nameserver.NameServerService;
import io.zeroagents.nameserver.protocol.AddressEntry;
import io.zeroagents.nameserver.protocol.AgentEntry;
import io.zeroagents.transport.CurveKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;

/**
 * A name server as users see it: one this JVM runs (embedded, with its service) or one it
 * attached to by address. Queries go through the protocol either way, so both behave the same.
 */
final class NameServerHandle implements NameServer {
    private static final Logger LOG = LogManager.getLogger(NameServerHandle.class);

    private final JeroMqRuntime runtime;
    private final @Nullable NameServerService service;
    private final NameServerClient client;
    private final String address;
    private final Duration timeout;
    private final AtomicBoolean shutDown = new AtomicBoolean();

    /**
     * A handle over {@code client}; an embedded name server's handle owns its client and closes it on
     * shutdown, an attached one shares the runtime's client for the address and leaves it open.
     */
    NameServerHandle(JeroMqRuntime runtime, @Nullable NameServerService service, String address, Duration timeout,
                     NameServerClient client) {
        this.runtime = runtime;
        this.service = service;
        this.address = address;
        this.timeout = timeout;
        this.client = client;
    }

    boolean embedded() {
        return service != null;
    }

    @Override
    public String address() {
        return address;
    }

    /** Attaching calls it too, so that attaching to an address where nothing answers fails fast and clearly. */
    @Override
    public String ping() {
        client.ping();
        return "pong";
    }

    @Override
    public List<String> agents() {
        return client.list().stream().map(AgentEntry::getName).sorted().toList();
    }

    @Override
    public Proxy proxy(String name) {
        return runtime.localProxy(address, name).orElseGet(() -> {
            AgentEntry entry = client.lookup(name);
            if (entry.getControlEndpoint().isEmpty()) {
                throw new AgentException("Agent '" + name + "' on name server " + address + " runs in a process"
                        + " (host " + entry.getHostId() + ") that offers no control endpoint");
            }
            return runtime.remoteProxy(name, entry);
        });
    }

    @Override
    public Proxy proxy(String name, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        long pauseMillis = 5;
        while (true) {
            try {
                return proxy(name);
            } catch (UnknownAgentException e) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new UnknownAgentException("No agent '" + name + "' registered on name server " + address
                            + " within " + wait.toMillis() + " ms (agents: " + agents() + ")", e);
                }
                // Registration is a name-server round trip away: ask often at first, then less.
                sleep(Math.min(pauseMillis, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))));
                pauseMillis = Math.min(50, pauseMillis * 2);
            }
        }
    }

    @Override
    public AgentAddress addr(String agent, String alias) {
        AgentEntry entry = client.lookup(agent);
        for (AddressEntry candidate : entry.getAddressesList()) {
            if (candidate.getAlias().equals(alias)) {
                return AddressWire.fromEntry(candidate);
            }
        }
        throw new UnknownAliasException("Agent '" + agent + "' has no bound socket with alias '" + alias
                + "' registered on " + address + " (aliases: "
                + entry.getAddressesList().stream().map(AddressEntry::getAlias).toList() + ")");
    }

    @Override
    public void shutdownAgents() {
        shutdownAgents(timeout.multipliedBy(6));
    }

    @Override
    public void shutdownAgents(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        List<String> elsewhere = new ArrayList<>();
        Map<String, AgentCore> local = new java.util.LinkedHashMap<>();
        for (String name : agents()) {
            runtime.localAgent(address, name).ifPresentOrElse(core -> local.put(name, core), () -> elsewhere.add(name));
        }
        // Every agent is asked at once, so the limit bounds the whole shutdown, not each agent's.
        local.values().forEach(AgentCore::requestStop);
        // An agent whose own handler shuts its name server down stops when that handler returns:
        // waiting for it here would be waiting for ourselves.
        local.values().removeIf(AgentCore::onLoopThread);
        if (!elsewhere.isEmpty()) {
            // Agents of other processes are stopped by their hosts, told with their next heartbeat. A
            // federated name server marks only the agents whose hosts talk to it: wait for those.
            elsewhere.retainAll(client.stopAgents(elsewhere, adminToken()));
        }
        while (System.nanoTime() < deadline && (local.values().stream().anyMatch(core -> !core.stopped().isDone())
                || (!elsewhere.isEmpty() && agents().stream().anyMatch(elsewhere::contains)))) {
            pause();
        }
        List<String> left = new ArrayList<>();
        local.forEach((name, core) -> {
            if (!core.stopped().isDone()) {
                left.add(name);
            }
        });
        if (!elsewhere.isEmpty()) {
            agents().stream().filter(elsewhere::contains).forEach(left::add);
        }
        if (!left.isEmpty()) {
            throw new AgentTimeoutException("Name server " + address + " could not shut down agents " + left
                    + " within " + limit.toMillis() + " ms (they stop as soon as their handlers return)");
        }
    }

    /**
     * The name server's admin token, which stopping agents and shutting down need: an embedded name
     * server's own; for one attached to on this machine, the token its file holds now (a restarted
     * daemon has a new one). Null when there is none to read: with CURVE, the key may be an admin's.
     */
    private @Nullable String adminToken() {
        if (service != null) {
            return service.adminToken();
        }
        try {
            return AdminToken.forAddress(AdminToken.defaultDirectory(), address).orElse(null);
        } catch (java.io.IOException e) {
            LOG.warn("Name server {}: {}", address, e.getMessage());
            return null;
        }
    }

    private static void pause() {
        sleep(50);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException("Interrupted while waiting on the name server", e);
        }
    }

    @Override
    public void shutdown() {
        end(timeout.multipliedBy(6));
    }

    @Override
    public void shutdown(Duration limit) {
        if (shutDown.get()) {
            return;
        }
        // Late agents leave the name server up, as osBrain's does, so a later shutdown can finish.
        shutdownAgents(limit);
        end(limit);
    }

    /**
     * Shuts the agents down, waiting up to {@code limit}, then the name server: an embedded one's
     * service whatever the agents did (its agents are then awaited), an attached one by request
     * once its agents stopped. Only the first call does anything.
     */
    private void end(Duration limit) {
        if (!shutDown.compareAndSet(false, true)) {
            return;
        }
        try {
            shutdownAgents(limit);
            if (service == null) {
                // Attached to a standalone name server: ask it to end too, as osBrain's NSProxy does.
                client.shutdownServer(adminToken());
            }
        } catch (AgentException e) {
            LOG.warn("Name server {}: {}", address, e.getMessage());
        } finally {
            try {
                runtime.nameServerStopped(this);
            } finally {
                try {
                    if (service != null) {
                        client.close();
                    }
                } finally {
                    if (service != null) {
                        service.close();
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        if (service != null) {
            shutdown();
        } else {
            // The client is the runtime's, shared by every handle attached to this address.
            shutDown.set(true);
        }
    }

    @Override
    public String toString() {
        return "NameServer[" + address + (embedded() ? ", embedded" : "") + "]";
    }
}
