package io.zeroagents.nameserver.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import com.hazelcast.map.IMap;
import com.hazelcast.spi.exception.RetryableHazelcastException;
import com.hazelcast.test.Accessors;
import io.zeroagents.nameserver.federation.storage.StoredEntry;
import io.zeroagents.nameserver.protocol.AgentEntry;
import io.zeroagents.nameserver.registry.OwnerKey;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The attacks reported on a federated name server's Hazelcast member port, made the way an attacker
 * would: a stock Hazelcast client (the one in the hazelcast jar) pointed at the port, and a Java
 * serialization gadget handed to the member. Each test starts one member with the daemon's
 * defaults (a name server on loopback, the default cluster name, a secret the attacker does not
 * have), on a free port.
 */
@Timeout(120)
class MemberPortAttackTest {

    private static final String CONTROL = "tcp://127.0.0.1:7000";
    private static final String FORGED = "tcp://attacker.example:6666";

    private FederationSettings settings;
    private FederatedRegistry registry;

    @BeforeEach
    void start() {
        settings = FederationSettings.builder().hostId("ns-a").clusterPort(0).clusterSecret(TestFederation.SECRET)
                .nameServerEndpoint("tcp://127.0.0.1:9091").lease(Duration.ofSeconds(60)).build();
        registry = FederatedRegistry.start(settings);
        registry.register(AgentEntry.newBuilder().setName("Victim").setHostId("host-v").setControlEndpoint(CONTROL)
                .build(), OwnerKey.ofSecret(OwnerKey.newSecret()));
    }

    @AfterEach
    void stop() {
        registry.crash();
    }

    /** A stock client with the given cluster name, or empty when the member would not have it. */
    private Optional<HazelcastInstance> stockClient(String clusterName) {
        ClientConfig config = new ClientConfig();
        config.setClusterName(clusterName);
        config.getNetworkConfig().addAddress(registry.memberAddress());
        config.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(5_000);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        try {
            return Optional.of(HazelcastClient.newHazelcastClient(config));
        } catch (IllegalStateException refused) {
            // "Unable to connect to any cluster": what the member should answer a stranger.
            return Optional.empty();
        }
    }

    @Test
    void stockClient_withTheDefaultClusterName_cannotConnect() {
        Optional<HazelcastInstance> client = stockClient(FederationSettings.DEFAULT_CLUSTER_NAME);
        client.ifPresent(HazelcastInstance::shutdown);

        assertTrue(client.isEmpty(), "a stock Hazelcast client with the default cluster name connected to "
                + registry.memberAddress());
    }

    @Test
    void stockClient_withTheFederationsOwnClusterName_cannotConnect_forTheMemberPortTakesMembersOnly() {
        Optional<HazelcastInstance> client = stockClient(MemberConfig.hazelcastClusterName(settings));
        client.ifPresent(HazelcastInstance::shutdown);

        assertTrue(client.isEmpty(), "a stock Hazelcast client that knew the cluster name connected");
    }

    @Test
    void stockClient_cannotReadDeleteOrForgeEntries_andTheNameServerServesTheRealAddress() {
        List<String> done = new ArrayList<>();
        Optional<HazelcastInstance> client = stockClient(FederationSettings.DEFAULT_CLUSTER_NAME);
        client.ifPresent(attacker -> {
            // The attack as reported: read the entry, delete it, put a forged one in its place.
            IMap<String, byte[]> agents = attacker.getMap(MemberConfig.MAP_NAME);
            if (agents.get("Victim") != null) {
                done.add("read");
            }
            agents.delete("Victim");
            if (registry.lookup("Victim").isEmpty()) {
                done.add("deleted");
            }
            agents.put("Victim", StoredEntry.newBuilder()
                    .setAgent(AgentEntry.newBuilder().setName("Victim").setHostId("host-v").setControlEndpoint(FORGED))
                    .setRegisteredAtMs(System.currentTimeMillis())
                    .setLeaseDeadlineMs(System.currentTimeMillis() + 60_000).build().toByteArray());
            done.add("forged");
            attacker.shutdown();
        });

        assertEquals(List.of(), done, "what a stock client did to the registry");
        assertEquals(CONTROL, registry.lookup("Victim").orElseThrow().getControlEndpoint());
    }

    @Test
    void memberPort_listensOnlyOnTheAddressItAnnounces() throws IOException {
        String announced = registry.memberAddress();
        int port = Integer.parseInt(announced.substring(announced.lastIndexOf(':') + 1));
        String host = announced.substring(0, announced.lastIndexOf(':'));

        List<String> accepted = new ArrayList<>();
        for (InetAddress local : localAddresses()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(local, port), 2_000);
                accepted.add(local.getHostAddress());
            } catch (IOException refused) {
                // Not listening there: what it should be everywhere but the announced address.
            }
        }

        assertEquals(List.of(InetAddress.getByName(host).getHostAddress()), accepted,
                "the addresses of this machine where the member port " + port + " accepted a connection");
    }

    @Test
    void javaSerializedGadget_reachingTheMember_isNotDeserialized() {
        Gadget.readObjectRan = false;
        InternalSerializationService attacker = new DefaultSerializationServiceBuilder().build();
        Data gadget = attacker.toData(new Gadget());

        InternalSerializationService member = Accessors.getSerializationService(registry.member());
        assertThrows(RuntimeException.class, () -> member.toObject(gadget));

        assertFalse(Gadget.readObjectRan, "the member ran a gadget's readObject");
    }

    @Test
    void javaSerializedExceptions_thatMembersAnswerEachOtherWith_areStillRead() {
        InternalSerializationService other = new DefaultSerializationServiceBuilder().build();
        RetryableHazelcastException retry = new RetryableHazelcastException("partition migrating");
        retry.addSuppressed(new IllegalArgumentException("also"));
        HazelcastException failed = new HazelcastException("failed", new IllegalStateException("cause"));

        InternalSerializationService member = Accessors.getSerializationService(registry.member());
        Object readRetry = member.toObject(other.toData(retry));
        Object readFailed = member.toObject(other.toData(failed));

        assertEquals("partition migrating", ((Throwable) readRetry).getMessage());
        assertEquals("also", ((Throwable) readRetry).getSuppressed()[0].getMessage());
        assertEquals("cause", ((Throwable) readFailed).getCause().getMessage());
    }

    private static List<InetAddress> localAddresses() throws SocketException {
        List<InetAddress> addresses = new ArrayList<>();
        for (NetworkInterface network : NetworkInterface.networkInterfaces().toList()) {
            if (network.isUp()) {
                network.inetAddresses().filter(a -> !a.isLinkLocalAddress()).forEach(addresses::add);
            }
        }
        return addresses;
    }

    /** Stands for a deserialization gadget: a class whose {@code readObject} does something. */
    static final class Gadget implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        static volatile boolean readObjectRan;

        @Serial
        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            readObjectRan = true;
        }
    }
}
