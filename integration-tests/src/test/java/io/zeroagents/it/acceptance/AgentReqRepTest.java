package io.zeroagents.it.acceptance;

import static io.zeroagents.it.acceptance.support.ChannelAgents.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.Agent;
import io.zeroagents.AgentAddress;
import io.zeroagents.Agents;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.Replier;
import io.zeroagents.SocketHandler;
import io.zeroagents.it.acceptance.support.ChannelAgents;
import io.zeroagents.testkit.NameServerExtension;
import io.zeroagents.testing.AgentAwait;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Ports osBrain's {@code osbrain/tests/test_agent_req_rep.py}: {@code REQ}/{@code REP} with a
 * handler that returns the reply (a function, a lambda) or replies early and keeps working
 * (osBrain's {@code yield}, here a {@link Replier}).
 *
 * <p>osBrain's replier "crashes" when a handler yields twice; here replying twice throws
 * {@link IllegalStateException} in the handler, which the agent logs at ERROR and survives.
 */
@Timeout(30)
class AgentReqRepTest {
    @RegisterExtension
    final NameServerExtension ns = new NameServerExtension();

    /** A handler function that echoes, osBrain's {@code rep_handler}. */
    static Object echo(Agent agent, String message) {
        return message;
    }

    @Test
    void sendRecv_handlerFunctionReturns_requesterGetsTheReturnedValue() {
        Proxy a0 = Agents.runAgent("a0");
        Proxy a1 = Agents.runAgent("a1");
        AgentAddress addr = a0.bind(Pattern.REP, "rep", SocketHandler.onRequest(String.class, AgentReqRepTest::echo));
        a1.connect(addr, "request");

        assertEquals("Hello world", a1.sendRecv("request", "Hello world", String.class));
    }

    @Test
    void sendRecv_lambdaHandler_requesterGetsTheLambdasValue() {
        Proxy a0 = Agents.runAgent("a0");
        Proxy a1 = Agents.runAgent("a1");
        AgentAddress addr = a0.bind(Pattern.REP, "rep",
                SocketHandler.onRequest(String.class, (agent, message) -> "x" + message));
        a1.connect(addr, "request");

        assertEquals("xHello world", a1.sendRecv("request", "Hello world", String.class));
    }

    @Test
    void sendRecv_handlerRepliesEarly_requesterGetsTheReplyBeforeTheHandlerFinishes() {
        int delaySeconds = 2;
        Proxy a0 = Agents.runAgent("a0");
        a0.setAttr("delay", delaySeconds);
        Proxy a1 = Agents.runAgent("a1");
        AgentAddress addr = a0.bind(Pattern.REP, "rep",
                SocketHandler.withReplier(String.class, (agent, message, replier) -> {
                    replier.reply(message);
                    Thread.sleep(agent.getAttr("delay", Integer.class) * 1000L);
                    agent.setAttr("delay", "ok");
                }));
        a1.connect(addr, "request");

        long start = System.nanoTime();
        String response = a1.sendRecv("request", "Working!", String.class);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertEquals("Working!", response);
        assertTrue(took.compareTo(Duration.ofSeconds(delaySeconds).dividedBy(2)) < 0, "the reply took " + took);
        // The handler still sleeps, so read past the agent's busy loop.
        assertEquals(delaySeconds, a0.unsafe().getAttr("delay"));
        assertTrue(AgentAwait.attrEquals(a0, "delay", "ok", WAIT.plusSeconds(delaySeconds)));
    }

    @Test
    void sendRecv_handlerRepliesTwice_requesterGetsTheFirstAndTheSecondIsLoggedAsAnError() {
        Proxy a0 = Agents.runAgent("a0");
        Proxy a1 = Agents.runAgent("a1");
        Proxy logger = ChannelAgents.syncedLogger(a0);
        AgentAddress addr = a0.bind(Pattern.REP, "rep",
                SocketHandler.withReplier(String.class, (agent, message, replier) -> {
                    replier.reply(message);
                    replier.reply("Derp");
                }));
        a1.connect(addr, "request");

        assertEquals("Hello world!", a1.sendRecv("request", "Hello world!", String.class));
        assertTrue(AgentAwait.loggerLine(logger, "ERROR", "already replied", WAIT));
    }

    /**
     * osBrain's guide: a server is defined by binding, not by its role, so a bound {@code REQ} has
     * its requests answered by the {@code REP} clients connected to it, taking turns.
     */
    @Test
    void sendRecv_boundReqWithConnectedReps_eachRepAnswersInTurn() {
        Proxy boss = Agents.runAgent("boss");
        AgentAddress addr = boss.bind(Pattern.REQ, "ask");
        Proxy w1 = Agents.runAgent("w1");
        Proxy w2 = Agents.runAgent("w2");
        w1.connect(addr, "answer", SocketHandler.onRequest(String.class, (agent, job) -> agent.name() + " did " + job));
        w2.connect(addr, "answer", SocketHandler.onRequest(String.class, (agent, job) -> agent.name() + " did " + job));

        Set<String> workers = ConcurrentHashMap.newKeySet();
        // A REQ takes turns over the peers connected so far: ask until the second has joined.
        assertTrue(AgentAwait.until(() -> {
            String reply = boss.sendRecv("ask", "job", String.class);
            assertTrue(reply.endsWith(" did job"), reply);
            workers.add(reply.substring(0, reply.indexOf(' ')));
            return workers.size() == 2;
        }, WAIT), "replies came only from " + workers);

        String first = boss.sendRecv("ask", "a", String.class);
        String second = boss.sendRecv("ask", "b", String.class);
        assertTrue(Set.of(first, second).equals(Set.of("w1 did a", "w2 did b"))
                || Set.of(first, second).equals(Set.of("w2 did a", "w1 did b")), first + ", " + second);
    }
}
