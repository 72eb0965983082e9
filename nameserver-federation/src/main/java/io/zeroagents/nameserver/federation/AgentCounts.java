package io.zeroagents.nameserver.federation;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.query.Predicates;
import io.zeroagents.nameserver.federation.storage.StoredEntry;
import io.zeroagents.nameserver.protocol.AgentEntry;
import io.zeroagents.nameserver.registry.EntryChecks;
import io.zeroagents.settings.ZeroAgentsSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The federation's agent counts, in total and per host id, which bound its registry as a single
 * name server's limits bound it ({@code zeroagents.nameserver.max.agents} and {@code .per.host}).
 *
 * <p>The counts live in a distributed map of their own ({@code zeroagents-agent-counts}), one
 * entry per host id and one for the total, each changed atomically by a {@link
 * CountChangeProcessor} on the member that owns it. A new entry first reserves its place in its
 * host's count and in the total (refused beyond the limit, whichever member asks), then registers;
 * a registration that turns out to replace a live entry gives the place back. So two members
 * registering at once cannot both take the last place. Removals (unregister, evict) give places
 * back through the member that made them; an entry whose lease ran out gives its place back
 * through the member that owned it, on Hazelcast's expiry event.
 *
 * <p>What can make the counts drift from the map: a member that crashes between a reservation and
 * its registration, expiry events lost while partitions move, and the two sides of a healed split,
 * whose counts do not add up. So the oldest member recounts the map every {@link #RECOUNT_PERIOD}
 * (and a member recounts after it merged), correcting only counts that did not change meanwhile;
 * a count stays off, until the next recount, by at most the registrations and removals in flight
 * while it was recounted (each name server serves its requests on one thread: one per member).
 *
 * <p>Thread-safe.
 */
final class AgentCounts implements AutoCloseable {

    /** The distributed map of counts. */
    static final String MAP_NAME = "zeroagents-agent-counts";
    /** How often the oldest member recounts. */
    static final Duration RECOUNT_PERIOD = Duration.ofSeconds(60);

    private static final Logger LOG = LogManager.getLogger(AgentCounts.class);
    // Host ids are never blank; the total is the one key without this prefix.
    private static final String HOST_PREFIX = "host:";
    private static final String TOTAL = "total";

    private final HazelcastInstance member;
    private final IMap<String, byte[]> agents;
    private final IMap<String, Long> counts;
    private final int maxAgents;
    private final int maxAgentsPerHost;
    private final ScheduledExecutorService recounts;

    AgentCounts(HazelcastInstance member, IMap<String, byte[]> agents, FederationSettings settings) {
        this.member = member;
        this.agents = agents;
        this.counts = member.getMap(MAP_NAME);
        this.maxAgents = settings.maxAgents();
        this.maxAgentsPerHost = settings.maxAgentsPerHost();
        this.recounts = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("zeroagents-federation-recount-" + settings.hostId()).factory());
    }

    /** Starts giving back the places of expired entries this member owns, and the periodic recount. */
    void start() {
        // Local: each expiry is reported by the one member that owned the entry, so it is counted once.
        agents.addLocalEntryListener((EntryExpiredListener<String, byte[]>) event -> {
            byte[] value = event.getOldValue();
            if (value != null) {
                StoredEntry stored = EntryChangeProcessor.parseStored(event.getKey(), value);
                if (!stored.getRemoved()) {
                    giveBackAsync(stored.getAgent().getHostId());
                }
            }
        }, Predicates.alwaysTrue(), true);
        long period = RECOUNT_PERIOD.toMillis();
        recounts.scheduleWithFixedDelay(() -> {
            if (member.getCluster().getMembers().iterator().next().localMember()) {
                recountSafely();
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Takes a place for a new entry, in its host's count and in the total.
     *
     * @param entry the entry about to be registered
     * @throws io.zeroagents.nameserver.registry.RegistryFullException naming the agent, its host and
     *                                                                 the setting, beyond a limit
     */
    void reserve(AgentEntry entry) {
        String host = entry.getHostId();
        long perHost = counts.executeOnKey(HOST_PREFIX + host, new CountChangeProcessor(1, maxAgentsPerHost));
        if (CountChangeProcessor.refused(perHost)) {
            throw EntryChecks.fullForHost(entry, CountChangeProcessor.countOfRefusal(perHost), "in the federation",
                    ZeroAgentsSettings.NAMESERVER_MAX_AGENTS_PER_HOST.property());
        }
        long total = counts.executeOnKey(TOTAL, new CountChangeProcessor(1, maxAgents));
        if (CountChangeProcessor.refused(total)) {
            counts.executeOnKey(HOST_PREFIX + host, new CountChangeProcessor(-1, CountChangeProcessor.UNLIMITED));
            throw EntryChecks.fullInTotal(entry, CountChangeProcessor.countOfRefusal(total), "the federation",
                    ZeroAgentsSettings.NAMESERVER_MAX_AGENTS.property());
        }
    }

    /**
     * Settles the counts once a registration applied.
     *
     * @param host     the host id of the entry registered
     * @param reserved whether {@link #reserve} took a place for it
     * @param replaced the live entry it replaced, or null if the name was free
     */
    void registered(String host, boolean reserved, @Nullable AgentEntry replaced) {
        if (replaced == null) {
            if (!reserved) {
                // The entry it was to renew ran out just before: one more agent, over the limit or not.
                add(host, 1);
            }
        } else if (reserved) {
            giveBack(replaced.getHostId());
        } else if (!replaced.getHostId().equals(host)) {
            add(host, 1);
            giveBack(replaced.getHostId());
        }
    }

    /**
     * Gives back the place of an entry removed, or of a reservation not used.
     *
     * @param host the entry's host id
     */
    void giveBack(String host) {
        add(host, -1);
    }

    private void add(String host, long delta) {
        CountChangeProcessor change = new CountChangeProcessor(delta, CountChangeProcessor.UNLIMITED);
        counts.executeOnKey(HOST_PREFIX + host, change);
        counts.executeOnKey(TOTAL, change);
    }

    private void giveBackAsync(String host) {
        CountChangeProcessor change = new CountChangeProcessor(-1, CountChangeProcessor.UNLIMITED);
        counts.submitToKey(HOST_PREFIX + host, change);
        counts.submitToKey(TOTAL, change);
    }

    /**
     * Returns the count of a host, as the federation holds it.
     *
     * @param host the host id
     * @return the count
     */
    long ofHost(String host) {
        Long count = counts.get(HOST_PREFIX + host);
        return count == null ? 0 : count;
    }

    /**
     * Returns the total count, as the federation holds it.
     *
     * @return the count
     */
    long total() {
        Long count = counts.get(TOTAL);
        return count == null ? 0 : count;
    }

    /** Recounts soon, off the caller's thread: after this member merged into the other side of a split. */
    void recountSoon() {
        if (!recounts.isShutdown()) {
            recounts.schedule(this::recountSafely, 1, TimeUnit.SECONDS);
        }
    }

    private void recountSafely() {
        try {
            recount();
        } catch (RuntimeException e) {
            // A member leaving, or the federation shutting down; the next recount tries again.
            LOG.debug("Recounting the federation's agents failed: {}", e.toString());
        }
    }

    /**
     * Counts the live entries of the map and corrects the counts that differ, each only if it did
     * not change while the map was counted (a compare-and-set from the value read before).
     */
    void recount() {
        Map<String, Long> before = new HashMap<>(counts);
        Map<String, Long> perHost = agents.aggregate(new LiveCountAggregator());
        Map<String, Long> actual = new HashMap<>();
        long total = 0;
        for (Map.Entry<String, Long> host : perHost.entrySet()) {
            actual.put(HOST_PREFIX + host.getKey(), host.getValue());
            total += host.getValue();
        }
        if (total > 0) {
            actual.put(TOTAL, total);
        }
        Set<String> keys = new HashSet<>(before.keySet());
        keys.addAll(actual.keySet());
        int corrected = 0;
        for (String key : keys) {
            Long was = before.get(key);
            Long is = actual.get(key);
            if (is != null && is.equals(was)) {
                continue;
            }
            boolean done;
            if (was == null) {
                done = counts.putIfAbsent(key, is) == null;
            } else if (is == null) {
                done = counts.remove(key, was);
            } else {
                done = counts.replace(key, was, is);
            }
            if (done) {
                corrected++;
                LOG.debug("Federation agent count {} corrected from {} to {}", key, was, is);
            }
        }
        if (corrected > 0) {
            LOG.info("Recounting the federation's agents corrected {} count(s); {} agents in total", corrected, total);
        }
    }

    /** Stops recounting. */
    @Override
    public void close() {
        recounts.shutdownNow();
    }
}
