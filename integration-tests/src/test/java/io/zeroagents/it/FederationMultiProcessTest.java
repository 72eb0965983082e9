package io.zeroagents.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.DuplicateAgentNameException;
import io.zeroagents.NameServer;
import io.zeroagents.NameServerOptions;
import io.zeroagents.Proxy;
import io.zeroagents.it.support.AgentProcesses;
import io.zeroagents.it.support.NameServerJar;
import io.zeroagents.it.support.Ports;
import io.zeroagents.testsupport.Await;
import io.zeroagents.testsupport.ChildProcess;
import io.zeroagents.testsupport.SystemProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/**
 * Name servers federated with {@code --peer}: two daemons (nameserver.jar) in their own JVMs on
 * loopback, each with agents of its own, find each other's agents by name; a daemon that dies
 * takes its agents out of the federation when their leases run out, and they come back when it
 * returns. And an embedded name server federated with a daemon through
 * {@code NameServerOptions.builder().peers(...)}.
 */
@Timeout(180)
class FederationMultiProcessTest {

    private static final String LEASE_MILLIS = "3000";
    /** The property that names the secret file of an embedded name server. */
    private static final String SECRET_FILE_PROPERTY = "zeroagents.cluster.secret.file";

    @TempDir
    static Path keys;

    /** The secret every name server of the tests' federations shares, as an operator writes it. */
    private static Path secretFile() throws IOException {
        Path file = keys.resolve("cluster.secret");
        if (!Files.exists(file)) {
            Files.writeString(file, "it-" + UUID.randomUUID() + "\n");
        }
        return file;
    }

    /** One name server of the federation: its ZeroMQ endpoint and its cluster port, fixed so it can restart. */
    private record Host(String id, int port, int clusterPort) {
        String endpoint() {
            return "tcp://127.0.0.1:" + port;
        }

        String peer() {
            return "127.0.0.1:" + clusterPort;
        }
    }

    private static Host host(String id) throws IOException {
        return new Host(id, Ports.free(), Ports.free());
    }

    private static ChildProcess daemon(Host host, Host... peers) throws IOException {
        List<String> args = new ArrayList<>(List.of("--bind", host.endpoint(), "--lease", LEASE_MILLIS,
                "--host-id", host.id(), "--cluster-host", "127.0.0.1", "--cluster-port", String.valueOf(host.clusterPort()),
                "--cluster-name", "it-" + ProcessHandle.current().pid(), "--cluster-secret-file", secretFile().toString(),
                "--peer", host.peer()));
        for (Host peer : peers) {
            args.add("--peer");
            args.add(peer.peer());
        }
        ChildProcess daemon = ChildProcess.jar(host.id(), NameServerJar.path(), args.toArray(String[]::new));
        daemon.awaitLine("Name server listening on ");
        return daemon;
    }

    private static ChildProcess agent(String name, Class<?> program, Host nameServer) throws IOException {
        return ChildProcess.main(name, program, List.of("-Dzeroagents.nameserver=" + nameServer.endpoint()));
    }

    @Test
    void twoPeeredDaemons_eachSeesTheAgentsOfBoth_andANameIsTakenOnce() throws Exception {
        Host a = host("ns-a");
        Host b = host("ns-b");
        try (ChildProcess daemonA = daemon(a, b);
             ChildProcess daemonB = daemon(b, a);
             ChildProcess hub = agent("hub", AgentProcesses.Hub.class, a)) {
            hub.awaitLine("READY Hub");
            Proxy local = Agents.runAgent("Local", AgentOptions.builder().nameServer(b.endpoint()).build());
            NameServer viaA = Agents.nameServer(a.endpoint());
            NameServer viaB = Agents.nameServer(b.endpoint());

            for (NameServer ns : List.of(viaA, viaB)) {
                Await.until(Duration.ofSeconds(15), () -> ns.agents().equals(List.of("Hub", "Local")),
                        () -> ns.address() + " lists " + ns.agents());
            }
            assertEquals("pong", viaB.proxy("Hub").ping(), "a proxy through the other host's name server");
            assertTrue(viaB.addr("Hub", "in").endpoint().startsWith("tcp://127.0.0.1:"));
            assertEquals("pong", viaA.proxy("Local").ping());

            DuplicateAgentNameException duplicate = assertThrows(DuplicateAgentNameException.class,
                    () -> Agents.runAgent("Hub", AgentOptions.builder().nameServer(b.endpoint()).build()));
            assertTrue(duplicate.getMessage().contains("'Hub'") && duplicate.getMessage().contains("'ns-a'"),
                    duplicate.getMessage());

            ChildProcess.Result list = ChildProcess.runJar(NameServerJar.path(), "agents", "list", "--ns",
                    b.endpoint());
            assertEquals(0, list.exitCode(), list.output());
            assertTrue(list.output().contains("NS HOST") && list.output().matches("(?s).*Hub\\s+\\S+\\s+ns-a .*")
                    && list.output().matches("(?s).*Local\\s+\\S+\\s+ns-b .*"), list.output());
            local.shutdown();
            assertTrue(daemonA.isAlive() && daemonB.isAlive(), daemonA.output() + daemonB.output());
        }
    }

    @Test
    void daemonKilled_itsAgentsLeaveThePeerWhenLeasesRunOut_andReturnWithIt() throws Exception {
        Host a = host("ns-a");
        Host b = host("ns-b");
        try (ChildProcess daemonA = daemon(a, b)) {
            ChildProcess daemonB = daemon(b, a);
            try (ChildProcess hub = agent("hub", AgentProcesses.Hub.class, b)) {
                hub.awaitLine("READY Hub");
                NameServer viaA = Agents.nameServer(a.endpoint());
                Await.until(Duration.ofSeconds(15), () -> viaA.agents().contains("Hub"),
                        () -> "Hub, registered through ns-b, to show on ns-a");

                daemonB.kill();

                Await.until(Duration.ofSeconds(30), () -> !viaA.agents().contains("Hub"),
                        () -> "Hub's lease to run out on ns-a after ns-b died");

                try (ChildProcess again = daemon(b, a)) {
                    // Hub's host heartbeats the restarted ns-b, hears its name is unknown, and registers again.
                    Await.until(Duration.ofSeconds(30), () -> viaA.agents().contains("Hub"),
                            () -> "Hub to register again through the restarted ns-b and show on ns-a");
                    assertEquals("pong", viaA.proxy("Hub").ping());
                    assertTrue(again.isAlive() && daemonA.isAlive(), again.output() + daemonA.output());
                }
            } finally {
                daemonB.close();
            }
        }
    }

    @Test
    @ResourceLock(Resources.SYSTEM_PROPERTIES)
    void embeddedNameServerWithPeers_joinsTheDaemonsFederation() throws Exception {
        Host a = host("ns-a");
        Host embedded = host("ns-embedded");
        try (ChildProcess daemonA = daemon(a, embedded);
             ChildProcess hub = agent("hub", AgentProcesses.Hub.class, a)) {
            hub.awaitLine("READY Hub");
            NameServer ns = SystemProperties.with(SECRET_FILE_PROPERTY, secretFile().toString(),
                    () -> Agents.runNameServer(NameServerOptions.builder()
                            .address(embedded.endpoint())
                            .lease(Duration.ofMillis(Long.parseLong(LEASE_MILLIS)))
                            .peers(a.peer())
                            .cluster(new NameServerOptions.Cluster("127.0.0.1", embedded.clusterPort(),
                                    "it-" + ProcessHandle.current().pid(), embedded.id()))
                            .build()));
            try {
                Proxy mine = Agents.runAgent("Mine", AgentOptions.builder().nameServer(ns.address()).build());
                Await.until(Duration.ofSeconds(15), () -> ns.agents().equals(List.of("Hub", "Mine")),
                        () -> "the embedded name server to list both; it lists " + ns.agents());
                NameServer viaA = Agents.nameServer(a.endpoint());
                Await.until(Duration.ofSeconds(15), () -> viaA.agents().contains("Mine"),
                        () -> "the daemon to list the embedded name server's agent");
                assertEquals("pong", ns.proxy("Hub").ping());
                mine.shutdown();
                assertTrue(daemonA.isAlive(), daemonA.output());
            } finally {
                ns.close();
            }
        }
    }
}
