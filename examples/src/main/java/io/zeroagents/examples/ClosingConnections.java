package io.zeroagents.examples;

import static io.zeroagents.examples.ExampleRun.await;
import static io.zeroagents.examples.ExampleRun.check;

import io.zeroagents.AgentAddress;
import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.NameServer;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.UnknownAliasException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * osBrain's "Closing connections" tutorial: {@code close(alias)} closes one socket of an agent,
 * {@code closeAll()} closes all of them, each waiting up to the agent's linger for unsent messages.
 *
 * <p>Alice binds a {@code PUB} socket (alias {@code connection}) and a {@code PUSH} socket; Bob
 * connects to both. Alice closes {@code connection}: the alias is gone from Alice and from the name
 * server, sending on it fails, and her other socket still works. Bob's end is not told (closing never
 * reaches the other side), so Bob closes his own end, then both close everything that is left.
 *
 * <p>Run it with {@code ./mvnw -q -Pexample -Dexample=ClosingConnections -pl examples -am package -DskipTests}.
 */
public final class ClosingConnections {
    private ClosingConnections() {
    }

    /**
     * Runs the example; exits 0 when closing removed exactly the sockets it should.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        ExampleRun.main("Closing connections: close(alias) and closeAll()", ClosingConnections::run);
    }

    private static void run(NameServer ns) throws InterruptedException {
        // Closing waits up to the linger for unsent messages; osBrain reads it from its config.
        Proxy alice = Agents.runAgent("Alice", AgentOptions.builder().linger(Duration.ofMillis(200)).build());
        Proxy bob = Agents.runAgent("Bob");
        List<String> news = new CopyOnWriteArrayList<>();
        List<String> tasks = new CopyOnWriteArrayList<>();
        AgentAddress connection = alice.bind(Pattern.PUB, "connection");
        AgentAddress work = alice.bind(Pattern.PUSH, "work");
        bob.connect(connection, "news", String.class, (agent, msg) -> news.add(msg));
        bob.connect(work, "work", String.class, (agent, msg) -> tasks.add(msg));
        System.out.println("Alice's sockets: " + alice.sockets().keySet() + "; Bob's sockets: " + bob.sockets().keySet());

        // A subscription reaches the publisher asynchronously: publish until Bob hears one.
        await("Bob to hear Alice's news", () -> {
            alice.send("connection", "news flash");
            return !news.isEmpty();
        });
        alice.send("work", "task 1");
        await("Bob to get task 1", () -> tasks.contains("task 1"));
        System.out.println("Bob heard '" + news.get(0) + "' and got '" + tasks.get(0) + "'");

        System.out.println("\n-- alice.close(\"connection\")");
        alice.close("connection");
        System.out.println("Alice has 'connection': " + alice.hasSocket("connection") + "; her sockets: "
                + alice.sockets().keySet());
        check(!alice.hasSocket("connection") && alice.hasSocket("work"), "only 'connection' to be closed");
        try {
            alice.send("connection", "too late");
            check(false, "sending on a closed socket to fail");
        } catch (UnknownAliasException expected) {
            System.out.println("Sending on it now fails: " + expected.getMessage());
        }
        try {
            ns.addr("Alice", "connection");
            check(false, "the name server to forget the closed socket");
        } catch (UnknownAliasException expected) {
            System.out.println("The name server forgot it too: " + expected.getMessage());
        }
        alice.send("work", "task 2");
        await("Bob to get task 2", () -> tasks.contains("task 2"));
        System.out.println("Alice's other socket still works: Bob got 'task 2'");

        System.out.println("\n-- The other end is not told: Bob still has 'news' (" + bob.hasSocket("news")
                + "), so Bob closes it himself");
        check(bob.hasSocket("news"), "Bob's end to stay open until Bob closes it");
        bob.close("news");
        System.out.println("Bob's sockets: " + bob.sockets().keySet());

        System.out.println("\n-- alice.closeAll() and bob.closeAll()");
        alice.closeAll();
        bob.closeAll();
        System.out.println("Alice's sockets: " + alice.sockets().keySet() + "; Bob's sockets: " + bob.sockets().keySet());
        check(alice.sockets().isEmpty() && bob.sockets().isEmpty(), "closeAll to leave no socket");
        check(alice.isRunning() && bob.isRunning(), "both agents to keep running without sockets");

        alice.bind(Pattern.PUB, "connection");
        System.out.println("Aliases can be reused: Alice bound 'connection' again: " + alice.hasSocket("connection"));
    }
}
