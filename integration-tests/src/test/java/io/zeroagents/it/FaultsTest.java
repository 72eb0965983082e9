package io.zeroagents.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentAddress;
import io.zeroagents.AgentOptions;
import io.zeroagents.AgentTimeoutException;
import io.zeroagents.Agents;
import io.zeroagents.NameServer;
import io.zeroagents.NameServerException;
import io.zeroagents.NameServerOptions;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.SocketHandler;
import io.zeroagents.it.support.Inbox;
import io.zeroagents.it.support.Rebind;
import io.zeroagents.testkit.NameServerExtension;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Faults around agents: dead peers, an absent name server, shutdown with messages queued. */
@Timeout(60)
class FaultsTest {
    @RegisterExtension
    final NameServerExtension ns = new NameServerExtension();

    @Test
    void sendRecv_replierDiesMidRequest_clearTimeoutThenTheSocketServesANewReplier() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        Proxy doomed = Agents.runAgent("Doomed");
        AgentAddress addr = doomed.bind(Pattern.REP, "service", SocketHandler.onRequest(String.class, (agent, req) -> {
            inHandler.countDown();
            never.await();
            return "never";
        }));
        Proxy client = Agents.runAgent("Client", AgentOptions.builder().timeout(Duration.ofSeconds(1)).build());
        client.connect(addr, "service");
        CompletableFuture<String> call = CompletableFuture.supplyAsync(() -> client.sendRecv("service", "hi", String.class));
        assertTrue(inHandler.await(10, TimeUnit.SECONDS));
        doomed.kill();

        AgentTimeoutException error = assertThrows(AgentTimeoutException.class, () -> {
            try {
                call.join();
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause();
            }
        });
        assertTrue(error.getMessage().contains("'Client'") && error.getMessage().contains("'service'"),
                error.getMessage());
        never.countDown();

        Proxy successor = Agents.runAgent("Successor");
        AgentAddress next = successor.bind(Pattern.REP, "service",
                SocketHandler.onRequest(String.class, (agent, req) -> "ok " + req));
        client.close("service");
        client.connect(next, "service");
        assertEquals("ok again", client.sendRecv("service", "again", String.class));
    }

    @Test
    void runAgent_nameServerUnreachable_failsClearlyNamingIt() throws Exception {
        String nowhere = "tcp://127.0.0.1:" + freePort();
        NameServerException error = assertThrows(NameServerException.class, () -> Agents.runAgent("Orphan",
                AgentOptions.builder().nameServer(nowhere).timeout(Duration.ofSeconds(1)).build()));
        assertTrue(error.getMessage().contains(nowhere) && error.getMessage().contains("'Orphan'"), error.getMessage());
    }

    @Test
    void runAgent_withNameServerWait_registersOnceTheNameServerComesUp() throws Exception {
        int port = freePort();
        String later = "tcp://127.0.0.1:" + port;
        CompletableFuture<Proxy> starting = CompletableFuture.supplyAsync(() -> Agents.runAgent("Patient",
                AgentOptions.builder().nameServer(later).timeout(Duration.ofSeconds(1))
                        .nameServerWait(Duration.ofSeconds(20)).build()));
        // The agent is already trying when the name server appears.
        assertThrows(java.util.concurrent.TimeoutException.class, () -> starting.get(500, TimeUnit.MILLISECONDS));
        NameServer nameServer = Agents.runNameServer(NameServerOptions.builder().address(later).build());
        try {
            Proxy patient = starting.get(30, TimeUnit.SECONDS);
            assertEquals("pong", patient.ping());
            assertEquals(List.of("Patient"), nameServer.agents());
        } finally {
            nameServer.shutdown();
        }
    }

    @Test
    void shutdown_withMessagesQueued_lingerLetsThemLeave() {
        Proxy receiver = Agents.runAgent("Receiver");
        AgentAddress probe = receiver.bind(Pattern.PULL, "probe");
        receiver.close("probe");
        Proxy sender = Agents.runAgent("Sender", AgentOptions.builder().linger(Duration.ofSeconds(5)).build());
        sender.connect(probe, "out");
        for (int i = 0; i < 10; i++) {
            sender.send("out", "queued " + i);
        }
        sender.shutdown();

        Inbox<String> inbox = new Inbox<>();
        Rebind.whenFree(receiver, Pattern.PULL, "in", probe.endpoint(),
                SocketHandler.onMessage(String.class, (agent, msg) -> inbox.add(msg)));
        assertEquals(10, inbox.await(10).size(), "every message queued before the shutdown arrived");
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
