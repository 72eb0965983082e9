package io.zeroagents.nameserver;

import io.zeroagents.nameserver.protocol.AddressEntry;
import io.zeroagents.nameserver.protocol.AgentEntry;

/**
 * Builds the agent and address entries the name-server tests register.
 */
public final class TestEntries {

    private TestEntries() {
    }

    /**
     * Returns an entry for an agent of a host, with a control endpoint and one metadata pair.
     *
     * @param name   the agent's name
     * @param hostId the owning host
     * @return the entry, without addresses
     */
    public static AgentEntry agent(String name, String hostId) {
        return AgentEntry.newBuilder()
                .setName(name)
                .setHostId(hostId)
                .setControlEndpoint("tcp://127.0.0.1:7000")
                .putMetadata("class", "Greeter")
                .build();
    }

    /**
     * Returns a PUSH address with the string codec.
     *
     * @param alias    the socket's alias
     * @param endpoint where peers connect
     * @return the address
     */
    public static AddressEntry address(String alias, String endpoint) {
        return AddressEntry.newBuilder()
                .setAlias(alias)
                .setEndpoint(endpoint)
                .setPattern("PUSH")
                .setCodec("string")
                .build();
    }
}
