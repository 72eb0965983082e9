package io.zeroagents.nameserver.registry;

import io.zeroagents.UnknownAgentException;
import io.zeroagents.nameserver.protocol.AddressEntry;
import io.zeroagents.nameserver.protocol.AgentEntry;
import io.zeroagents.settings.ZeroAgentsSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Registry} held in memory, for a single name server.
 *
 * <p>Thread-safe: every method runs under one lock, which is cheap at name-server request rates.
 * Leases are measured on a monotonic nanosecond clock ({@link System#nanoTime()} unless a test
 * supplies its own), so wall-clock changes neither shorten nor extend them.
 *
 * <p>Bounded: it holds at most {@code maxAgents} entries, and at most {@code maxAgentsPerHost} of
 * one host id ({@code zeroagents.nameserver.max.agents} and {@code .per.host} unless given); a
 * new entry beyond either is refused with a {@link RegistryFullException}, while renewals and
 * re-registrations of entries held go on. Entries whose lease ran out make room at once (they are
 * still reported by the next {@link #expire()}).
 *
 * @since 0.1
 */
public final class LocalRegistry implements Registry {

    private static final long NANOS_PER_MILLI = 1_000_000L;

    private final Duration lease;
    private final long leaseNanos;
    private final LongSupplier nanoClock;
    private final int maxAgents;
    private final int maxAgentsPerHost;
    private final Object lock = new Object();
    // Guarded by lock. Expired entries stay here until expire(), so it can report them.
    private final Map<String, Leased> entries = new HashMap<>();
    // Guarded by lock: how many of entries each host id holds, expired ones included.
    private final Map<String, Integer> perHost = new HashMap<>();
    // Guarded by lock: expired entries taken out early to make room, which the next expire() reports.
    private final List<AgentEntry> collected = new ArrayList<>();

    /**
     * Creates an empty registry on the system's monotonic clock.
     *
     * @param lease how long a registration or renewal keeps an entry alive; positive
     */
    public LocalRegistry(Duration lease) {
        this(lease, System::nanoTime);
    }

    /**
     * Creates an empty registry on the system's monotonic clock, with limits of its own.
     *
     * @param lease            how long a registration or renewal keeps an entry alive; positive
     * @param maxAgents        the most entries it holds; positive
     * @param maxAgentsPerHost the most entries of one host id it holds; positive
     */
    public LocalRegistry(Duration lease, int maxAgents, int maxAgentsPerHost) {
        this(lease, System::nanoTime, maxAgents, maxAgentsPerHost);
    }

    /**
     * Creates an empty registry on the given clock, so that tests can move time by hand.
     *
     * @param lease     how long a registration or renewal keeps an entry alive; positive
     * @param nanoClock a monotonic clock in nanoseconds, read like {@link System#nanoTime()}
     */
    public LocalRegistry(Duration lease, LongSupplier nanoClock) {
        this(lease, nanoClock, ZeroAgentsSettings.NAMESERVER_MAX_AGENTS.read(),
                ZeroAgentsSettings.NAMESERVER_MAX_AGENTS_PER_HOST.read());
    }

    /**
     * Creates an empty registry on the given clock, with limits of its own.
     *
     * @param lease            how long a registration or renewal keeps an entry alive; positive
     * @param nanoClock        a monotonic clock in nanoseconds, read like {@link System#nanoTime()}
     * @param maxAgents        the most entries it holds; positive
     * @param maxAgentsPerHost the most entries of one host id it holds; positive
     */
    public LocalRegistry(Duration lease, LongSupplier nanoClock, int maxAgents, int maxAgentsPerHost) {
        Objects.requireNonNull(lease, "lease");
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("Lease must be positive, got " + lease);
        }
        if (maxAgents <= 0 || maxAgentsPerHost <= 0) {
            throw new IllegalArgumentException("Registry limits must be positive, got " + maxAgents + " agents and "
                    + maxAgentsPerHost + " per host");
        }
        this.lease = lease;
        this.leaseNanos = saturatedNanos(lease);
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.maxAgents = maxAgents;
        this.maxAgentsPerHost = maxAgentsPerHost;
    }

    @Override
    public void register(AgentEntry entry, OwnerKey owner) {
        EntryChecks.requireValidEntry(entry);
        Objects.requireNonNull(owner, "owner");
        AgentEntry stored = entry.toBuilder().clearLeaseRemainingMs().clearNameserverHost().build();
        synchronized (lock) {
            long now = nanoClock.getAsLong();
            Leased held = live(entry.getName(), now);
            if (held != null && !owner.equals(held.owner())) {
                throw EntryChecks.duplicate(held.entry());
            }
            requireRoom(entry, now);
            store(entry.getName(), new Leased(stored, owner, now + leaseNanos));
        }
    }

    /** Refuses a new entry, or one moving to another host, beyond the limits; makes room from expired ones first. */
    private void requireRoom(AgentEntry entry, long now) {
        Leased previous = entries.get(entry.getName());
        String host = entry.getHostId();
        boolean newHere = previous == null || !previous.entry().getHostId().equals(host);
        if (previous == null && entries.size() >= maxAgents) {
            collectExpired(now);
            if (entries.size() >= maxAgents) {
                throw EntryChecks.fullInTotal(entry, entries.size(), "the name server",
                        ZeroAgentsSettings.NAMESERVER_MAX_AGENTS.property());
            }
        }
        if (newHere && perHost.getOrDefault(host, 0) >= maxAgentsPerHost) {
            collectExpired(now);
            if (perHost.getOrDefault(host, 0) >= maxAgentsPerHost) {
                throw EntryChecks.fullForHost(entry, perHost.get(host), "here",
                        ZeroAgentsSettings.NAMESERVER_MAX_AGENTS_PER_HOST.property());
            }
        }
    }

    /** Puts an entry, keeping the count per host. */
    private void store(String name, Leased leased) {
        Leased previous = entries.put(name, leased);
        if (previous != null) {
            uncount(previous);
        }
        perHost.merge(leased.entry().getHostId(), 1, Integer::sum);
    }

    /** Removes an entry, keeping the count per host. */
    private void drop(String name) {
        Leased previous = entries.remove(name);
        if (previous != null) {
            uncount(previous);
        }
    }

    private void uncount(Leased leased) {
        perHost.computeIfPresent(leased.entry().getHostId(), (host, count) -> count == 1 ? null : count - 1);
    }

    /** Takes the expired entries out now, for the next {@link #expire()} to report. */
    private void collectExpired(long now) {
        Iterator<Leased> it = entries.values().iterator();
        while (it.hasNext()) {
            Leased leased = it.next();
            if (leased.expiredAt(now)) {
                collected.add(leased.entry());
                uncount(leased);
                it.remove();
            }
        }
    }

    @Override
    public boolean unregister(String name, OwnerKey owner) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(owner, "owner");
        synchronized (lock) {
            Leased held = live(name, nanoClock.getAsLong());
            if (held == null) {
                return false;
            }
            requireOwner(held, owner);
            drop(name);
            return true;
        }
    }

    @Override
    public Optional<AgentEntry> evict(String name) {
        Objects.requireNonNull(name, "name");
        synchronized (lock) {
            Leased held = live(name, nanoClock.getAsLong());
            if (held == null) {
                return Optional.empty();
            }
            drop(name);
            return Optional.of(held.entry());
        }
    }

    @Override
    public List<String> renew(OwnerKey owner, Collection<String> names) {
        Objects.requireNonNull(names, "names");
        Objects.requireNonNull(owner, "owner");
        Set<String> unknown = new LinkedHashSet<>();
        synchronized (lock) {
            long now = nanoClock.getAsLong();
            for (String name : names) {
                Leased held = live(name, now);
                // Only the secret renews: a host id anyone can read must not keep another's entry alive.
                if (held != null && owner.equals(held.owner())) {
                    entries.put(name, new Leased(held.entry(), held.owner(), now + leaseNanos));
                } else {
                    unknown.add(name);
                }
            }
        }
        return List.copyOf(unknown);
    }

    @Override
    public Optional<AgentEntry> lookup(String name) {
        Objects.requireNonNull(name, "name");
        synchronized (lock) {
            long now = nanoClock.getAsLong();
            Leased held = live(name, now);
            return held == null ? Optional.empty() : Optional.of(held.withRemaining(now));
        }
    }

    @Override
    public List<AgentEntry> list() {
        List<AgentEntry> live = new ArrayList<>();
        synchronized (lock) {
            long now = nanoClock.getAsLong();
            for (Leased leased : entries.values()) {
                if (!leased.expiredAt(now)) {
                    live.add(leased.withRemaining(now));
                }
            }
        }
        live.sort(Comparator.comparing(AgentEntry::getName));
        return List.copyOf(live);
    }

    @Override
    public void putAddress(String name, OwnerKey owner, AddressEntry address) {
        EntryChecks.requireValidAddress(name, address);
        synchronized (lock) {
            Leased held = owned(name, owner);
            AgentEntry.Builder changed = held.entry().toBuilder();
            int index = aliasIndex(held.entry(), address.getAlias());
            if (index >= 0) {
                changed.setAddresses(index, address);
            } else {
                changed.addAddresses(address);
            }
            entries.put(name, new Leased(changed.build(), held.owner(), held.deadlineNanos()));
        }
    }

    @Override
    public void removeAddress(String name, OwnerKey owner, String alias) {
        Objects.requireNonNull(alias, "alias");
        synchronized (lock) {
            Leased held = owned(name, owner);
            int index = aliasIndex(held.entry(), alias);
            if (index >= 0) {
                AgentEntry changed = held.entry().toBuilder().removeAddresses(index).build();
                entries.put(name, new Leased(changed, held.owner(), held.deadlineNanos()));
            }
        }
    }

    @Override
    public List<AgentEntry> expire() {
        List<AgentEntry> expired;
        synchronized (lock) {
            collectExpired(nanoClock.getAsLong());
            expired = new ArrayList<>(collected);
            collected.clear();
        }
        expired.sort(Comparator.comparing(AgentEntry::getName));
        return List.copyOf(expired);
    }

    @Override
    public Duration lease() {
        return lease;
    }

    private @Nullable Leased live(String name, long now) {
        Leased leased = entries.get(name);
        return leased == null || leased.expiredAt(now) ? null : leased;
    }

    private Leased owned(String name, OwnerKey owner) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(owner, "owner");
        Leased held = live(name, nanoClock.getAsLong());
        if (held == null) {
            throw new UnknownAgentException("No agent named '" + name + "' is registered");
        }
        requireOwner(held, owner);
        return held;
    }

    private static void requireOwner(Leased held, OwnerKey owner) {
        if (!owner.equals(held.owner())) {
            throw EntryChecks.notOwner(held.entry());
        }
    }

    private static int aliasIndex(AgentEntry entry, String alias) {
        for (int i = 0; i < entry.getAddressesCount(); i++) {
            if (entry.getAddresses(i).getAlias().equals(alias)) {
                return i;
            }
        }
        return -1;
    }

    // A lease of centuries is as good as forever; saturating avoids Duration.toNanos overflowing.
    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4;
        }
    }

    // The owner's key (the digest of its secret) lives beside the entry, never in it: entries go out in answers.
    private record Leased(AgentEntry entry, OwnerKey owner, long deadlineNanos) {

        // Compared by difference, as System.nanoTime() requires, since the clock may wrap.
        boolean expiredAt(long now) {
            return now - deadlineNanos >= 0;
        }

        AgentEntry withRemaining(long now) {
            long remainingNanos = Math.max(0, deadlineNanos - now);
            long remainingMillis = (remainingNanos + NANOS_PER_MILLI - 1) / NANOS_PER_MILLI;
            return entry.toBuilder().setLeaseRemainingMs(remainingMillis).build();
        }
    }
}
