package io.zeroagents.examples;

import static io.zeroagents.examples.ExampleRun.check;

import io.zeroagents.examples.PipelineMessages.Reply;
import io.zeroagents.examples.PipelineMessages.Request;
import io.zeroagents.sockets.Poll;
import io.zeroagents.sockets.SocketManager;
import io.zeroagents.sockets.SocketType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * AgentZero's "distributed worker pipeline" as AgentZero builds it: named sockets and no agents,
 * each entity on its thread with a {@code SocketManager} of its own.
 *
 * <p>The {@link PipelineServer pipeline} binds a SUB socket for step events and a REP socket that
 * hands out job ids and answers status queries. Two {@link PipelineStep steps} bind a PULL socket
 * each and announce their job type and address on a PUB socket connected to the pipeline's SUB;
 * the pipeline connects its PUSH socket to each step it hears of and deals the jobs (the client waits
 * until it has heard of both, so both share the work). Steps publish
 * each success and failure (with the exception serialized), live metrics and log lines; a failed
 * job is retried. A client submits twenty numbers through REQ, then queries each job's status
 * until it is done, and the squares, the retries and the events are checked.
 *
 * <p>Run it with {@code ./mvnw -q -Pexample -Dexample=SocketPipeline -pl examples -am package -DskipTests}.
 */
public final class SocketPipeline {
    /** How many jobs the client submits. */
    static final int JOBS = 20;
    /** How many steps run the jobs. */
    static final int STEPS = 2;
    private static final Duration WAIT = Duration.ofSeconds(30);

    private SocketPipeline() {
    }

    /**
     * What a run produced.
     *
     * @param results  each job's reply once done, by job id
     * @param numbers  each job's input, by job id
     * @param pipeline what the pipeline saw: events, metrics, results and attempts
     */
    record Outcome(Map<String, Reply> results, Map<String, Integer> numbers, PipelineServer.Report pipeline) {
    }

    /**
     * Runs the example.
     *
     * @param args none
     */
    public static void main(String[] args) {
        ExampleRun.joining("AgentZero's worker pipeline over named sockets", () -> {
            Outcome outcome = run();
            outcome.results().forEach((id, reply) -> System.out.println(id + ": " + outcome.numbers().get(id)
                    + " squared = " + reply.result() + " (attempts: " + reply.attempts() + ")"));
            outcome.pipeline().metrics().values().stream()
                    .sorted((a, b) -> a.step().compareTo(b.step()))
                    .forEach(m -> System.out.println("Metrics of " + m.step() + ": " + m.succeeded()
                            + " succeeded, " + m.failed() + " failed"));
            System.out.println("Events the pipeline received, by topic: " + countByTopic(outcome.pipeline().events()));
            boolean allSquared = outcome.results().entrySet().stream().allMatch(e -> e.getValue().result() != null
                    && e.getValue().result() == (long) outcome.numbers().get(e.getKey()) * outcome.numbers().get(e.getKey()));
            check(outcome.results().size() == JOBS && allSquared, "every job's square");
            System.out.println("All " + JOBS + " jobs squared; every fifth was retried once");
        });
    }

    /**
     * Starts the pipeline and its steps, submits {@link #JOBS} jobs, waits for every result, stops
     * everything and returns what happened.
     *
     * @return the outcome
     * @throws Exception when a thread fails or something takes longer than 30 seconds
     */
    static Outcome run() throws Exception {
        PipelineServer pipeline = new PipelineServer(STEPS);
        Thread pipelineThread = Thread.ofPlatform().name("pipeline").start(pipeline);
        PipelineServer.Addresses addresses = pipeline.addresses().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        List<PipelineStep> steps = new ArrayList<>();
        List<Thread> stepThreads = new ArrayList<>();
        for (int i = 1; i <= STEPS; i++) {
            PipelineStep step = new PipelineStep("step-" + i, addresses.events());
            steps.add(step);
            stepThreads.add(Thread.ofPlatform().name("step-" + i).start(step));
        }
        Map<String, Reply> results = new LinkedHashMap<>();
        Map<String, Integer> numbers = new LinkedHashMap<>();
        try (SocketManager client = SocketManager.builder().timeout(WAIT).pollingTimeout(Duration.ofMillis(50)).build()) {
            client.ensureAndConnect("requester", SocketType.REQ, addresses.api(), Poll.BOTH);
            pipeline.stepsConnected().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            for (int n = 1; n <= JOBS; n++) {
                Reply queued = ask(client, new Request("execute", n, null));
                numbers.put(queued.jobId(), n);
            }
            long deadline = System.nanoTime() + WAIT.toNanos();
            for (String id : numbers.keySet()) {
                Reply reply = ask(client, new Request("status", null, id));
                while (!reply.state().equals("done")) {
                    check(System.nanoTime() < deadline, "job " + id + " done within " + WAIT.toSeconds() + " s");
                    Thread.sleep(10);
                    reply = ask(client, new Request("status", null, id));
                }
                results.put(id, reply);
            }
        } finally {
            steps.forEach(PipelineStep::stop);
            for (Thread t : stepThreads) {
                t.join(WAIT.toMillis());
            }
            pipeline.stop();
            pipelineThread.join(WAIT.toMillis());
        }
        return new Outcome(results, numbers, pipeline.report().get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    private static Reply ask(SocketManager client, Request request) {
        check(client.sendSafe("requester", request), "the pipeline to take a request");
        return client.recvSafe("requester", Reply.class)
                .orElseThrow(() -> new IllegalStateException("The pipeline did not reply to " + request));
    }

    private static Map<String, Integer> countByTopic(List<String> events) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        PipelineMessages.TOPICS.forEach(topic -> counts.put(topic, 0));
        for (String event : events) {
            counts.merge(event.substring(0, event.indexOf(' ')), 1, Integer::sum);
        }
        return counts;
    }
}
