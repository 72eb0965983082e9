package io.zeroagents.nameserver;

import io.zeroagents.nameserver.protocol.AddressEntry;
import io.zeroagents.nameserver.protocol.AgentEntry;
import org.jspecify.annotations.Nullable;

/**
 * Which server keys a name server records with the entries and addresses a host registers: with
 * CURVE, the public key the host authenticated with, whatever its request said. A host serves its
 * control endpoint and its agents' sockets with the key pair it connects with, so the key the
 * name server hands out with an address is the one only that host can answer to, and no member can
 * have another key recorded for its entries. Without CURVE (no authenticated key) the request's
 * keys are kept as they are: they are empty then, as plain-text hosts serve without keys.
 */
final class ServerKeys {
    private ServerKeys() {
    }

    /**
     * An entry with the client's key as the key of its control endpoint and of every address.
     *
     * @param entry     the entry a host registers
     * @param clientKey the key the host authenticated with, or null without CURVE
     * @return the entry to store
     */
    static AgentEntry recorded(AgentEntry entry, @Nullable String clientKey) {
        if (clientKey == null) {
            return entry;
        }
        AgentEntry.Builder recorded = entry.toBuilder().setControlServerKey(clientKey);
        for (int i = 0; i < recorded.getAddressesCount(); i++) {
            recorded.setAddresses(i, recorded(recorded.getAddresses(i), clientKey));
        }
        return recorded.build();
    }

    /**
     * An address with the client's key as its server key.
     *
     * @param address   the address a host adds
     * @param clientKey the key the host authenticated with, or null without CURVE
     * @return the address to store
     */
    static AddressEntry recorded(AddressEntry address, @Nullable String clientKey) {
        return clientKey == null ? address : address.toBuilder().setServerKey(clientKey).build();
    }
}
