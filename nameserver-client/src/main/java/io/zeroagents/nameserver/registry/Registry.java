package io.zeroagents.nameserver.registry;

import io.zeroagents.DuplicateAgentNameException;
import io.zeroagents.UnknownAgentException;
import io.zeroagents.nameserver.protocol.AddressEntry;
import io.zeroagents.nameserver.protocol.AgentEntry;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The name server's table of agents: each name is held by one agent host for as long as its lease
 * runs.
 *
 * <p>Every entry is owned by the agent host that registered it, which proves it with its secret
 * ({@link OwnerKey}; the registry keeps only the digest). Only a request with the same key may
 * replace, renew, change or remove the entry, and no other key may take the name while the lease
 * runs. The entry's {@code host_id} is a label: equal host ids with different keys are different
 * owners. An admin may {@link #evict} any entry. Registration and renewal extend the lease to
 * {@link #lease()} from now; an entry whose lease ran out is invisible to every method at once and
 * is removed by {@link #expire()}.
 *
 * <p>Entries returned carry the time left on their lease in {@code lease_remaining_ms}; the value
 * in entries passed in is ignored.
 *
 * <p>Implementations are thread-safe. {@code LocalRegistry} (artifact {@code nameserver}) keeps
 * entries in memory for one name server; {@code io.zeroagents.nameserver.federation.FederatedRegistry}
 * (artifact {@code nameserver-federation}) shares them between name servers on many hosts.
 *
 * @since 0.1
 */
public interface Registry {

    /**
     * Stores an entry, or replaces the entry of the same name when it was registered with the same
     * key, and starts its lease.
     *
     * <p>Replacing is how an agent host re-registers its agents after a name-server restart or a
     * lost lease.
     *
     * @param entry the agent to register
     * @param owner the key of the host registering it
     * @throws DuplicateAgentNameException if the name is held under another key
     * @throws IllegalArgumentException    if the name or host id is blank, or two addresses share
     *                                     an alias
     * @throws RegistryFullException       if the entry is new and the registry holds as many agents
     *                                     as its limits allow, in total or for the entry's host
     */
    void register(AgentEntry entry, OwnerKey owner);

    /**
     * Removes an entry.
     *
     * @param name  the agent's name
     * @param owner the key of the host asking
     * @return {@code true} if the entry was removed, {@code false} if no live entry had that name
     * @throws NotOwnerException if the name is held under another key
     */
    boolean unregister(String name, OwnerKey owner);

    /**
     * Removes an entry whichever key holds it: an admin's operation, which the name server allows
     * only to admins.
     *
     * @param name the agent's name
     * @return the entry removed, or empty if no live entry had that name
     */
    Optional<AgentEntry> evict(String name);

    /**
     * Renews the leases of the named agents held under the key.
     *
     * @param owner the key of the host whose agents are renewed
     * @param names the names to renew
     * @return the names not held under the key (never registered, held under another key, or whose
     *     lease ran out), in the order given; the host must register them again
     */
    List<String> renew(OwnerKey owner, Collection<String> names);

    /**
     * Finds a live entry by name.
     *
     * @param name the agent's name
     * @return the entry with the time left on its lease, or empty if no live entry has that name
     */
    Optional<AgentEntry> lookup(String name);

    /**
     * Lists every live entry.
     *
     * @return the entries sorted by name, each with the time left on its lease
     */
    List<AgentEntry> list();

    /**
     * Adds an address to an agent, replacing its address of the same alias; the lease is not
     * renewed.
     *
     * @param name    the agent's name
     * @param owner   the key of the host asking
     * @param address the address to store
     * @throws UnknownAgentException    if no live entry has that name
     * @throws NotOwnerException        if the name is held under another key
     * @throws IllegalArgumentException if the alias is blank
     */
    void putAddress(String name, OwnerKey owner, AddressEntry address);

    /**
     * Removes an agent's address; an alias the agent does not have is ignored.
     *
     * @param name  the agent's name
     * @param owner the key of the host asking
     * @param alias the alias of the address to remove
     * @throws UnknownAgentException if no live entry has that name
     * @throws NotOwnerException     if the name is held under another key
     */
    void removeAddress(String name, OwnerKey owner, String alias);

    /**
     * Removes the entries whose lease ran out.
     *
     * <p>The name server calls this periodically so that it can report the agents that vanished;
     * correctness does not depend on it, since such entries are already invisible.
     *
     * @return the entries removed, sorted by name
     */
    List<AgentEntry> expire();

    /**
     * Returns how long a registration or renewal keeps an entry alive.
     *
     * @return the lease duration, positive
     */
    Duration lease();
}
