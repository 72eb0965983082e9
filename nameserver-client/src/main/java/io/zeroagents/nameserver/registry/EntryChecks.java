package io.zeroagents.nameserver.registry;

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
     * Checks the host id of a heartbeat.
     *
     * @param hostId the id
     * @throws IllegalArgumentException if it is blank
     */
    public static void requireHeartbeatHost(@Nullable String hostId) {
        requireNonBlank(hostId, "Heartbeat has a blank host_id; the agent host must send its own id");
    }

    /**
     * The refusal of a change to an entry by a host that does not hold it.
     *
     * @param held   the entry as held
     * @param hostId the host that asked
     * @return the exception to throw
     */
    public static NotOwnerException notOwner(AgentEntry held, String hostId) {
        return new NotOwnerException("Agent '" + held.getName() + "' is registered by host " + held.getHostId()
                + holderSuffix(held) + ", not by host " + hostId + "; only the host that registered it may change it");
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
