package io.zeroagents.examples;

import static io.zeroagents.examples.ExampleRun.await;
import static io.zeroagents.examples.ExampleRun.check;

import io.zeroagents.AgentAddress;
import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.BaseAgent;
import io.zeroagents.NameServer;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.SocketHandler;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * AgentZero's "distributed worker pipeline" (and osBrain's ventilator example): a ventilator pushes
 * tasks to a pool of workers, and every worker pushes its results to one sink that collects them.
 *
 * <p>The {@link Ventilator} binds {@code PUSH} and the {@link Sink} binds {@code PULL}, each in its
 * {@code onInit}. Four {@link Worker}s find both addresses through the name server, receive them as
 * initial attributes, and connect in their own {@code onInit}: a {@code PULL} client of the
 * ventilator, whose messages go to their method {@code process}, and a {@code PUSH} client of the
 * sink. Tasks and results are records, travelling as JSON. The ventilator deals 100 tasks
 * round-robin; each worker squares its numbers (pretending each takes 10 ms); the sink sums the
 * squares, counts what each worker did, and the summary is checked against the expected sum.
 *
 * <p>Run it with {@code ./mvnw -q -Pexample -Dexample=WorkerPipeline -pl examples -am package -DskipTests}.
 */
public final class WorkerPipeline {
    private static final int WORKERS = 4;
    private static final int TASKS = 100;
    private static final Duration WORK = Duration.ofMillis(10);

    private WorkerPipeline() {
    }

    /**
     * One task: a number to square, or a probe that only checks a worker is connected.
     *
     * @param number the number to square
     * @param probe  {@code true} for a probe
     */
    public record Task(int number, boolean probe) {
    }

    /**
     * What a worker sends to the sink for one task.
     *
     * @param worker the worker's name
     * @param task   the task's number
     * @param square the number squared
     * @param probe  {@code true} when answering a probe
     */
    public record Result(String worker, int task, long square, boolean probe) {
    }

    /**
     * What the sink collected.
     *
     * @param tasks          how many results it received
     * @param sumOfSquares   the sum of the squares
     * @param tasksByWorker  how many tasks each worker processed
     */
    public record Summary(int tasks, long sumOfSquares, Map<String, Integer> tasksByWorker) {
    }

    /** Binds the {@code PUSH} socket tasks leave from, and deals tasks on it. */
    public static class Ventilator extends BaseAgent {
        /** Created by the runtime; see {@link BaseAgent}. */
        public Ventilator() {
        }

        @Override
        protected void onInit() {
            bind(Pattern.PUSH, "tasks");
        }

        /** Sends one probe, which whichever worker is next answers to the sink. */
        public void probe() {
            send("tasks", new Task(0, true));
        }

        /**
         * Sends the tasks 1 to {@code count}.
         *
         * @param count how many tasks
         * @return {@code count}
         */
        public int dispatch(int count) {
            for (int n = 1; n <= count; n++) {
                send("tasks", new Task(n, false));
            }
            return count;
        }
    }

    /** Connects to the ventilator and the sink when it starts, and squares the numbers it is dealt. */
    public static class Worker extends BaseAgent {
        @Nullable AgentAddress ventilator;
        @Nullable AgentAddress sink;

        /** Created by the runtime; see {@link BaseAgent}. */
        public Worker() {
        }

        @Override
        protected void onInit() {
            // The initial attributes ventilator and sink are set before onInit runs.
            connect(Objects.requireNonNull(sink, "attribute 'sink' is unset"), "results");
            connect(Objects.requireNonNull(ventilator, "attribute 'ventilator' is unset"), "tasks",
                    SocketHandler.method("process"));
        }

        /**
         * Handles one task from the ventilator and sends its result to the sink.
         *
         * @param task the task
         * @throws InterruptedException when interrupted while pretending to work
         */
        public void process(Task task) throws InterruptedException {
            if (task.probe()) {
                send("results", new Result(name(), 0, 0, true));
                return;
            }
            Thread.sleep(WORK);   // the pretend work: this worker's loop is busy, the others are not
            send("results", new Result(name(), task.number(), (long) task.number() * task.number(), false));
        }
    }

    /** Binds the {@code PULL} socket every worker's results fan into, and sums them. */
    public static class Sink extends BaseAgent {
        private final TreeSet<String> ready = new TreeSet<>();
        private final TreeMap<String, Integer> tasksByWorker = new TreeMap<>();
        private int received;
        private long sumOfSquares;

        /** Created by the runtime; see {@link BaseAgent}. */
        public Sink() {
        }

        @Override
        protected void onInit() {
            bind(Pattern.PULL, "results", SocketHandler.method("collect"));
        }

        /**
         * Collects one result.
         *
         * @param result the result
         */
        public void collect(Result result) {
            ready.add(result.worker());
            if (!result.probe()) {
                received++;
                sumOfSquares += result.square();
                tasksByWorker.merge(result.worker(), 1, Integer::sum);
            }
        }

        /**
         * How many workers have answered a probe or a task.
         *
         * @return the number of workers heard from
         */
        public int workersHeard() {
            return ready.size();
        }

        /**
         * How many task results have arrived.
         *
         * @return the count
         */
        public int received() {
            return received;
        }

        /**
         * What was collected so far.
         *
         * @return a snapshot
         */
        public Summary summary() {
            return new Summary(received, sumOfSquares, Map.copyOf(tasksByWorker));
        }
    }

    /**
     * Runs the example; exits 0 when the sink collected every result with the right sum and every
     * worker took a share.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        ExampleRun.main("Worker pipeline: a ventilator, " + WORKERS + " workers and a sink", WorkerPipeline::run);
    }

    private static void run(NameServer ns) throws InterruptedException {
        Proxy sink = Agents.runAgent("Sink", AgentOptions.of(Sink.class));
        Proxy ventilator = Agents.runAgent("Ventilator", AgentOptions.of(Ventilator.class));
        AgentAddress tasks = ns.addr("Ventilator", "tasks");
        AgentAddress results = ns.addr("Sink", "results");
        System.out.println("Ventilator pushes tasks from " + tasks.endpoint() + "; Sink pulls results at "
                + results.endpoint() + " (both found through the name server)");
        for (int i = 1; i <= WORKERS; i++) {
            Agents.runAgent("Worker" + i, AgentOptions.builder(Worker.class)
                    .attribute("ventilator", tasks).attribute("sink", results).build());
        }
        System.out.println("Started " + WORKERS + " workers; agents registered: " + ns.agents());

        // PUSH deals only to workers whose connection is complete: probe until all have answered,
        // so the dealing is fair (the ZeroMQ guide's ventilator waits for a key press instead).
        int[] probes = {0};
        await("every worker to answer a probe", () -> {
            if (intCall(sink, "workersHeard") < WORKERS) {
                ventilator.call("probe");
                probes[0]++;
                return false;
            }
            return true;
        });
        System.out.println("Every worker is connected (" + probes[0] + " probe(s) sent)");

        long start = System.nanoTime();
        ventilator.call("dispatch", TASKS);
        System.out.println("Ventilator dispatched " + TASKS + " tasks (each pretends to take " + WORK.toMillis() + " ms)");
        await(TASKS + " results at the sink", () -> intCall(sink, "received") == TASKS);
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();

        Summary summary = Objects.requireNonNull(sink.call(Summary.class, "summary"));
        new TreeMap<>(summary.tasksByWorker()).forEach((worker, count) ->
                System.out.println(worker + " processed " + count + " tasks"));
        long expected = (long) TASKS * (TASKS + 1) * (2 * TASKS + 1) / 6;
        System.out.println("Sink collected " + summary.tasks() + " results in " + millis + " ms ("
                + TASKS * WORK.toMillis() + " ms of work)");
        System.out.println("Sum of squares of 1.." + TASKS + " = " + summary.sumOfSquares() + " (expected " + expected + ")");
        check(summary.tasks() == TASKS && summary.sumOfSquares() == expected,
                TASKS + " results summing to " + expected + ", got " + summary);
        check(summary.tasksByWorker().size() == WORKERS && summary.tasksByWorker().values().stream().allMatch(n -> n > 0),
                "every worker to take a share, got " + summary.tasksByWorker());
    }

    private static int intCall(Proxy agent, String method) {
        Integer value = agent.call(Integer.class, method);
        return value == null ? 0 : value;
    }
}
