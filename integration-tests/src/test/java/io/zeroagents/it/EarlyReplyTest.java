package io.zeroagents.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentAddress;
import io.zeroagents.Agents;
import io.zeroagents.Pattern;
import io.zeroagents.PatternMismatchException;
import io.zeroagents.Proxy;
import io.zeroagents.RemoteAgentException;
import io.zeroagents.SocketHandler;
import io.zeroagents.testkit.NameServerExtension;
import io.zeroagents.testing.AgentAwait;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Reply handlers that answer before they finish (osBrain's {@code yield}), and the one-reply rule. */
@Timeout(30)
class EarlyReplyTest {
    @RegisterExtension
    final NameServerExtension ns = new NameServerExtension();

    @Test
    void sendRecv_handlerRepliesEarly_requesterHasReplyWhileHandlerStillWorks() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> after = new CopyOnWriteArrayList<>();
        Proxy server = Agents.runAgent("Server");
        AgentAddress addr = server.bind(Pattern.REP, "main", SocketHandler.withReplier(String.class,
                (agent, request, replier) -> {
                    replier.reply("x" + request);
                    // The requester already has its answer; this work happens after it.
                    release.await(10, TimeUnit.SECONDS);
                    after.add("y" + request);
                }));
        Proxy client = Agents.runAgent("Client");
        client.connect(addr, "main");

        assertEquals("xfoo", client.sendRecv("main", "foo", String.class));
        assertTrue(after.isEmpty(), "the handler is still blocked after replying");
        release.countDown();
        assertTrue(AgentAwait.until(() -> after.equals(List.of("yfoo")), Duration.ofSeconds(5)));
    }

    @Test
    void reply_calledTwice_throwsAndRequesterGetsTheFirstReply() {
        AtomicReference<Throwable> second = new AtomicReference<>();
        Proxy server = Agents.runAgent("Server");
        AgentAddress addr = server.bind(Pattern.REP, "main", SocketHandler.withReplier(String.class,
                (agent, request, replier) -> {
                    replier.reply("first");
                    try {
                        replier.reply("second");
                    } catch (IllegalStateException e) {
                        second.set(e);
                    }
                }));
        Proxy client = Agents.runAgent("Client");
        client.connect(addr, "main");

        assertEquals("first", client.sendRecv("main", "q", String.class));
        // The first reply can reach the client before the handler has tried its second one.
        assertTrue(AgentAwait.until(() -> second.get() != null, Duration.ofSeconds(5)), "no second reply attempt");
        IllegalStateException error = assertInstanceOf(IllegalStateException.class, second.get());
        assertTrue(error.getMessage().contains("already replied") && error.getMessage().contains("'main'"),
                error.getMessage());
        assertEquals("first", client.sendRecv("main", "again", String.class), "the socket still serves");
    }

    @Test
    void sendRecv_handlerReturnsWithoutReplying_requesterGetsAnErrorNotAHang() {
        Proxy server = Agents.runAgent("Server");
        AgentAddress addr = server.bind(Pattern.REP, "main", SocketHandler.withReplier(String.class,
                (agent, request, replier) -> {
                    if (request.equals("answer")) {
                        replier.reply("answered");
                    }
                }));
        Proxy client = Agents.runAgent("Client");
        client.connect(addr, "main");

        RemoteAgentException error = assertThrows(RemoteAgentException.class,
                () -> client.sendRecv("main", "forget", String.class));
        assertTrue(error.getMessage().contains("returned without replying"), error.getMessage());
        assertEquals("answered", client.sendRecv("main", "answer", String.class));
    }

    @Test
    void bind_withReplierOnPull_isRefusedAtBindTime() {
        Proxy agent = Agents.runAgent("Agent");
        PatternMismatchException error = assertThrows(PatternMismatchException.class, () -> agent.bind(Pattern.PULL,
                "in", SocketHandler.withReplier(String.class, (a, request, replier) -> replier.reply(request))));
        assertTrue(error.getMessage().contains("'in'"), error.getMessage());
    }
}
