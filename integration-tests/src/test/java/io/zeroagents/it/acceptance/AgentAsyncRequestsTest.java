package io.zeroagents.it.acceptance;

import static io.zeroagents.it.acceptance.support.ChannelAgents.NOT_HAPPENING;
import static io.zeroagents.it.acceptance.support.ChannelAgents.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.Agent;
import io.zeroagents.AgentAddress;
import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.Replier;
import io.zeroagents.RequestOptions;
import io.zeroagents.SocketHandler;
import io.zeroagents.it.acceptance.support.ChannelAgents;
import io.zeroagents.it.acceptance.support.ChannelAgents.Receiver;
import io.zeroagents.testkit.NameServerExtension;
import io.zeroagents.testing.AgentAwait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Ports osBrain's {@code osbrain/tests/test_agent_async_requests.py}: asynchronous requests
 * ({@code ASYNC_REQ} to {@code ASYNC_REP}) whose replies arrive later, from servers that block until
 * the test releases them.
 *
 * <p>Differences from osBrain: its tests read and reset the client's private
 * {@code _pending_requests}; there is no public view of pending requests here, so
 * {@code test_wait_timeout} drops those two length checks, and {@code test_unknown} forgets its
 * request the public way (a wait whose {@code onNoReply} does nothing) instead of clearing the map.
 */
@Timeout(30)
class AgentAsyncRequestsTest {
    @RegisterExtension
    final NameServerExtension ns = new NameServerExtension();

    private final List<Proxy> servers = new ArrayList<>();

    /** osBrain's {@code Server}: blocks in its reply handler until {@code blocked} is cleared. */
    public static class BlockingServer extends Receiver {
        /** Whether the running handler must keep waiting; cleared through an unsafe proxy. */
        public volatile boolean blocked;

        /** Public constructor for the runtime. */
        public BlockingServer() {
        }
    }

    /** osBrain's {@code blocked_reply}: keeps the request, blocks until released, returns the reply. */
    static String blockedReply(Agent agent, String request) throws InterruptedException {
        BlockingServer self = (BlockingServer) agent;
        self.blocked = true;
        self.received.add(request);
        while (self.blocked) {
            Thread.sleep(10);
        }
        return "x" + request;
    }

    /** Like {@link #blockedReply}, but replies early and keeps working (osBrain's handler that yields). */
    static void blockedReplyYield(Agent agent, String request, Replier replier)
            throws InterruptedException {
        BlockingServer self = (BlockingServer) agent;
        self.blocked = true;
        self.received.add(request);
        while (self.blocked) {
            Thread.sleep(10);
        }
        replier.reply("x" + request);
        self.received.add("y" + request);
    }

    @AfterEach
    void releaseServers() {
        // A blocked handler would hold its agent's shutdown: release every server whatever happened.
        servers.forEach(server -> server.unsafe().setAttr("blocked", false));
    }

    private Proxy server(String name, String alias, SocketHandler handler, List<AgentAddress> addresses) {
        Proxy server = Agents.runAgent(name, AgentOptions.of(BlockingServer.class));
        servers.add(server);
        addresses.add(server.bind(Pattern.ASYNC_REP, alias, handler));
        return server;
    }

    /** osBrain's {@code async_client_server}: returns {client, server}. */
    private Proxy[] clientServer(SocketHandler serverHandler) {
        List<AgentAddress> addresses = new ArrayList<>();
        Proxy server = server("server", "replier", serverHandler, addresses);
        Proxy client = Agents.runAgent("client", AgentOptions.of(Receiver.class));
        client.connect(addresses.get(0), "async", Object.class, ChannelAgents::appendReceived);
        return new Proxy[] {client, server};
    }

    /** osBrain's {@code async_client_server_pair}: returns {client, server1, server2}. */
    private Proxy[] clientServerPair(SocketHandler serverHandler) {
        Proxy[] pair = clientServer(serverHandler);
        List<AgentAddress> addresses = new ArrayList<>();
        Proxy server2 = server("server2", "replier2", serverHandler, addresses);
        pair[0].connect(addresses.get(0), "async2", Object.class, ChannelAgents::appendReceived);
        return new Proxy[] {pair[0], pair[1], server2};
    }

    private static SocketHandler returning() {
        return SocketHandler.onRequest(String.class, AgentAsyncRequestsTest::blockedReply);
    }

    /** Reads a server's attribute without waiting for its (blocked) loop. */
    private static Proxy peek(Proxy server) {
        return server.unsafe();
    }

    @Test
    void send_replyHandlerReturns_eachReplyArrivesWhenItsServerIsReleased() {
        Proxy[] agents = clientServerPair(returning());
        Proxy client = agents[0];
        Proxy server1 = agents[1];
        Proxy server2 = agents[2];

        client.send("async", "foo");
        client.send("async", "bar");
        client.send("async2", "qux");

        assertTrue(AgentAwait.attrEquals(peek(server1), "received", List.of("foo"), WAIT));
        assertTrue(AgentAwait.attrEquals(peek(server2), "received", List.of("qux"), WAIT));
        assertFalse(AgentAwait.attrLength(client, "received", 1, NOT_HAPPENING), "no server has replied yet");

        server2.unsafe().setAttr("blocked", false);
        assertTrue(AgentAwait.attrEquals(client, "received", List.of("xqux"), WAIT));

        server1.unsafe().setAttr("blocked", false);
        assertTrue(AgentAwait.attrEquals(client, "received", List.of("xqux", "xfoo"), WAIT));
        // The second request blocks server1 again once its handler has kept it.
        assertTrue(AgentAwait.attrEquals(peek(server1), "received", List.of("foo", "bar"), WAIT));
        server1.unsafe().setAttr("blocked", false);
        assertTrue(AgentAwait.attrEquals(client, "received", List.of("xqux", "xfoo", "xbar"), WAIT));
    }

    @Test
    void send_replyHandlerRepliesEarly_replyArrivesWhileTheHandlerKeepsWorking() {
        Proxy[] agents = clientServerPair(
                SocketHandler.withReplier(String.class, AgentAsyncRequestsTest::blockedReplyYield));
        Proxy client = agents[0];
        Proxy server1 = agents[1];
        Proxy server2 = agents[2];

        client.send("async", "foo");
        client.send("async2", "bar");

        assertTrue(AgentAwait.attrEquals(peek(server1), "received", List.of("foo"), WAIT));
        assertTrue(AgentAwait.attrEquals(peek(server2), "received", List.of("bar"), WAIT));
        assertFalse(AgentAwait.attrLength(client, "received", 1, NOT_HAPPENING), "no server has replied yet");

        server2.unsafe().setAttr("blocked", false);
        assertTrue(AgentAwait.attrEquals(client, "received", List.of("xbar"), WAIT));
        assertTrue(AgentAwait.attrEquals(server2, "received", List.of("bar", "ybar"), WAIT));

        server1.unsafe().setAttr("blocked", false);
        assertTrue(AgentAwait.attrEquals(client, "received", List.of("xbar", "xfoo"), WAIT));
        assertTrue(AgentAwait.attrEquals(server1, "received", List.of("foo", "yfoo"), WAIT));
    }

    @Test
    void request_replyToARequestNoLongerPending_isLoggedAsUnknownAndNotHandled() {
        Proxy[] agents = clientServer(returning());
        Proxy client = agents[0];
        Proxy server = agents[1];
        Proxy logger = ChannelAgents.syncedLogger(client);
        client.setAttr("forgotten", false);

        client.request("async", "foo", RequestOptions.builder()
                .waitAtMost(Duration.ofMillis(100))
                .onNoReply((agent, request) -> agent.setAttr("forgotten", true))
                .build());
        assertTrue(AgentAwait.attrEquals(peek(server), "received", List.of("foo"), WAIT));
        assertTrue(AgentAwait.attrEquals(client, "forgotten", true, WAIT), "the request is still pending");

        server.unsafe().setAttr("blocked", false);
        assertTrue(AgentAwait.loggerLine(logger, "WARN", "received a reply to an unknown request", WAIT));
        assertEquals(List.of(), client.getAttr("received"));
    }

    @Test
    void request_replyWithinWait_isHandled() {
        Proxy[] agents = clientServer(returning());
        Proxy client = agents[0];
        Proxy server = agents[1];
        Proxy logger = ChannelAgents.syncedLogger(client);

        client.request("async", "foo", RequestOptions.builder().waitAtMost(Duration.ofSeconds(1)).build());
        assertTrue(AgentAwait.attrEquals(peek(server), "received", List.of("foo"), WAIT));
        server.unsafe().setAttr("blocked", false);

        assertTrue(AgentAwait.attrEquals(client, "received", List.of("xfoo"), WAIT));
        assertFalse(AgentAwait.loggerLine(logger, "WARN", "did not receive a reply", NOT_HAPPENING));
    }

    @Test
    void request_replyLaterThanWait_warnsOfTheMissingReplyThenDropsTheLateOne() {
        Proxy[] agents = clientServer(returning());
        Proxy client = agents[0];
        Proxy server = agents[1];
        Proxy logger = ChannelAgents.syncedLogger(client);

        client.request("async", "foo", RequestOptions.builder().waitAtMost(Duration.ofMillis(500)).build());
        assertTrue(AgentAwait.loggerLine(logger, "WARN", "did not receive a reply", Duration.ofSeconds(2)));

        server.unsafe().setAttr("blocked", false);
        assertTrue(AgentAwait.loggerLine(logger, "WARN", "received a reply to an unknown request", WAIT));
        assertEquals(List.of("foo"), server.getAttr("received"));
        assertEquals(List.of(), client.getAttr("received"));
    }

    @Test
    void request_replyLaterThanWaitWithOnNoReply_runsTheHandlerOnce() {
        Proxy[] agents = clientServer(returning());
        Proxy client = agents[0];

        client.setAttr("error_count", 0);
        client.request("async", "foo", RequestOptions.builder()
                .waitAtMost(Duration.ofMillis(500))
                .onNoReply((agent, request) -> agent.setAttr("error_count",
                        agent.getAttr("error_count", Integer.class) + 1))
                .build());

        assertTrue(AgentAwait.attrEquals(client, "error_count", 1, Duration.ofSeconds(2)));
        assertFalse(AgentAwait.attrEquals(client, "error_count", 2, NOT_HAPPENING));
    }
}
