package io.zeroagents.nameserver.registry;

import io.zeroagents.DuplicateAgentNameException;
import io.zeroagents.nameserver.protocol.AddressEntry;
import io.zeroagents.nameserver.protocol.AgentEntry;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The checks every {@link Registry} applies to what it is given, with the same messages, so that a
 * host sees the same refusal from a single name server and from a federation.
 *
 * @since 0.1
 */
public final class EntryChecks {

    private EntryChecks() {
    }

    /**
     * Checks an entry to register: a name, a host id, and addresses with distinct, non-blank aliases.
     *
     * @param entry the entry
     * @throws IllegalArgumentException naming the agent and what is wrong
     */
    public static void requireValidEntry(AgentEntry entry) {
        Objects.requireNonNull(entry, "entry");
        requireNonBlank(entry.getName(), "Agent entry has a blank name; every agent needs a name");
        requireNonBlank(entry.getHostId(),
                "Agent entry '" + entry.getName() + "' has a blank host_id; the owning agent host must set it");
        Set<String> seen = new HashSet<>();
        for (AddressEntry address : entry.getAddressesList()) {
            requireNonBlank(address.getAlias(),
                    "Agent entry '" + entry.getName() + "' has an address with a blank alias");
            if (!seen.add(address.getAlias())) {
                throw new IllegalArgumentException("Agent entry '" + entry.getName()
                        + "' has two addresses with alias '" + address.getAlias() + "'");
            }
        }
    }

    /**
     * Checks an address to add to an agent: it needs an alias.
     *
     * @param name    the agent's name, for the message
     * @param address the address
     * @throws IllegalArgumentException if the alias is blank
     */
    public static void requireValidAddress(String name, AddressEntry address) {
        Objects.requireNonNull(address, "address");
        requireNonBlank(address.getAlias(),
                "Address for agent '" + name + "' has a blank alias; every address needs one");
    }

    /**
     * Checks the host id of a heartbeat: a label for logs and the console, but one a host must send.
     *
     * @param hostId the id
     * @throws IllegalArgumentException if it is blank
     */
    public static void requireHeartbeatHost(@Nullable String hostId) {
        requireNonBlank(hostId, "Heartbeat has a blank host_id; the agent host must send its own id");
    }

    /**
     * The refusal of a change to an entry by someone who does not hold its key. It names the holder
     * by its host id, which anyone may read, and never says anything of the key.
     *
     * @param held the entry as held
     * @return the exception to throw
     */
    public static NotOwnerException notOwner(AgentEntry held) {
        return new NotOwnerException("Agent '" + held.getName() + "' is registered by host " + held.getHostId()
                + holderSuffix(held) + " and the request did not carry that host's secret; only the host that"
                + " registered an agent may change or remove it (an admin may evict it)");
    }

    /**
     * The refusal of a registration of a name held under another key.
     *
     * @param held the entry as held
     * @return the exception to throw
     */
    public static DuplicateAgentNameException duplicate(AgentEntry held) {
        return new DuplicateAgentNameException("Agent name '" + held.getName()
                + "' is already registered by host " + held.getHostId() + holderSuffix(held)
                + " (with another host secret)");
    }

    /**
     * The refusal of a new entry beyond the limit in total, {@code zeroagents.nameserver.max.agents}.
     *
     * @param entry  the entry refused
     * @param held   how many agents the registry holds
     * @param holder who holds them, for the message: {@code "the name server"}, {@code "the federation"}
     * @param setting the setting that raises the limit (the caller's module reads the settings)
     * @return the exception to throw
     */
    public static RegistryFullException fullInTotal(AgentEntry entry, long held, String holder, String setting) {
        return new RegistryFullException("Agent '" + entry.getName() + "' of host " + entry.getHostId() + " was not"
                + " registered: " + holder + " holds " + held + " agents, its limit (" + setting + ")");
    }

    /**
     * The refusal of a new entry beyond the limit per host,
     * {@code zeroagents.nameserver.max.agents.per.host}.
     *
     * @param entry the entry refused
     * @param held  how many agents of its host the registry holds
     * @param where where they are held, for the message: {@code "here"}, {@code "in the federation"}
     * @param setting the setting that raises the limit
     * @return the exception to throw
     */
    public static RegistryFullException fullForHost(AgentEntry entry, long held, String where, String setting) {
        return new RegistryFullException("Agent '" + entry.getName() + "' of host " + entry.getHostId() + " was not"
                + " registered: that host holds " + held + " agents " + where + ", the limit per host (" + setting
                + ")");
    }

    /**
     * Describes where the holder of a name lives, for messages: {@code " through name server host 'x'"}
     * in a federation, nothing on a single name server.
     *
     * @param held the entry as held
     * @return the description, starting with a space, or empty
     */
    public static String holderSuffix(AgentEntry held) {
        return held.getNameserverHost().isEmpty() ? ""
                : " through name server host '" + held.getNameserverHost() + "'";
    }

    private static void requireNonBlank(@Nullable String value, String message) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(message);
        }
    }
}
