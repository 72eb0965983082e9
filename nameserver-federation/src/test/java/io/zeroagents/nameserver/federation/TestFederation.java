package io.zeroagents.nameserver.federation;

import com.hazelcast.cluster.Address;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.FirewallingNodeContext;
import com.hazelcast.instance.impl.HazelcastInstanceFactory;
import com.hazelcast.instance.impl.Node;
import com.hazelcast.internal.server.FirewallingServer;
import com.hazelcast.test.Accessors;
import io.zeroagents.testsupport.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A federation of name-server registries in this JVM, on loopback: each member on a port of its
 * own, every member listing all the others as peers, with short Hazelcast timeouts so that
 * failures are noticed and partitions heal within seconds.
 *
 * <p>Members run on Hazelcast's firewalling network layer (from its test jar): real TCP
 * connections that a test can block between two members, which is how {@link #partition} cuts
 * the federation in two and {@link #heal} joins it again.
 */
final class TestFederation implements AutoCloseable {

    /** Hazelcast settings that make a test federation notice failures and heal splits quickly. */
    static final Map<String, String> FAST = Map.of(
            "hazelcast.partition.count", "31",
            "hazelcast.heartbeat.interval.seconds", "1",
            "hazelcast.max.no.heartbeat.seconds", "3",
            "hazelcast.merge.first.run.delay.seconds", "2",
            "hazelcast.merge.next.run.delay.seconds", "2",
            "hazelcast.wait.seconds.before.join", "0",
            "hazelcast.graceful.shutdown.max.wait", "5");

    /** The secret every test member shares (each federation has a cluster name of its own). */
    static final String SECRET = "test-federation-secret-0123456789";

    private static final Duration CONVERGE = Duration.ofSeconds(60);

    private final Duration lease;
    private final int maxAgents;
    private final int maxAgentsPerHost;
    private final List<Integer> ports = new ArrayList<>();
    private final List<FederatedRegistry> members = new ArrayList<>();

    private TestFederation(Duration lease, int size, int maxAgents, int maxAgentsPerHost) {
        this.lease = lease;
        this.maxAgents = maxAgents;
        this.maxAgentsPerHost = maxAgentsPerHost;
        for (int i = 0; i < size; i++) {
            int port;
            do {
                // A random pick is free until Hazelcast binds it, so it can be picked twice.
                port = freePort();
            } while (ports.contains(port));
            ports.add(port);
        }
    }

    /**
     * Starts a federation and waits until every member sees all the others.
     *
     * @param size  how many members
     * @param lease the lease of every member
     * @return the federation
     */
    static TestFederation start(int size, Duration lease) {
        return start(size, lease, 1_000_000, 1_000_000);
    }

    /**
     * Starts a federation whose registry has limits of its own, and waits until every member sees
     * all the others.
     *
     * @param size             how many members
     * @param lease            the lease of every member
     * @param maxAgents        the agents the federation holds at most
     * @param maxAgentsPerHost the agents of one host it holds at most
     * @return the federation
     */
    static TestFederation start(int size, Duration lease, int maxAgents, int maxAgentsPerHost) {
        TestFederation federation = new TestFederation(lease, size, maxAgents, maxAgentsPerHost);
        try {
            for (int i = 0; i < size; i++) {
                federation.members.add(federation.startMember(i));
            }
            federation.awaitClusterSize(size);
            federation.awaitSettled();
        } catch (RuntimeException | Error e) {
            federation.close();
            throw e;
        }
        return federation;
    }

    /**
     * Returns a member.
     *
     * @param index its index, from 0
     * @return the registry of the member
     */
    FederatedRegistry member(int index) {
        return members.get(index);
    }

    /** Returns every member. */
    List<FederatedRegistry> members() {
        return List.copyOf(members);
    }

    /** Returns the host id of member {@code index}: {@code ns-<index>}. */
    static String hostId(int index) {
        return "ns-" + index;
    }

    /**
     * Stops a member as a crash would, without handing its share of the map over.
     *
     * @param index the member
     */
    void crash(int index) {
        members.get(index).crash();
    }

    /**
     * Starts member {@code index} again, on its old port, and waits until the federation is whole.
     *
     * @param index the member
     * @return its new registry
     */
    FederatedRegistry restart(int index) {
        FederatedRegistry restarted = startMember(index);
        members.set(index, restarted);
        awaitClusterSize(members.size());
        return restarted;
    }

    /**
     * Cuts the network between two groups of members, both ways, and waits until each side sees
     * only itself.
     *
     * @param side  the members of one side
     * @param other the members of the other side
     */
    void partition(List<Integer> side, List<Integer> other) {
        for (int a : side) {
            for (int b : other) {
                block(a, b);
                block(b, a);
            }
        }
        for (int a : side) {
            Await.until(CONVERGE, () -> members.get(a).members().size() == side.size(),
                    "member " + a + " to see only its side " + side);
        }
        for (int b : other) {
            Await.until(CONVERGE, () -> members.get(b).members().size() == other.size(),
                    "member " + b + " to see only its side " + other);
        }
    }

    /**
     * Lets every member reach every other again and waits until Hazelcast has merged the sides
     * into one federation.
     */
    void heal() {
        for (int a = 0; a < members.size(); a++) {
            for (int b = 0; b < members.size(); b++) {
                if (a != b) {
                    connectionManager(a).unblock(address(b));
                    // A member that saw another cluster's member blacklists it for joins; forget that.
                    node(a).getJoiner().unblacklist(address(b));
                }
            }
        }
        awaitClusterSize(members.size());
    }

    /**
     * Waits until no partition of the cluster is migrating, then has each member read once. A
     * federation's first reads and changes, while its partitions still move to the members that
     * just joined and its code paths are cold, took seconds on a loaded 2-core machine: longer than
     * the few seconds' lease of a test, whose entry then ran out before the test checked it.
     */
    private void awaitSettled() {
        for (FederatedRegistry member : members) {
            Await.until(CONVERGE, () -> member.member().getPartitionService().isClusterSafe(),
                    member.hostId() + " to have no partition migrating");
        }
        for (FederatedRegistry member : members) {
            member.lookup("settled-" + member.hostId());
        }
    }

    /**
     * Waits until every running member sees the given number of members.
     *
     * @param size the expected cluster size
     */
    void awaitClusterSize(int size) {
        for (int i = 0; i < members.size(); i++) {
            FederatedRegistry member = members.get(i);
            if (member.member().getLifecycleService().isRunning()) {
                Await.until(CONVERGE, () -> member.members().size() == size,
                        member.hostId() + " to see " + size + " members");
            }
        }
    }

    @Override
    public void close() {
        for (FederatedRegistry member : members) {
            // Terminate rather than shut down gracefully: nothing needs handing over at the end of a test.
            member.crash();
        }
    }

    private FederatedRegistry startMember(int index) {
        List<String> peers = new ArrayList<>();
        for (int port : ports) {
            peers.add("127.0.0.1:" + port);
        }
        FederationSettings.Builder settings = FederationSettings.builder()
                .hostId(hostId(index))
                .clusterName("test-" + Integer.toHexString(System.identityHashCode(this)))
                .clusterSecret(SECRET)
                .clusterHost("127.0.0.1")
                .clusterPort(ports.get(index))
                .peers(peers)
                .lease(lease)
                .limits(maxAgents, maxAgentsPerHost);
        FAST.forEach(settings::hazelcastProperty);
        return FederatedRegistry.start(settings.build(), TestFederation::firewalled);
    }

    private static HazelcastInstance firewalled(Config config) {
        return HazelcastInstanceFactory.newHazelcastInstance(config, config.getInstanceName(),
                new FirewallingNodeContext());
    }

    private void block(int from, int to) {
        FirewallingServer.FirewallingServerConnectionManager manager = connectionManager(from);
        manager.blockNewConnection(address(to));
        manager.closeActiveConnection(address(to));
    }

    private Node node(int index) {
        return Accessors.getNode(members.get(index).member());
    }

    private FirewallingServer.FirewallingServerConnectionManager connectionManager(int index) {
        return (FirewallingServer.FirewallingServerConnectionManager) node(index).getServer()
                .getConnectionManager(com.hazelcast.instance.EndpointQualifier.MEMBER);
    }

    private Address address(int index) {
        try {
            return new Address("127.0.0.1", ports.get(index));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    // Members need ports known before they start (every member lists all of them), so a port is
    // chosen, then bound by Hazelcast. Below Linux's range of ports for outgoing connections
    // (32768-60999), which Hazelcast members open by the dozen, nothing takes it in between.
    private static int freePort() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = 20_000 + ThreadLocalRandom.current().nextInt(12_000);
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // Try another.
            }
        }
        throw new UncheckedIOException(new IOException("No free port found between 20000 and 32000 on loopback"));
    }
}
