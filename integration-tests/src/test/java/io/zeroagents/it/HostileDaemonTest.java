package io.zeroagents.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.zeroagents.Agents;
import io.zeroagents.NameServer;
import io.zeroagents.it.support.NameServerJar;
import io.zeroagents.testsupport.ChildProcess;
import io.zeroagents.testsupport.RawZmtpPeer;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The name-server daemon as operators run it, in a JVM of its own with a small heap, under the
 * attacks that left it up but deaf: a multipart message that never ends, and a flood of idle
 * connections past its descriptor limit.
 */
@Timeout(180)
class HostileDaemonTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void nameServerDaemon_unendingMessageOfEmptyFrames_keepsAnsweringWithA64MiBHeap() throws Exception {
        try (ChildProcess daemon = ChildProcess.jar("nameserver", List.of("-Xmx64m"), NameServerJar.path(),
                "--bind", "tcp://127.0.0.1:*")) {
            String line = daemon.awaitLine("Name server listening on ");
            String address = line.substring("Name server listening on ".length()).split(" ")[0];

            try (RawZmtpPeer attacker = RawZmtpPeer.connect(address, "DEALER")) {
                // 6.4 MiB on the wire: 3.2 million empty frames flagged "more", each a frame object if kept.
                assertTrue(attacker.sendUnendingFrames(3_200_000, 0), "the daemon closed the connection: "
                        + daemon.output());
                assertTrue(attacker.pingPong(new byte[] {1}, WAIT), "the daemon did not read the whole message: "
                        + daemon.output());
                assertEquals(List.of(), Agents.nameServer(address).agents(), "the daemon answers during the attack");
            }
            assertEquals(List.of(), Agents.nameServer(address).agents(), "the daemon answers after the attack");
            assertTrue(daemon.isAlive(), daemon.output());
            assertTrue(!daemon.output().contains("OutOfMemoryError"), daemon.output());
        }
    }

    @Test
    void nameServerDaemon_connectionFloodPastItsDescriptorLimit_keepsAnsweringWithoutSpinning() throws Exception {
        assumeTrue(ChildProcess.canLimitDescriptors(), "needs util-linux's prlimit");
        // 256 descriptors, and 64 connections per peer address: six flooding addresses need more.
        try (ChildProcess daemon = ChildProcess.jarWithDescriptorLimit("nameserver", 256,
                List.of("-Xmx64m", "-Dzeroagents.max.connections.per.peer=64"), NameServerJar.path(),
                "--bind", "tcp://127.0.0.1:*")) {
            String line = daemon.awaitLine("Name server listening on ");
            String address = line.substring("Name server listening on ".length()).split(" ")[0];
            // Connected before the flood, as the hosts that use a name server are.
            NameServer client = Agents.nameServer(address);
            assertEquals(List.of(), client.agents());

            List<Socket> flood = new ArrayList<>();
            try {
                for (int peer = 2; peer < 8; peer++) {
                    for (int i = 0; i < 64; i++) {
                        try {
                            flood.add(RawZmtpPeer.openIdle(address, "127.0.0." + peer, "DEALER"));
                        } catch (IOException queueFull) {
                            // The kernel's queue of connections not accepted is full: the flood goes on.
                        }
                    }
                }
                assertEquals(List.of(), client.agents(), "the daemon answers during the flood: " + daemon.output());
                Duration cpu = cpuTime(daemon, Duration.ofSeconds(2));
                assertTrue(cpu.compareTo(Duration.ofMillis(500)) < 0,
                        "the daemon spent " + cpu + " of CPU in 2 s with the flood idle: " + daemon.output());
            } finally {
                for (Socket socket : flood) {
                    socket.close();
                }
            }
            assertEquals(List.of(), client.agents(), "the daemon answers after the flood");
            assertTrue(daemon.isAlive(), daemon.output());
        }
    }

    /** The CPU time {@code process} spends in the next {@code window}. */
    private static Duration cpuTime(ChildProcess process, Duration window) throws InterruptedException {
        ProcessHandle handle = ProcessHandle.of(process.pid()).orElseThrow();
        Duration before = handle.info().totalCpuDuration().orElseThrow();
        // A window of time, not a condition to wait for: what is measured is what the process does in it.
        Thread.sleep(window.toMillis());
        return handle.info().totalCpuDuration().orElseThrow().minus(before);
    }
}
