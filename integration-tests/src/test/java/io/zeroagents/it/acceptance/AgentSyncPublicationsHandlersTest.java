package io.zeroagents.it.acceptance;

import static io.zeroagents.it.acceptance.support.ChannelAgents.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.Agent;
import io.zeroagents.AgentAddress;
import io.zeroagents.AgentException;
import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.RequestOptions;
import io.zeroagents.SocketHandler;
import io.zeroagents.it.acceptance.support.ChannelAgents;
import io.zeroagents.it.acceptance.support.ChannelAgents.Receiver;
import io.zeroagents.testkit.NameServerExtension;
import io.zeroagents.testing.AgentAwait;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ports osBrain's {@code osbrain/tests/test_agent_sync_publications_handlers.py}: the kinds of
 * handler a {@code SYNC_PUB} server and its {@code SYNC_SUB} clients accept (a method of the agent
 * by name, a function, a lambda), for publications and for replies.
 *
 * <p>Differences from osBrain, with why:
 * <ul>
 *   <li>the {@code check_function} half of the cases (a function handler must not become an
 *       attribute of the agent): a Python function can be bound to an object; a Java handler is an
 *       object the agent never exposes as an attribute, so there is nothing to check.
 *   <li>{@code append_received} as a {@code SYNC_PUB} handler: a Java {@code SYNC_PUB} takes a
 *       handler that returns the reply ({@code onRequest}) by design, so the function case uses a
 *       static method reference that returns one.
 *   <li>the {@code (None, should_crash)} case of {@code test_sync_pub_send_handlers}: osBrain
 *       refuses a request without a handler; our API documents that the reply then goes to the
 *       connection's handler ({@link io.zeroagents.AgentOperations#request(String, Object, RequestOptions)}),
 *       so that case proves this instead.
 * </ul>
 */
@Timeout(30)
class AgentSyncPublicationsHandlersTest {
    private static final String CHANNEL_AGENTS = "io.zeroagents.it.acceptance.support.ChannelAgents#";

    private static final Duration PUBLISH_PERIOD = Duration.ofMillis(10);

    @RegisterExtension
    final NameServerExtension ns = new NameServerExtension();

    /** osBrain's {@code ServerSyncPub}: binds {@code publish} in {@code onInit}, replying with {@link #reply}. */
    public static class SyncPubServer extends Receiver {
        /** Public constructor for the runtime. */
        public SyncPubServer() {
        }

        @Override
        protected void onInit() {
            bind(Pattern.SYNC_PUB, "publish", SocketHandler.method("reply"));
        }

        /**
         * Keeps the request and replies.
         *
         * @param request the request
         * @return {@code "reply!"}
         */
        public String reply(String request) {
            received.add(request);
            return "reply!";
        }

        /** Publishes {@code "publication!"}. */
        public void publish() {
            send("publish", "publication!");
        }
    }

    /** osBrain's {@code ClientWithHandler}: two lists, one per handler method. */
    public static class Client extends Receiver {
        /** What {@link #alternativeReceive} received. */
        public volatile List<Object> alternativeReceived = new CopyOnWriteArrayList<>();

        /** Public constructor for the runtime. */
        public Client() {
        }

        /**
         * The other handler method.
         *
         * @param message what arrived
         */
        public void alternativeReceive(Object message) {
            alternativeReceived.add(message);
        }
    }

    private static boolean hasAtLeastTwoAndContains(Object value, String item) {
        return value instanceof Collection<?> list && list.size() >= 2 && list.contains(item);
    }

    /** Connects a {@link Client} whose publications go to {@code alternativeReceive}, and waits for some. */
    private static Proxy connectedClient(Proxy server) {
        Proxy client = Agents.runAgent("client", AgentOptions.of(Client.class));
        // The alternative handler makes sure the channel is up before the request is sent.
        client.connect(server.addr("publish"), "sub", SocketHandler.method("alternativeReceive"));
        server.each(PUBLISH_PERIOD, "publish");
        assertTrue(AgentAwait.attr(client, "alternativeReceived",
                value -> hasAtLeastTwoAndContains(value, "publication!"), WAIT));
        return client;
    }

    @Test
    void bind_syncPubWithoutHandler_isRefusedSayingItNeedsOne() {
        Proxy server = Agents.runAgent("server");

        AgentException refused = assertThrows(AgentException.class,
                () -> server.bind(Pattern.SYNC_PUB, "should_crash"));

        assertTrue(refused.getMessage().contains("needs a handler"), refused.getMessage());
        assertFalse(server.hasSocket("should_crash"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(CHANNEL_AGENTS + "serverHandlers")
    void bind_syncPubWithEachKindOfHandler_isAccepted(String kind, SocketHandler handler) {
        Proxy server = Agents.runAgent("server", AgentOptions.of(SyncPubServer.class));

        AgentAddress address = server.bind(Pattern.SYNC_PUB, "should_not_crash", handler);

        assertEquals(Pattern.SYNC_PUB, address.pattern(), kind);
        assertTrue(server.hasSocket("should_not_crash"), kind);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(CHANNEL_AGENTS + "messageHandlers")
    void connect_publicationHandlerOfEachKind_receivesPublications(String kind, SocketHandler handler) {
        Proxy server = Agents.runAgent("server", AgentOptions.of(SyncPubServer.class));
        Proxy client = Agents.runAgent("client", AgentOptions.of(Client.class));

        client.connect(server.addr("publish"), "sub", handler);
        server.each(PUBLISH_PERIOD, "publish");

        assertTrue(AgentAwait.attr(client, "received", value -> hasAtLeastTwoAndContains(value, "publication!"),
                WAIT), kind);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(CHANNEL_AGENTS + "requestOptions")
    void request_handlerOfEachKind_takesTheReply(String kind, RequestOptions options) {
        Proxy server = Agents.runAgent("server", AgentOptions.of(SyncPubServer.class));
        Proxy client = connectedClient(server);

        client.request("sub", "request!", options);

        assertTrue(AgentAwait.attrEquals(client, "received", List.of("reply!"), WAIT), kind);
        assertEquals(List.of("request!"), server.getAttr("received"), kind);
    }

    @Test
    void request_withoutHandler_replyGoesToTheConnectionHandler() {
        Proxy server = Agents.runAgent("server", AgentOptions.of(SyncPubServer.class));
        Proxy client = connectedClient(server);

        client.request("sub", "request!", RequestOptions.defaults());

        assertTrue(AgentAwait.attrContains(client, "alternativeReceived", "reply!", WAIT));
        assertEquals(List.of(), client.getAttr("received"));
    }
}
