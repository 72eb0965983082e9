package io.zeroagents.runtime.internal;

import io.zeroagents.AgentAddress;
import io.zeroagents.AgentOptions;
import com.google.protobuf.ByteString;
import io.zeroagents.DuplicateAgentNameException;
import io.zeroagents.Proxy;
import io.zeroagents.nameserver.NameServerClient;
import io.zeroagents.nameserver.protocol.AddressEntry;
import io.zeroagents.nameserver.protocol.AgentEntry;
import io.zeroagents.nameserver.protocol.HeartbeatResult;
import io.zeroagents.nameserver.registry.OwnerKey;
import io.zeroagents.serialization.CodecRegistry;
import io.zeroagents.serialization.EnvelopeCodec;
import io.zeroagents.transport.CurveKeys;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;
import org.zeromq.ZContext;

/**
 * The agents this JVM runs under one name server: registers them, keeps their bound addresses
 * up to date there, and renews their leases with one heartbeat for all of them. When the name
 * server has forgotten some (it restarted, or their leases ran out), the next heartbeat
 * re-registers them.
 */
final class AgentHost implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(AgentHost.class);

    private final String hostId = UUID.randomUUID().toString();
    // Proves to the name server that this host registered its agents; the host id is only a label
    // anyone can read. Sent to the name server alone, never logged.
    private final ByteString hostSecret = OwnerKey.newSecret();
    private final String nameServerAddress;
    private final NameServerClient client;
    private final ZContext context;
    private final @Nullable CurveKeys curve;
    private final EnvelopeCodec envelopes;
    private final Map<String, AgentCore> agents = new ConcurrentHashMap<>();
    // What the name server should hold for each agent: the source for re-registration.
    private final Map<String, AgentEntry> registrations = new ConcurrentHashMap<>();
    private final ScheduledExecutorService heartbeats;
    private final ControlEndpoint control;

    AgentHost(String nameServerAddress, Settings settings, ZContext context, CodecRegistry codecs,
              EnvelopeCodec envelopes, @Nullable CurveKeys curve) {
        this.nameServerAddress = nameServerAddress;
        this.context = context;
        this.envelopes = envelopes;
        this.curve = curve;
        this.control = new ControlEndpoint(settings.host(), settings.advertisedHost(), context, codecs,
                ControlEndpoint.maxMessageBytes(settings.maxFrameBytes()), settings.controlConnections(), this::agent,
                curve, settings.insecureNoCurve(), settings.controlSpin(), ControlAccess.defaultDirectory(),
                settings.controlMaxPending());
        // The runtime's context: a client of its own would cost two threads per name server.
        this.client = new NameServerClient(nameServerAddress, settings.nameServerTimeout(), curve, context);
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "zeroagents-heartbeat-" + hostId.substring(0, 8));
            thread.setDaemon(true);
            return thread;
        });
        long period = settings.heartbeat().toMillis();
        heartbeats.scheduleWithFixedDelay(this::heartbeat, period, period, TimeUnit.MILLISECONDS);
    }

    /** This host's CURVE keys, or {@code null} when sockets are plain text. */
    @Nullable CurveKeys curve() {
        return curve;
    }

    /** Where this host's control endpoint listens, as registered with the name server. */
    String controlEndpoint() {
        return control.endpoint();
    }

    /** The admin token of this host's control endpoint, for this JVM's own proxies to it. */
    String controlToken() {
        return control.adminToken();
    }

    Optional<AgentCore> agent(String name) {
        return Optional.ofNullable(agents.get(name));
    }

    List<AgentCore> agents() {
        return List.copyOf(agents.values());
    }

    /** Registers and starts an agent; on any failure nothing of it stays registered or running. */
    Proxy start(String name, AgentOptions options, Settings settings) {
        AgentCore core = new AgentCore(name, options, settings, this, context, envelopes);
        if (agents.putIfAbsent(name, core) != null) {
            throw new DuplicateAgentNameException("Agent name '" + name + "' is already used by an agent of this"
                    + " process on name server " + nameServerAddress);
        }
        AgentEntry.Builder described = AgentEntry.newBuilder().setName(name).setHostId(hostId)
                .setControlEndpoint(control.endpoint());
        if (curve != null) {
            // What the control endpoint serves with; a CURVE name server records the key this host
            // authenticated with, which is the same.
            described.setControlServerKey(curve.publicKey());
        }
        AgentEntry entry = described.build();
        try {
            register(entry, options.nameServerWait());
        } catch (RuntimeException e) {
            agents.remove(name, core);
            throw e;
        }
        registrations.put(name, entry);
        try {
            core.start();
        } catch (RuntimeException | Error e) {
            // Error too: a thread that cannot start (out of native threads) must not stay registered.
            agentStopped(core);
            throw e;
        }
        LOG.debug("Agent '{}' runs, registered with {}", name, nameServerAddress);
        return new LocalProxy(core, settings.safeCalls() ? LocalProxy.Mode.SAFE : LocalProxy.Mode.UNSAFE);
    }

    /** Registers, retrying an unanswered name server for up to {@code wait}; a refusal is final. */
    private void register(AgentEntry entry, java.time.Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                client.register(entry, hostSecret);
                return;
            } catch (io.zeroagents.NameServerException e) {
                if (System.nanoTime() >= deadline) {
                    throw new io.zeroagents.NameServerException("Agent '" + entry.getName() + "' cannot register: name"
                            + " server " + nameServerAddress + " did not answer" + (wait.isZero() ? ""
                            : " within " + wait.toMillis() + " ms") + " (AgentOptions.nameServerWait retries): "
                            + e.getMessage(), e);
                }
                LOG.info("Agent '{}': name server {} does not answer yet; retrying", entry.getName(), nameServerAddress);
            }
        }
    }

    void socketBound(AgentCore core, String alias, AgentAddress address) {
        AddressEntry entry = AddressWire.toEntry(alias, address);
        registrations.computeIfPresent(core.name(), (name, registered) -> withoutAlias(registered, alias)
                .addAddresses(entry).build());
        try {
            client.putAddress(core.name(), hostSecret, entry);
        } catch (RuntimeException e) {
            // The heartbeat re-registration carries the address if the name server missed it now.
            LOG.warn("Agent '{}': could not register address of socket '{}' with {}: {}", core.name(), alias,
                    nameServerAddress, e.getMessage());
        }
    }

    void socketClosed(AgentCore core, String alias) {
        registrations.computeIfPresent(core.name(), (name, registered) -> withoutAlias(registered, alias).build());
        try {
            client.removeAddress(core.name(), hostSecret, alias);
        } catch (RuntimeException e) {
            LOG.warn("Agent '{}': could not remove address of socket '{}' from {}: {}", core.name(), alias,
                    nameServerAddress, e.getMessage());
        }
    }

    private static AgentEntry.Builder withoutAlias(AgentEntry registered, String alias) {
        AgentEntry.Builder updated = registered.toBuilder().clearAddresses();
        registered.getAddressesList().stream().filter(a -> !a.getAlias().equals(alias)).forEach(updated::addAddresses);
        return updated;
    }

    void agentStopped(AgentCore core) {
        if (!agents.remove(core.name(), core) || registrations.remove(core.name()) == null) {
            return; // not registered (any more): the name may be another host's now
        }
        try {
            client.unregister(core.name(), hostSecret);
        } catch (RuntimeException e) {
            LOG.warn("Agent '{}': could not unregister from {}: {}", core.name(), nameServerAddress, e.getMessage());
        }
    }

    private void heartbeat() {
        if (registrations.isEmpty()) {
            return;
        }
        try {
            List<String> names = List.copyOf(registrations.keySet());
            HeartbeatResult result = client.heartbeat(hostId, hostSecret, names,
                    AgentMetrics.hostReport(names, agents));
            for (String name : result.getStopNamesList()) {
                // Asked through the name server (another process, the CLI): stop without waiting here.
                AgentCore core = agents.get(name);
                if (core != null) {
                    LOG.info("Agent '{}' stops: its name server {} asked for it", name, nameServerAddress);
                    core.requestStop();
                }
            }
            for (AgentEntry holder : result.getLostList()) {
                nameLost(holder.getName(), "host " + holder.getHostId() + (holder.getNameserverHost().isEmpty() ? ""
                        : " on name-server host '" + holder.getNameserverHost() + "'") + " holds it now ("
                        + holder.getControlEndpoint() + ")");
            }
            for (String name : result.getUnknownNamesList()) {
                AgentEntry entry = registrations.get(name);
                if (entry == null) {
                    continue;
                }
                try {
                    client.register(entry, hostSecret);
                    LOG.info("Agent '{}' re-registered with {}", name, nameServerAddress);
                } catch (DuplicateAgentNameException e) {
                    nameLost(name, "another host registered it meanwhile (" + e.getMessage() + ")");
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Heartbeat to name server {} failed: {}", nameServerAddress, e.getMessage());
        }
    }

    /**
     * Another host holds the name of one of ours (it registered it while our lease had run out, or
     * won it when a split federation of name servers healed): nobody can reach our agent by that
     * name any more, so it stops rather than run on unseen.
     */
    private void nameLost(String name, String why) {
        if (registrations.remove(name) == null) {
            return;
        }
        LOG.error("Agent '{}' lost its name on {}: {}; stopping the agent", name, nameServerAddress, why);
        AgentCore core = agents.get(name);
        if (core != null) {
            core.requestStop();
        }
    }

    /** Stops heartbeats and the name-server client; the agents are stopped by the caller first. */
    @Override
    public void close() {
        // shutdown(), not shutdownNow(): interrupting a thread inside JeroMQ breaks its socket.
        heartbeats.shutdown();
        control.close();
        try {
            heartbeats.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
    }
}
