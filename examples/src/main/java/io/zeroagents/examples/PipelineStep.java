package io.zeroagents.examples;

import io.zeroagents.examples.PipelineMessages.Announce;
import io.zeroagents.examples.PipelineMessages.Failed;
import io.zeroagents.examples.PipelineMessages.Job;
import io.zeroagents.examples.PipelineMessages.LogLine;
import io.zeroagents.examples.PipelineMessages.Metrics;
import io.zeroagents.examples.PipelineMessages.Succeeded;
import io.zeroagents.sockets.Poll;
import io.zeroagents.sockets.SocketManager;
import io.zeroagents.sockets.SocketType;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A step of {@link SocketPipeline}, on a thread of its own with a {@link SocketManager} of its own:
 * it binds a PULL socket to a random port for its jobs, connects a PUB socket to the pipeline's
 * SUB, announces its job type and address there until it stops, and publishes each job's success
 * or failure, its metrics and its log lines. It squares numbers; the first run of every fifth
 * number throws, to show the pipeline's retry.
 */
final class PipelineStep implements Runnable {
    /** The job type steps of this class run. */
    static final String JOB_TYPE = "square";
    private static final Duration ANNOUNCE_EVERY = Duration.ofMillis(100);

    private final String name;
    private final String pipelineEvents;
    private final AtomicBoolean running = new AtomicBoolean(true);

    /**
     * @param name           the step's name
     * @param pipelineEvents the address of the pipeline's SUB socket
     */
    PipelineStep(String name, String pipelineEvents) {
        this.name = name;
        this.pipelineEvents = pipelineEvents;
    }

    /** Asks the step to publish its last metrics and stop. */
    void stop() {
        running.set(false);
    }

    @Override
    public void run() {
        try {
            serve();
        } catch (RuntimeException | Error e) {
            System.out.println(name + " failed: " + e);
            throw e;
        }
    }

    private void serve() {
        try (SocketManager sockets = SocketManager.builder().timeout(Duration.ofSeconds(5))
                .pollingTimeout(Duration.ofMillis(20)).build()) {
            sockets.create("step-in", SocketType.PULL);
            String address = sockets.bindToRandomPort("step-in", Poll.IN, "tcp://127.0.0.1");
            sockets.ensureAndConnect("step-events", SocketType.PUB, pipelineEvents, Poll.OUT);
            Set<Integer> failedOnce = new HashSet<>();
            int succeeded = 0;
            int failed = 0;
            long nextAnnounce = 0;
            while (running.get()) {
                if (System.nanoTime() - nextAnnounce >= 0) {
                    // Repeated: a subscriber misses what is published before its subscription arrives.
                    sockets.publishSafe("step-events", PipelineMessages.ANNOUNCE, new Announce(name, JOB_TYPE, address));
                    sockets.publishSafe("step-events", PipelineMessages.METRICS,
                            new Metrics(name, succeeded, failed, false));
                    nextAnnounce = System.nanoTime() + ANNOUNCE_EVERY.toNanos();
                }
                Optional<Job> job = sockets.recvSafe("step-in", Job.class, Duration.ofMillis(20));
                if (job.isEmpty()) {
                    continue;
                }
                Job j = job.get();
                try {
                    long result = square(j, failedOnce);
                    succeeded++;
                    sockets.publishSafe("step-events", PipelineMessages.SUCCEEDED,
                            new Succeeded(j.jobId(), name, result, j.attempt()));
                    sockets.publishSafe("step-events", PipelineMessages.LOGS,
                            new LogLine(name, j.jobId() + " -> " + result));
                } catch (IllegalStateException e) {
                    failed++;
                    sockets.publishSafe("step-events", PipelineMessages.FAILED,
                            new Failed(j.jobId(), name, j.attempt(), PipelineMessages.serialized(e)));
                }
            }
            sockets.publishSafe("step-events", PipelineMessages.METRICS, new Metrics(name, succeeded, failed, true));
        }
    }

    /** The job's result; throws on the first run of a multiple of five. */
    private static long square(Job job, Set<Integer> failedOnce) {
        if (job.number() % 5 == 0 && job.attempt() == 1 && failedOnce.add(job.number())) {
            throw new IllegalStateException("transient failure of " + job.jobId());
        }
        return (long) job.number() * job.number();
    }
}
