package io.zeroagents.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.Agents;
import io.zeroagents.it.support.NameServerJar;
import io.zeroagents.testsupport.ChildProcess;
import io.zeroagents.testsupport.RawZmtpPeer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The name-server daemon as operators run it, in a JVM of its own with a small heap, under the
 * attack that left it up but deaf: a multipart message that never ends.
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
}
