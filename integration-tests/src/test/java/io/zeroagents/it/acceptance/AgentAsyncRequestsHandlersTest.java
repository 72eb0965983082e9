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
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ports osBrain's {@code osbrain/tests/test_agent_async_requests_handlers.py}: the kinds of
 * handler an {@code ASYNC_REP} server and its {@code ASYNC_REQ} clients accept (a method of the
 * agent by name, a function, a lambda).
 *
 * <p>Not ported, with why:
 * <ul>
 *   <li>the {@code check_function} half of the connect/send cases (a function handler must not
 *       become an attribute of the agent): a Python function can be bound to an object; a Java
 *       handler is an object the agent never exposes as an attribute, so there is nothing to check.
 *   <li>{@code append_received} as an {@code ASYNC_REP} handler: in Python a function that returns
 *       nothing replies {@code None}; a Java {@code ASYNC_REP} takes a handler that returns the
 *       reply ({@code onRequest}) by design, so the function case uses a static method reference
 *       that returns one.
 * </ul>
 */
@Timeout(30)
class AgentAsyncRequestsHandlersTest {
    private static final String CHANNEL_AGENTS = "io.zeroagents.it.acceptance.support.ChannelAgents#";

    @RegisterExtension
    final NameServerExtension ns = new NameServerExtension();

    /** osBrain's {@code Server_ASYNC_REP}: binds {@code publish} in {@code onInit}, replying with {@link #reply}. */
    public static class AsyncServer extends Receiver {
        /** Public constructor for the runtime. */
        public AsyncServer() {
        }

        @Override
        protected void onInit() {
            bind(Pattern.ASYNC_REP, "publish", SocketHandler.method("reply"));
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
    }

    @Test
    void bind_asyncRepWithoutHandler_isRefusedSayingItNeedsOne() {
        Proxy server = Agents.runAgent("server");

        AgentException refused = assertThrows(AgentException.class,
                () -> server.bind(Pattern.ASYNC_REP, "should_crash"));

        assertTrue(refused.getMessage().contains("needs a handler"), refused.getMessage());
        assertFalse(server.hasSocket("should_crash"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(CHANNEL_AGENTS + "serverHandlers")
    void bind_asyncRepWithEachKindOfHandler_isAccepted(String kind, SocketHandler handler) {
        Proxy server = Agents.runAgent("server", AgentOptions.of(AsyncServer.class));

        AgentAddress address = server.bind(Pattern.ASYNC_REP, "should_not_crash", handler);

        assertEquals(Pattern.ASYNC_REP, address.pattern(), kind);
        assertTrue(server.hasSocket("should_not_crash"), kind);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(CHANNEL_AGENTS + "messageHandlers")
    void send_connectionHandlerOfEachKind_takesTheReply(String kind, SocketHandler handler) {
        Proxy server = Agents.runAgent("server", AgentOptions.of(AsyncServer.class));
        Proxy client = Agents.runAgent("client", AgentOptions.of(Receiver.class));
        client.connect(server.addr("publish"), "sub", handler);

        client.send("sub", "request!");

        assertTrue(AgentAwait.attrEquals(client, "received", List.of("reply!"), WAIT), kind);
        assertEquals(List.of("request!"), server.getAttr("received"), kind);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(CHANNEL_AGENTS + "requestOptions")
    void request_handlerOfEachKindOnAConnectionWithoutHandler_takesTheReply(String kind, RequestOptions options) {
        Proxy server = Agents.runAgent("server", AgentOptions.of(AsyncServer.class));
        Proxy client = Agents.runAgent("client", AgentOptions.of(Receiver.class));
        client.connect(server.addr("publish"), "sub");

        client.request("sub", "request!", options);

        assertTrue(AgentAwait.attrEquals(client, "received", List.of("reply!"), WAIT), kind);
    }
}
