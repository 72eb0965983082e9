package io.zeroagents.examples;

import static io.zeroagents.examples.ExampleRun.check;

import io.zeroagents.AgentAddress;
import io.zeroagents.Agents;
import io.zeroagents.NameServer;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.SocketHandler;

/**
 * osBrain's "Lambdas" tutorial: an agent's behaviour configured with a lambda instead of a named
 * function, here the handler of a {@code REP} socket.
 *
 * <p>Alice binds {@code REP} with the handler {@code (agent, msg) -> "Received " + msg}; Bob connects
 * a {@code REQ} client and sends the numbers 0 to 9 with {@code sendRecv}, printing each reply. The
 * reply handler's return value is the reply; the requester names the type it decodes the reply into.
 *
 * <p>Run it with {@code ./mvnw -q -Pexample -Dexample=Lambdas -pl examples -am package -DskipTests}.
 */
public final class Lambdas {
    private static final int REQUESTS = 10;

    private Lambdas() {
    }

    /**
     * Runs the example; exits 0 when Bob got the ten expected replies.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        ExampleRun.main("Lambdas: a REP socket whose handler is a lambda", Lambdas::run);
    }

    private static void run(NameServer ns) {
        Proxy alice = Agents.runAgent("Alice");
        Proxy bob = Agents.runAgent("Bob");

        AgentAddress addr = alice.bind(Pattern.REP, "main",
                SocketHandler.onRequest(Integer.class, (agent, msg) -> "Received " + msg));
        bob.connect(addr, "main");

        for (int i = 0; i < REQUESTS; i++) {
            String reply = bob.sendRecv("main", i, String.class);
            System.out.println("Bob sent " + i + ", Alice replied: " + reply);
            check(("Received " + i).equals(reply), "the reply 'Received " + i + "', got '" + reply + "'");
        }
        System.out.println("Bob got all " + REQUESTS + " replies");
    }
}
