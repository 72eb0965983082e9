package io.zeroagents.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentAddress;
import io.zeroagents.AgentTimeoutException;
import io.zeroagents.Agents;
import io.zeroagents.Pattern;
import io.zeroagents.PatternMismatchException;
import io.zeroagents.Proxy;
import io.zeroagents.RemoteAgentException;
import io.zeroagents.SocketHandler;
import io.zeroagents.testkit.NameServerExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class ReqRepTest {
    @RegisterExtension
    final NameServerExtension ns = new NameServerExtension();

    @Test
    void recv_afterRequest_returnsWhatTheLambdaHandlerReturned() {
        Proxy alice = Agents.runAgent("Alice");
        Proxy bob = Agents.runAgent("Bob");
        AgentAddress addr = alice.bind(Pattern.REP, "main",
                SocketHandler.onRequest(Integer.class, (agent, msg) -> "Received " + msg));
        bob.connect(addr, "main");

        for (int i = 0; i < 10; i++) {
            bob.send("main", i);
            assertEquals("Received " + i, bob.recv("main", String.class));
        }
    }

    @Test
    void sendRecv_requestReply_returnsTypedReply() {
        Proxy calculator = Agents.runAgent("Calculator");
        AgentAddress addr = calculator.bind(Pattern.REP, "square",
                SocketHandler.onRequest(Integer.class, (agent, n) -> n * n));
        Proxy client = Agents.runAgent("Client");
        client.connect(addr, "calc");

        assertEquals(49, client.sendRecv("calc", 7, Integer.class));
    }

    @Test
    void recv_handlerThrows_requesterGetsRemoteAgentExceptionAndReplierKeepsServing() {
        Proxy alice = Agents.runAgent("Alice");
        AgentAddress addr = alice.bind(Pattern.REP, "main", SocketHandler.onRequest(String.class, (agent, msg) -> {
            if (msg.equals("boom")) {
                throw new IllegalStateException("cannot handle boom");
            }
            return "ok " + msg;
        }));
        Proxy bob = Agents.runAgent("Bob");
        bob.connect(addr, "main");

        bob.send("main", "boom");
        RemoteAgentException failure = assertThrows(RemoteAgentException.class, () -> bob.recv("main", String.class));
        assertTrue(failure.getMessage().contains("Alice") && failure.getMessage().contains("cannot handle boom"),
                failure.getMessage());

        assertEquals("ok again", bob.sendRecv("main", "again", String.class));
        assertTrue(alice.isRunning());
    }

    @Test
    void recv_rawCodecHandlerThrows_errorReplyStillArrivesAndReplierKeepsServing() {
        Proxy server = Agents.runAgent("RawServer");
        AgentAddress addr = server.bind(Pattern.REP, "bytes", io.zeroagents.BindOptions.builder()
                .codec(io.zeroagents.Codec.RAW)
                .handler(SocketHandler.onRequest(byte[].class, (agent, bytes) -> {
                    if (bytes.length == 0) {
                        throw new IllegalArgumentException("empty request");
                    }
                    return new byte[] {(byte) bytes.length};
                })).build());
        Proxy client = Agents.runAgent("Client");
        client.connect(addr, "bytes");

        RemoteAgentException failure = assertThrows(RemoteAgentException.class,
                () -> client.sendRecv("bytes", new byte[0], byte[].class));

        assertTrue(failure.getMessage().contains("empty request"), failure.getMessage());
        assertEquals(3, client.sendRecv("bytes", new byte[3], byte[].class)[0]);
    }

    @Test
    void recv_nothingArrives_timesOutNamingAgentAndAlias() {
        Proxy alice = Agents.runAgent("Alice");
        AgentAddress addr = alice.bind(Pattern.REP, "main");
        Proxy bob = Agents.runAgent("Bob");
        bob.connect(addr, "main");
        bob.send("main", "hello?");

        AgentTimeoutException timeout = assertThrows(AgentTimeoutException.class,
                () -> bob.recv("main", String.class, Duration.ofMillis(200)));
        assertTrue(timeout.getMessage().contains("'Bob'") && timeout.getMessage().contains("'main'"), timeout.getMessage());
    }

    @Test
    void recv_repWithoutHandler_canAnswerWithSend() {
        Proxy server = Agents.runAgent("Server");
        AgentAddress addr = server.bind(Pattern.REP, "manual");
        Proxy client = Agents.runAgent("Client");
        client.connect(addr, "manual");

        client.send("manual", "ping");
        assertEquals("ping", server.recv("manual", String.class));
        server.send("manual", "pong");

        assertEquals("pong", client.recv("manual", String.class));
    }

    @Test
    void bind_messageHandlerOnRep_isRefusedAtBindTime() {
        Proxy alice = Agents.runAgent("Alice");

        PatternMismatchException refused = assertThrows(PatternMismatchException.class,
                () -> alice.bind(Pattern.REP, "main", String.class, (agent, msg) -> { }));
        assertTrue(refused.getMessage().contains("onRequest"), refused.getMessage());
        assertTrue(!alice.hasSocket("main"));
    }
}
