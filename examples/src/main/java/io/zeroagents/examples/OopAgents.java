package io.zeroagents.examples;

import static io.zeroagents.examples.ExampleRun.await;
import static io.zeroagents.examples.ExampleRun.check;

import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.BaseAgent;
import io.zeroagents.NameServer;
import io.zeroagents.Proxy;
import io.zeroagents.SocketHandler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * osBrain's "OOP" tutorial: agents defined as classes instead of configured through proxies.
 *
 * <p>Alice is a {@link Greeter}: its {@code onInit} binds a {@code PUSH} socket, and its public
 * method {@code hello} sends a greeting on it. Bob is a {@link Bob}, whose public method
 * {@code customLog} is the handler of the socket he connects to Alice's address (found with
 * {@code alice.addr("greetings")}, since Alice bound it herself): osBrain's
 * {@code handler='custom_log'} is {@code SocketHandler.method("customLog")}. Alice is asked to greet
 * Bob three times by name ({@code call("hello", "Bob")}) and once more through a typed proxy.
 *
 * <p>Run it with {@code ./mvnw -q -Pexample -Dexample=OopAgents -pl examples -am package -DskipTests}.
 */
public final class OopAgents {
    private OopAgents() {
    }

    /** An agent whose public method {@link #customLog} handles the greetings it receives. */
    public static class Bob extends BaseAgent {
        private final List<String> received = new CopyOnWriteArrayList<>();

        /** Created by the runtime; see {@link BaseAgent}. */
        public Bob() {
        }

        /**
         * Logs a received message; used as a socket handler by name.
         *
         * @param message the message
         */
        public void customLog(String message) {
            logInfo("Received: " + message);
            received.add(message);
        }

        /**
         * The messages received so far.
         *
         * @return the messages, oldest first
         */
        public List<String> received() {
            return List.copyOf(received);
        }
    }

    /**
     * Runs the example; exits 0 when Bob's method handled all four greetings.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        ExampleRun.main("OOP agents: a Greeter class binds in onInit, Bob handles with a method by name", OopAgents::run);
    }

    private static void run(NameServer ns) throws InterruptedException {
        Proxy alice = Agents.runAgent("Alice", AgentOptions.of(Greeter.class));
        Proxy bob = Agents.runAgent("Bob", AgentOptions.of(Bob.class));
        System.out.println("Alice (a Greeter) bound in onInit: " + alice.sockets());

        bob.connect(alice.addr("greetings"), "greetings", SocketHandler.method("customLog"));
        for (int i = 0; i < 3; i++) {
            alice.call("hello", "Bob");
        }
        int greeted = alice.as(GreeterApi.class).hello("Bob, through a typed proxy");
        await("Bob to handle four greetings", () -> received(bob).size() == 4);

        List<?> received = received(bob);
        received.forEach(message -> System.out.println("Bob's customLog handled: " + message));
        System.out.println("Alice greeted " + greeted + " times");
        check(received.equals(List.of("Hello, Bob!", "Hello, Bob!", "Hello, Bob!", "Hello, Bob, through a typed proxy!")),
                "Bob to receive three greetings and a typed one, got " + received);
        check(greeted == 4, "Alice to count four greetings, got " + greeted);
    }

    private static List<?> received(Proxy bob) {
        List<?> received = bob.call(List.class, "received");
        return received == null ? List.of() : received;
    }
}
