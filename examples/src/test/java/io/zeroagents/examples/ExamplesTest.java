package io.zeroagents.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.testsupport.ChildProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs every example as users do, each in its own JVM, and checks its exit status and the lines
 * that prove it showed what it is about.
 */
@Timeout(90)
class ExamplesTest {
    /** How long an example may run: longer than its own watchdog, so one that hangs is halted by itself first. */
    static final Duration LIMIT = ExampleRun.LIMIT.plusSeconds(15);
    private static final List<Class<?>> EXAMPLES = List.of(ClientsVersusServers.class, ClosingConnections.class,
            AddingNewMethods.class, Lambdas.class, ShuttingDown.class, OopAgents.class, InitialAttributes.class,
            ProxiesToExistingNameServer.class, WorkerPipeline.class, SocketPipeline.class);

    @Test
    void main_pushServerAndPullServerWithThreeClients_dealsRoundRobinAndFansIn() throws Exception {
        ChildProcess.Result run = ChildProcess.run(ClientsVersusServers.class, LIMIT);

        run.assertSucceededPrinting("Round-robin: each of the 3 clients got every third task",
                "Fan-in: the Collector got all 9 messages from 3 clients, each client's in order");
        List<Integer> dealt = new ArrayList<>();
        for (String line : run.linesWith(" got tasks ")) {
            Matcher tasks = Pattern.compile("Client\\d got tasks \\[(\\d), (\\d), (\\d)]").matcher(line);
            assertTrue(tasks.find(), line);
            int first = Integer.parseInt(tasks.group(1));
            assertEquals(List.of(first, first + 3, first + 6),
                    List.of(first, Integer.parseInt(tasks.group(2)), Integer.parseInt(tasks.group(3))), line);
            dealt.addAll(List.of(first, first + 3, first + 6));
        }
        assertEquals(IntStream.rangeClosed(1, 9).boxed().toList(), dealt.stream().sorted().toList(), run.output());
    }

    @Test
    void main_closeThenCloseAll_removesOnlyTheClosedSockets() throws Exception {
        ChildProcess.run(ClosingConnections.class, LIMIT).assertSucceededPrinting(
                "Alice has 'connection': false; her sockets: [work]",
                "Sending on it now fails: ",
                "The name server forgot it too: ",
                "Alice's other socket still works: Bob got 'task 2'",
                "Bob still has 'news' (true)",
                "Alice's sockets: []; Bob's sockets: []");
    }

    @Test
    void main_methodsAddedThroughProxy_computeAndCanBeReplaced() throws Exception {
        ChildProcess.run(AddingNewMethods.class, LIMIT).assertSucceededPrinting(
                "setX(1), setY(2), add() = 3",
                "add replaced; add() = 1 + 2 = 3");
    }

    @Test
    void main_tenRequestsToLambdaHandler_getTenRepliesInOrder() throws Exception {
        ChildProcess.Result run = ChildProcess.run(Lambdas.class, LIMIT);

        run.assertSucceededPrinting("Bob got all 10 replies");
        assertEquals(IntStream.range(0, 10).mapToObj(i -> "Bob sent " + i + ", Alice replied: Received " + i).toList(),
                run.linesWith("Bob sent "), run.output());
    }

    @Test
    void main_oneAgentThenTheNameServerShutDown_stopsTheirTimersInTurn() throws Exception {
        ChildProcess.run(ShuttingDown.class, LIMIT).assertSucceededPrinting(
                "Agent0 running: false",
                "Agents registered: [Agent1]",
                "Agent1 ticked on",
                "Agent1 running: false",
                "No agent ticks any more");
    }

    @Test
    void main_greeterAndBobClasses_bobsMethodHandlesEveryGreeting() throws Exception {
        ChildProcess.Result run = ChildProcess.run(OopAgents.class, LIMIT);

        run.assertSucceededPrinting("Alice greeted 4 times");
        assertEquals(List.of("Hello, Bob!", "Hello, Bob!", "Hello, Bob!", "Hello, Bob, through a typed proxy!"),
                run.linesWith("Bob's customLog handled: ").stream()
                        .map(line -> line.substring(line.indexOf(": ") + 2)).toList(), run.output());
    }

    @Test
    void main_attributesAfterOrAtStart_onlyInitialOnesReachOnInit() throws Exception {
        ChildProcess.run(InitialAttributes.class, LIMIT).assertSucceededPrinting(
                "Foo (setAttrs after starting): x = 1 y = 2",
                "Bar (attributes when starting): x = 1 y = 2",
                "LatePoint (a Point, setAttrs after starting): x = 1 y = 2 sum = 0",
                "EarlyPoint (a Point, attributes when starting): x = 1 y = 2 sum = 3");
    }

    @Test
    void main_secondJvmKnowingOnlyTheAddress_reachesAgent1() throws Exception {
        ChildProcess.run(ProxiesToExistingNameServer.class, LIMIT).assertSucceededPrinting(
                "[second JVM] Agents registered: [Agent0, Agent1, Agent2]",
                "[second JVM] Agent1 answers ping: pong",
                "[Agent1] Hello world!",
                "Back in this JVM, Agent1's attribute 'greeting' = Hello from another JVM");
    }

    @Test
    void main_hundredTasksThroughFourWorkers_sinkSumsEverySquare() throws Exception {
        ChildProcess.Result run = ChildProcess.run(WorkerPipeline.class, LIMIT);

        run.assertSucceededPrinting("Sink collected 100 results",
                "Sum of squares of 1..100 = 338350 (expected 338350)");
        List<String> shares = run.linesWith(" processed ");
        assertEquals(List.of("Worker1", "Worker2", "Worker3", "Worker4"),
                shares.stream().map(line -> line.substring(0, line.indexOf(' '))).toList(), run.output());
        assertEquals(100, shares.stream()
                .mapToInt(line -> Integer.parseInt(line.replaceAll(".* processed (\\d+) tasks", "$1"))).sum(), run.output());
    }

    @Test
    void main_socketPipeline_printsEverySquareAndEachStepsMetrics() throws Exception {
        ChildProcess.Result run = ChildProcess.run(SocketPipeline.class, LIMIT);

        run.assertSucceededPrinting("job-5: 5 squared = 25 (attempts: 2)", "job-7: 7 squared = 49 (attempts: 1)",
                "Metrics of step-1: ", "Metrics of step-2: ",
                "All " + SocketPipeline.JOBS + " jobs squared; every fifth was retried once");
        assertEquals(SocketPipeline.JOBS, run.linesWith(" squared = ").size(), run.output());
    }

    @Test
    void examplesPage_everyExample_hasItsOneCommand() throws Exception {
        Path page = Path.of("..", "docs", "guide", "examples.md");
        String text = Files.readString(page, StandardCharsets.UTF_8);

        for (Class<?> example : EXAMPLES) {
            String command = "./mvnw -q -Pexample -Dexample=" + example.getSimpleName() + " -pl examples -am package -DskipTests";
            assertTrue(text.contains(command), () -> page + " lacks `" + command + "`");
        }
    }

    @Test
    void readme_quickStart_runsTheDemoAndEveryTest() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);

        for (String command : List.of("./mvnw -Pdemo -pl examples -am package -DskipTests", "./mvnw verify")) {
            assertTrue(readme.contains(command), () -> "README.md lacks `" + command + "`");
        }
    }
}
