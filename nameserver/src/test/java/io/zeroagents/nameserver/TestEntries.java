package io.zeroagents.nameserver;

import com.google.protobuf.ByteString;
import io.zeroagents.nameserver.protocol.AddressEntry;
import io.zeroagents.nameserver.protocol.AgentEntry;
import io.zeroagents.nameserver.registry.OwnerKey;
import java.nio.charset.StandardCharsets;

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
     * Returns the secret of a test host: the same for the same host label, so that tests name hosts
     * as before; two labels never share a secret. Real hosts use {@link OwnerKey#newSecret()}.
     *
     * @param hostId the host's label
     * @return its secret, 16 bytes or more
     */
    public static ByteString secret(String hostId) {
        return ByteString.copyFrom("test-host-secret:" + hostId, StandardCharsets.UTF_8);
    }

    /**
     * Returns the registry key of a test host, from {@link #secret(String)}.
     *
     * @param hostId the host's label
     * @return its key
     */
    public static OwnerKey owner(String hostId) {
        return OwnerKey.ofSecret(secret(hostId));
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
