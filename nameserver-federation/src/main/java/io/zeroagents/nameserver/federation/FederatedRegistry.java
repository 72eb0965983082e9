package io.zeroagents.nameserver.federation;

import com.google.protobuf.InvalidProtocolBufferException;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryExpiredListener;
import io.zeroagents.NameServerException;
import io.zeroagents.UnknownAgentException;
import io.zeroagents.nameserver.federation.storage.ChangeResult;
import io.zeroagents.nameserver.federation.storage.EntryChange;
import io.zeroagents.nameserver.federation.storage.StoredEntry;
import io.zeroagents.nameserver.protocol.AddressEntry;
import io.zeroagents.nameserver.protocol.AgentEntry;
import io.zeroagents.nameserver.protocol.PutAddress;
import io.zeroagents.nameserver.protocol.Register;
import io.zeroagents.nameserver.protocol.RemoveAddress;
import io.zeroagents.nameserver.protocol.Unregister;
import io.zeroagents.nameserver.registry.EntryChecks;
import io.zeroagents.nameserver.registry.NotOwnerException;
import io.zeroagents.nameserver.registry.OwnerKey;
import io.zeroagents.nameserver.registry.Registry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A {@link Registry} shared by a federation of name servers: each name server runs an embedded
 * Hazelcast member, and the agents of every host live in one distributed map.
 *
 * <p>A name is taken atomically across the federation: registration, renewal, removal and address
 * changes are entry processors run by the member that owns the name's partition, so two hosts
 * registering the same name at once get exactly one success. A lease is the entry's Hazelcast
 * time-to-live, renewed by heartbeats; an entry nobody renews disappears from every member when
 * it runs out, whichever name server died. Every entry records the name-server host it was
 * registered through ({@code nameserver_host}).
 *
 * <p>When a split federation heals, Hazelcast merges the smaller side into the larger and {@link
 * RegistryMergePolicy} keeps one entry per name (see {@link MergeRule}); the host whose entry lost
 * finds out at its next heartbeat, when its name server reports the name as held by another host.
 * A removal is kept as an invisible tombstone for one lease, so a stale copy from the other side
 * cannot bring the agent back.
 *
 * <p>Bounded across the federation as a single name server is bounded: it holds at most {@link
 * FederationSettings#maxAgents()} live entries, and at most {@link
 * FederationSettings#maxAgentsPerHost()} of one host id, whichever members they were registered
 * through; a new entry beyond either is refused with a {@link
 * io.zeroagents.nameserver.registry.RegistryFullException}, while renewals and re-registrations go
 * on. The counts are kept atomically across members ({@link AgentCounts}).
 *
 * <p>Thread-safe. {@link #close()} leaves the federation, handing this member's share of the map to
 * the others.
 *
 * @since 0.1
 */
public final class FederatedRegistry implements Registry, AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(FederatedRegistry.class);
    private static final String LOGGING_TYPE = "hazelcast.logging.type";

    private final FederationSettings settings;
    private final HazelcastInstance member;
    private final IMap<String, byte[]> agents;
    private final long leaseMillis;
    private final LongSupplier wallClock;
    private final AgentCounts counts;
    // Filled by Hazelcast's event threads, drained by expire().
    private final Queue<AgentEntry> expired = new ConcurrentLinkedQueue<>();

    private FederatedRegistry(FederationSettings settings, HazelcastInstance member, LongSupplier wallClock) {
        this.settings = settings;
        this.member = member;
        this.agents = member.getMap(MemberConfig.MAP_NAME);
        this.leaseMillis = Math.max(1, settings.lease().toMillis());
        this.wallClock = wallClock;
        this.counts = new AgentCounts(member, agents, settings);
    }

    /**
     * Starts this name server's Hazelcast member and joins the peers (or starts a federation of one
     * when none answers).
     *
     * @param settings how to join
     * @return the registry, once the member has joined
     * @throws NameServerException if the member cannot start, for example because its port is in use
     */
    public static FederatedRegistry start(FederationSettings settings) {
        return start(settings, Hazelcast::newHazelcastInstance);
    }

    /** Starts with another way of creating the member: tests use one whose network they can cut. */
    static FederatedRegistry start(FederationSettings settings, Function<Config, HazelcastInstance> launcher) {
        Objects.requireNonNull(settings, "settings");
        // Hazelcast's static loggers read the system property, not the member's config.
        if (System.getProperty(LOGGING_TYPE) == null) {
            System.setProperty(LOGGING_TYPE, "log4j2");
        }
        HazelcastInstance member;
        try {
            member = launcher.apply(MemberConfig.of(settings));
        } catch (RuntimeException e) {
            throw new NameServerException("Cannot start the federation member of name server host '"
                    + settings.hostId() + "' on port " + settings.clusterPort() + " (cluster '" + settings.clusterName()
                    + "', peers " + settings.peers() + "): " + e.getMessage()
                    + "; is the port in use or the --cluster-host not an address of this machine?", e);
        }
        FederatedRegistry registry = new FederatedRegistry(settings, member, System::currentTimeMillis);
        try {
            registry.listen();
        } catch (RuntimeException e) {
            registry.counts.close();
            member.getLifecycleService().terminate();
            throw new NameServerException("The federation member of name server host '" + settings.hostId()
                    + "' started but could not listen to its cluster: " + e.getMessage(), e);
        }
        LOG.info("Name server host '{}' is member {} of federation '{}' ({} member(s): {}; peers {})",
                settings.hostId(), registry.memberAddress(), settings.clusterName(), registry.members().size(),
                registry.members(), settings.peers());
        warnIfLoopbackWithRemotePeers(settings, registry.memberAddress());
        return registry;
    }

    /**
     * A member on loopback cannot federate with peers on other machines. It is there by default
     * when the name server is (the member follows {@code --bind}), so say what to change.
     */
    private static void warnIfLoopbackWithRemotePeers(FederationSettings settings, String memberAddress) {
        if (!isLoopback(memberAddress.substring(0, memberAddress.lastIndexOf(':')))) {
            return;
        }
        List<String> remote = settings.peers().stream().filter(peer -> !isLoopback(peerHost(peer))).toList();
        if (!remote.isEmpty()) {
            LOG.warn("Name server host '{}': its federation member listens on loopback ({}), which peers {} on other"
                    + " machines cannot reach; give --cluster-host (or bind the name server to) an address they"
                    + " reach", settings.hostId(), memberAddress, remote);
        }
    }

    private static String peerHost(String peer) {
        if (peer.startsWith("[")) {
            return peer.substring(1, Math.max(1, peer.indexOf(']')));
        }
        int colon = peer.indexOf(':');
        return colon >= 0 && colon == peer.lastIndexOf(':') ? peer.substring(0, colon) : peer;
    }

    private static boolean isLoopback(String host) {
        return host.startsWith("127.") || host.equals("localhost") || host.equals("::1")
                || host.equals("0:0:0:0:0:0:0:1");
    }

    private void listen() {
        counts.start();
        agents.addEntryListener((EntryExpiredListener<String, byte[]>) event -> {
            byte[] value = event.getOldValue();
            if (value == null) {
                return;
            }
            StoredEntry stored = EntryChangeProcessor.parseStored(event.getKey(), value);
            if (!stored.getRemoved()) {
                expired.add(stored.getAgent());
            }
        }, true);
        member.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                LOG.info("Federation '{}': name server member {} joined; {} member(s) now", settings.clusterName(),
                        event.getMember().getAddress(), event.getMembers().size());
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                // Its agents stay listed until their leases run out: a name server that died may come
                // back, and a host whose name server is unreachable may still be alive.
                LOG.warn("Federation '{}': name server member {} left or became unreachable; its agents go when"
                                + " their leases run out ({} member(s) now)", settings.clusterName(),
                        event.getMember().getAddress(), event.getMembers().size());
            }
        });
        member.getLifecycleService().addLifecycleListener(event -> {
            if (event.getState() == LifecycleEvent.LifecycleState.MERGING) {
                LOG.warn("Federation '{}': name server host '{}' found the other side of a split and merges into it",
                        settings.clusterName(), settings.hostId());
            } else if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
                // The counts of the two sides do not add up: count the merged map.
                counts.recountSoon();
                LOG.info("Federation '{}': name server host '{}' merged after a split; {} member(s)",
                        settings.clusterName(), settings.hostId(), member.getCluster().getMembers().size());
            } else if (event.getState() == LifecycleEvent.LifecycleState.MERGE_FAILED) {
                LOG.error("Federation '{}': name server host '{}' failed to merge after a split; it will try again",
                        settings.clusterName(), settings.hostId());
            }
        });
    }

    /**
     * Returns the id of this name-server host, written into the entries registered through it.
     *
     * @return the host id
     */
    public String hostId() {
        return settings.hostId();
    }

    /**
     * Returns the address of this name server's Hazelcast member, which peers list.
     *
     * @return {@code host:port}, with the port actually bound
     */
    public String memberAddress() {
        return address(member.getCluster().getLocalMember());
    }

    /**
     * Returns the members of the federation as this one sees them.
     *
     * @return their {@code host:port} addresses, the oldest first
     */
    public List<String> members() {
        return member.getCluster().getMembers().stream().map(FederatedRegistry::address).toList();
    }

    @Override
    public void register(AgentEntry entry, OwnerKey owner) {
        EntryChecks.requireValidEntry(entry);
        Objects.requireNonNull(owner, "owner");
        AgentEntry stamped = entry.toBuilder().clearLeaseRemainingMs().setNameserverHost(settings.hostId()).build();
        String host = entry.getHostId();
        // A host renewing its own entry takes no new place, so it goes on when the federation is full.
        boolean reserved = !heldBy(entry.getName(), host);
        if (reserved) {
            counts.reserve(entry);
        }
        ChangeResult result;
        try {
            // The members see the owner's digest only, never its secret.
            result = change(entry.getName(), change(owner).setRegister(Register.newBuilder().setAgent(stamped)));
        } catch (RuntimeException e) {
            if (reserved) {
                counts.giveBack(host);
            }
            throw e;
        }
        if (result.getOutcome() == ChangeResult.Outcome.HELD_BY_OTHER) {
            if (reserved) {
                counts.giveBack(host);
            }
            throw EntryChecks.duplicate(result.getHolder());
        }
        counts.registered(host, reserved, result.hasHolder() ? result.getHolder() : null);
    }

    /** Tells whether a live entry of the given host holds the name. */
    private boolean heldBy(String name, String host) {
        byte[] value = agents.get(name);
        if (value == null) {
            return false;
        }
        StoredEntry stored = EntryChangeProcessor.parseStored(name, value);
        return !stored.getRemoved() && stored.getAgent().getHostId().equals(host);
    }

    @Override
    public boolean unregister(String name, OwnerKey owner) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(owner, "owner");
        ChangeResult result = change(name, change(owner).setUnregister(Unregister.newBuilder().setName(name)));
        return switch (result.getOutcome()) {
            case APPLIED -> {
                counts.giveBack(result.getHolder().getHostId());
                yield true;
            }
            case ABSENT -> false;
            case HELD_BY_OTHER -> throw EntryChecks.notOwner(result.getHolder());
            case UNRECOGNIZED -> throw unrecognized(name, result);
        };
    }

    @Override
    public Optional<AgentEntry> evict(String name) {
        Objects.requireNonNull(name, "name");
        ChangeResult result = change(name, change().setEvict(true));
        return switch (result.getOutcome()) {
            case APPLIED -> {
                counts.giveBack(result.getHolder().getHostId());
                yield Optional.of(result.getHolder());
            }
            case ABSENT, HELD_BY_OTHER -> Optional.empty();
            case UNRECOGNIZED -> throw unrecognized(name, result);
        };
    }

    @Override
    public List<String> renew(OwnerKey owner, Collection<String> names) {
        Objects.requireNonNull(names, "names");
        Objects.requireNonNull(owner, "owner");
        Set<String> keys = new LinkedHashSet<>(names);
        if (keys.isEmpty()) {
            return List.of();
        }
        // One call for all of a host's names: Hazelcast groups them by owning member.
        Map<String, byte[]> results = agents.executeOnKeys(keys,
                new EntryChangeProcessor(change(owner).setRenew(true).build()));
        List<String> unknown = new ArrayList<>();
        for (String name : keys) {
            byte[] bytes = results.get(name);
            if (bytes == null || result(name, bytes).getOutcome() != ChangeResult.Outcome.APPLIED) {
                unknown.add(name);
            }
        }
        return List.copyOf(unknown);
    }

    @Override
    public Optional<AgentEntry> lookup(String name) {
        Objects.requireNonNull(name, "name");
        byte[] value = agents.get(name);
        if (value == null) {
            return Optional.empty();
        }
        StoredEntry stored = EntryChangeProcessor.parseStored(name, value);
        return stored.getRemoved() ? Optional.empty() : Optional.of(withRemaining(stored, wallClock.getAsLong()));
    }

    @Override
    public List<AgentEntry> list() {
        long now = wallClock.getAsLong();
        List<AgentEntry> live = new ArrayList<>();
        for (Map.Entry<String, byte[]> entry : agents.entrySet()) {
            StoredEntry stored = EntryChangeProcessor.parseStored(entry.getKey(), entry.getValue());
            if (!stored.getRemoved()) {
                live.add(withRemaining(stored, now));
            }
        }
        live.sort(Comparator.comparing(AgentEntry::getName));
        return List.copyOf(live);
    }

    @Override
    public void putAddress(String name, OwnerKey owner, AddressEntry address) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(owner, "owner");
        EntryChecks.requireValidAddress(name, address);
        requireHeld(name, change(name, change(owner).setPutAddress(
                PutAddress.newBuilder().setName(name).setAddress(address))));
    }

    @Override
    public void removeAddress(String name, OwnerKey owner, String alias) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(alias, "alias");
        requireHeld(name, change(name, change(owner).setRemoveAddress(
                RemoveAddress.newBuilder().setName(name).setAlias(alias))));
    }

    /**
     * Returns the entries whose lease ran out since the last call, on any host of the federation.
     *
     * <p>Hazelcast removes them itself (they are invisible from the moment the lease runs out);
     * this reports its expiry events, which may come a second or two later.
     *
     * @return the entries, sorted by name
     */
    @Override
    public List<AgentEntry> expire() {
        List<AgentEntry> drained = new ArrayList<>();
        for (AgentEntry entry = expired.poll(); entry != null; entry = expired.poll()) {
            drained.add(entry);
        }
        drained.sort(Comparator.comparing(AgentEntry::getName));
        return List.copyOf(drained);
    }

    @Override
    public Duration lease() {
        return settings.lease();
    }

    /**
     * Leaves the federation: the member hands its share of the map to the others and stops. The
     * entries registered through this name server stay until their leases run out. Idempotent.
     */
    @Override
    public void close() {
        counts.close();
        if (member.getLifecycleService().isRunning()) {
            LOG.info("Name server host '{}' leaves federation '{}'", settings.hostId(), settings.clusterName());
            member.shutdown();
        }
    }

    /** Stops the member at once, without handing anything over, as a crash would: for tests. */
    void crash() {
        counts.close();
        member.getLifecycleService().terminate();
    }

    /** The federation's agent counts: for tests. */
    AgentCounts counts() {
        return counts;
    }

    /** The Hazelcast member: for tests that cut its network. */
    HazelcastInstance member() {
        return member;
    }

    @Override
    public String toString() {
        return "FederatedRegistry[" + settings.hostId() + ", " + settings.clusterName() + "]";
    }

    private EntryChange.Builder change() {
        return EntryChange.newBuilder().setNowMs(wallClock.getAsLong()).setLeaseMs(leaseMillis);
    }

    private EntryChange.Builder change(OwnerKey owner) {
        return change().setOwnerDigest(owner.digest());
    }

    private ChangeResult change(String name, EntryChange.Builder change) {
        return result(name, agents.executeOnKey(name, new EntryChangeProcessor(change.build())));
    }

    private static ChangeResult result(String name, byte[] bytes) {
        try {
            return ChangeResult.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new NameServerException("The federation answered a change of agent '" + name
                    + "' with bytes that are not a ChangeResult: " + e.getMessage(), e);
        }
    }

    private static void requireHeld(String name, ChangeResult result) {
        switch (result.getOutcome()) {
            case APPLIED -> { }
            case ABSENT -> throw new UnknownAgentException("No agent named '" + name + "' is registered");
            case HELD_BY_OTHER -> throw EntryChecks.notOwner(result.getHolder());
            case UNRECOGNIZED -> throw unrecognized(name, result);
        }
    }

    private static NameServerException unrecognized(String name, ChangeResult result) {
        return new NameServerException("The federation answered a change of agent '" + name
                + "' with an outcome this name server does not know (" + result.getOutcomeValue()
                + "); do all name servers run the same version?");
    }

    private static AgentEntry withRemaining(StoredEntry stored, long now) {
        return stored.getAgent().toBuilder().setLeaseRemainingMs(Math.max(0, stored.getLeaseDeadlineMs() - now)).build();
    }

    private static String address(Member member) {
        InetSocketAddress socket = member.getSocketAddress();
        return socket.getHostString() + ":" + socket.getPort();
    }
}
