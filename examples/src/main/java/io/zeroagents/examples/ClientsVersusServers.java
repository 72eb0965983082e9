package io.zeroagents.examples;

import static io.zeroagents.examples.ExampleRun.await;
import static io.zeroagents.examples.ExampleRun.check;

import io.zeroagents.AgentAddress;
import io.zeroagents.Agents;
import io.zeroagents.NameServer;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

/**
 * osBrain's "Clients versus servers" tutorial: a server is whoever binds, whatever role it plays in
 * the pattern, and many clients may connect to one server.
 *
 * <p>First a bound {@code PUSH} server with three {@code PULL} clients: the nine tasks it pushes are
 * dealt round-robin, so each client gets every third task. Then a bound {@code PULL} server with
 * three {@code PUSH} clients: it fans in every message from all of them, each client's messages in
 * the order that client sent them.
 *
 * <p>Run it with {@code ./mvnw -q -Pexample -Dexample=ClientsVersusServers -pl examples -am package -DskipTests}.
 */
public final class ClientsVersusServers {
    private static final int CLIENTS = 3;
    private static final int TASKS = 9;
    private static final String WARM_UP = "warm-up";

    private ClientsVersusServers() {
    }

    /**
     * Runs the example; exits 0 when the tasks were dealt round-robin and every message was fanned in.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        ExampleRun.main("Clients versus servers: a PUSH server deals round-robin, a PULL server fans in",
                ClientsVersusServers::run);
    }

    private static void run(NameServer ns) throws InterruptedException {
        pushServer();
        pullServer();
    }

    private static void pushServer() throws InterruptedException {
        System.out.println("\n-- Server binds PUSH; Client1, Client2 and Client3 connect PULL");
        Proxy server = Agents.runAgent("Server");
        AgentAddress addr = server.bind(Pattern.PUSH, "tasks");
        Map<String, List<Integer>> tasksByClient = new ConcurrentHashMap<>();
        Map<String, Integer> warmUpsByClient = new ConcurrentHashMap<>();
        List<String> clients = new ArrayList<>();
        for (int i = 1; i <= CLIENTS; i++) {
            String client = "Client" + i;
            clients.add(client);
            tasksByClient.put(client, new CopyOnWriteArrayList<>());
            Agents.runAgent(client).connect(addr, "tasks", String.class, (agent, msg) -> {
                if (msg.equals(WARM_UP)) {
                    warmUpsByClient.merge(agent.name(), 1, Integer::sum);
                } else {
                    agent.logInfo("got " + msg);
                    tasksByClient.get(agent.name()).add(Integer.parseInt(msg.substring("task ".length())));
                }
            });
        }

        // A PUSH socket deals only to clients whose connection is complete, and connecting is
        // asynchronous: warm up until every client has had a message, then the dealing is fair.
        int[] warmUps = {0};
        await("every client to be connected", () -> {
            if (warmUpsByClient.size() < CLIENTS) {
                server.send("tasks", WARM_UP);
                warmUps[0]++;
                return false;
            }
            return true;
        });
        System.out.println("Every client is connected (" + warmUps[0] + " warm-up message(s) sent)");

        for (int task = 1; task <= TASKS; task++) {
            server.send("tasks", "task " + task);
        }
        await(TASKS + " tasks to arrive", () -> tasksByClient.values().stream().mapToInt(List::size).sum() == TASKS);

        for (String client : clients) {
            System.out.println(client + " got tasks " + tasksByClient.get(client));
        }
        for (String client : clients) {
            List<Integer> got = tasksByClient.get(client);
            int first = got.isEmpty() ? 0 : got.get(0);
            List<Integer> everyThird = IntStream.iterate(first, t -> t <= TASKS, t -> t + CLIENTS).boxed().toList();
            check(got.size() == TASKS / CLIENTS && got.equals(everyThird),
                    client + " to get every third task, got " + got);
        }
        System.out.println("Round-robin: each of the " + CLIENTS + " clients got every third task");
    }

    private static void pullServer() throws InterruptedException {
        System.out.println("\n-- Collector binds PULL; Sender1, Sender2 and Sender3 connect PUSH");
        List<String> received = new CopyOnWriteArrayList<>();
        AgentAddress addr = Agents.runAgent("Collector").bind(Pattern.PULL, "inbox", String.class, (agent, msg) -> {
            agent.logInfo("got " + msg);
            received.add(msg);
        });
        List<String> senders = new ArrayList<>();
        for (int i = 1; i <= CLIENTS; i++) {
            String sender = "Sender" + i;
            senders.add(sender);
            Proxy proxy = Agents.runAgent(sender);
            proxy.connect(addr, "outbox");
            for (int n = 1; n <= 3; n++) {
                proxy.send("outbox", sender + " message " + n);
            }
        }
        int expected = CLIENTS * 3;
        await(expected + " messages at the Collector", () -> received.size() == expected);

        for (String sender : senders) {
            List<String> fromSender = received.stream().filter(m -> m.startsWith(sender + " ")).toList();
            check(fromSender.equals(List.of(sender + " message 1", sender + " message 2", sender + " message 3")),
                    "the Collector to get " + sender + "'s three messages in order, got " + fromSender);
        }
        System.out.println("Fan-in: the Collector got all " + received.size() + " messages from "
                + senders.size() + " clients, each client's in order");
    }
}
