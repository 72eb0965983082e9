package io.zeroagents.examples;

import io.zeroagents.examples.PipelineMessages.Announce;
import io.zeroagents.examples.PipelineMessages.Failed;
import io.zeroagents.examples.PipelineMessages.Job;
import io.zeroagents.examples.PipelineMessages.LogLine;
import io.zeroagents.examples.PipelineMessages.Metrics;
import io.zeroagents.examples.PipelineMessages.Reply;
import io.zeroagents.examples.PipelineMessages.Request;
import io.zeroagents.examples.PipelineMessages.Succeeded;
import io.zeroagents.sockets.Poll;
import io.zeroagents.sockets.SocketManager;
import io.zeroagents.sockets.SocketType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The pipeline entity of {@link SocketPipeline}, on a thread of its own with a {@link SocketManager}
 * of its own, polling all its sockets with {@code engage}:
 * <ul>
 *   <li>a SUB socket bound to a random port, subscribed to the steps' events;</li>
 *   <li>a REP socket bound to a random port that hands out a job id for each job to execute, and
 *       answers status queries;</li>
 *   <li>a PUSH socket that connects to each step's PULL socket as the step announces it, and deals
 *       the queued jobs to them.</li>
 * </ul>
 * A failed job goes back to the queue with its attempt counted. Every event received is kept, and
 * the steps' last metrics; {@link #report()} returns them once the pipeline has stopped.
 */
final class PipelineServer implements Runnable {
    /** The addresses the pipeline bound: its SUB for the steps and its REP for clients. */
    record Addresses(String events, String api) {
    }

    /**
     * What the pipeline saw.
     *
     * @param events  every event received, as {@code topic} and the step's name
     * @param metrics each step's last metrics
     * @param results each job's result
     * @param attempts how many runs each job took
     */
    record Report(List<String> events, Map<String, Metrics> metrics, Map<String, Long> results,
                  Map<String, Integer> attempts) {
    }

    private final int steps;
    private final CompletableFuture<Addresses> addresses = new CompletableFuture<>();
    private final CompletableFuture<Void> stepsConnected = new CompletableFuture<>();
    private final Set<String> announced = new HashSet<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CompletableFuture<Report> report = new CompletableFuture<>();
    private final List<String> events = new ArrayList<>();
    private final Map<String, Metrics> metrics = new LinkedHashMap<>();
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private final Map<String, Long> results = new LinkedHashMap<>();
    private final Deque<Job> queue = new ArrayDeque<>();
    private int nextJob = 1;

    /** @param steps how many steps must send their last metrics before the pipeline stops */
    PipelineServer(int steps) {
        this.steps = steps;
    }

    /** The addresses, once bound. */
    CompletableFuture<Addresses> addresses() {
        return addresses;
    }

    /**
     * Completes once every step has announced itself and the pipeline has connected to it. A step
     * publishes before its subscriber is connected, and what it publishes then is lost, as always
     * with PUB/SUB; from its first announcement heard on, its events arrive.
     */
    CompletableFuture<Void> stepsConnected() {
        return stepsConnected;
    }

    /** Asks the pipeline to stop once every step has sent its last metrics. */
    void stop() {
        running.set(false);
    }

    /** What the pipeline saw, once it has stopped. */
    CompletableFuture<Report> report() {
        return report;
    }

    @Override
    public void run() {
        try (SocketManager sockets = SocketManager.builder().timeout(Duration.ofSeconds(5))
                .pollingTimeout(Duration.ofMillis(20)).build()) {
            sockets.create("pipe-sub", SocketType.SUB);
            sockets.create("pipe-rep", SocketType.REP);
            sockets.create("pipe-out", SocketType.PUSH);
            PipelineMessages.TOPICS.forEach(topic -> sockets.setTopic("pipe-sub", topic));
            addresses.complete(new Addresses(sockets.bindToRandomPort("pipe-sub", Poll.IN, "tcp://127.0.0.1"),
                    sockets.bindToRandomPort("pipe-rep", Poll.IN, "tcp://127.0.0.1")));
            long stopBy = Long.MAX_VALUE;
            while (lastMetrics() < steps && System.nanoTime() - stopBy < 0) {
                Map<String, Poll> ready = sockets.engage(Duration.ofMillis(20));
                if (ready.containsKey("pipe-sub")) {
                    event(sockets);
                }
                if (ready.containsKey("pipe-rep")) {
                    request(sockets);
                }
                deal(sockets);
                if (!running.get() && stopBy == Long.MAX_VALUE) {
                    stopBy = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                }
            }
            report.complete(new Report(List.copyOf(events), Map.copyOf(metrics), Map.copyOf(results),
                    Collections.unmodifiableMap(attempts())));
        } catch (RuntimeException | Error e) {
            addresses.completeExceptionally(e);
            stepsConnected.completeExceptionally(e);
            report.completeExceptionally(e);
            throw e;
        }
    }

    private long lastMetrics() {
        return metrics.values().stream().filter(Metrics::last).count();
    }

    /** Handles one step event; the topic decides the type its data decodes into. */
    private void event(SocketManager sockets) {
        List<byte[]> frames = sockets.recvFrames("pipe-sub", Duration.ZERO).orElseThrow();
        String topic = new String(frames.get(0), StandardCharsets.UTF_8);
        byte[] data = frames.get(1);
        switch (topic) {
            case PipelineMessages.ANNOUNCE -> {
                Announce a = sockets.decode(data, Announce.class).orElseThrow();
                // Scaling: a new step is connected to as soon as it announces itself, once. Not polled:
                // a PUSH with a peer is always ready to send, and would make every engage return at once.
                sockets.ensureAndConnect("pipe-out", SocketType.PUSH, a.address(), Poll.NONE);
                record(topic, a.step());
                if (announced.add(a.step()) && announced.size() == steps) {
                    stepsConnected.complete(null);
                }
            }
            case PipelineMessages.SUCCEEDED -> {
                Succeeded s = sockets.decode(data, Succeeded.class).orElseThrow();
                results.put(s.jobId(), s.result());
                record(topic, s.step());
            }
            case PipelineMessages.FAILED -> {
                Failed f = sockets.decode(data, Failed.class).orElseThrow();
                Job failed = Objects.requireNonNull(jobs.get(f.jobId()));
                Job retry = new Job(failed.jobId(), failed.jobType(), failed.number(), failed.attempt() + 1);
                jobs.put(retry.jobId(), retry);
                queue.addLast(retry);
                record(topic, f.step());
            }
            case PipelineMessages.METRICS -> {
                Metrics m = sockets.decode(data, Metrics.class).orElseThrow();
                metrics.put(m.step(), m);
                record(topic, m.step());
            }
            case PipelineMessages.LOGS -> record(topic, sockets.decode(data, LogLine.class).orElseThrow().step());
            default -> record(topic, "?");
        }
    }

    /** Keeps each kind of event once per step and moment, but announcements and metrics only once per step. */
    private void record(String topic, String step) {
        String entry = topic + " " + step;
        boolean periodic = topic.equals(PipelineMessages.ANNOUNCE) || topic.equals(PipelineMessages.METRICS);
        if (!periodic || !events.contains(entry)) {
            events.add(entry);
        }
    }

    /** Answers one request: a job id for an execution, the state of a job for a status query. */
    private void request(SocketManager sockets) {
        Optional<Request> request = sockets.recvSafe("pipe-rep", Request.class, Duration.ZERO);
        Reply reply;
        if (request.isEmpty()) {
            reply = new Reply("", "unknown", null, 0);
        } else if (request.get().action().equals("execute") && request.get().number() != null) {
            Job job = new Job("job-" + nextJob++, PipelineStep.JOB_TYPE, request.get().number(), 1);
            jobs.put(job.jobId(), job);
            queue.addLast(job);
            reply = new Reply(job.jobId(), "queued", null, 0);
        } else {
            String id = String.valueOf(request.get().jobId());
            Job job = jobs.get(id);
            Long result = results.get(id);
            reply = job == null ? new Reply(id, "unknown", null, 0)
                    : new Reply(id, result != null ? "done" : "running", result, job.attempt());
        }
        sockets.sendSafe("pipe-rep", reply);
    }

    /** Hands queued jobs to the steps, as long as one can take them without waiting. */
    private void deal(SocketManager sockets) {
        while (!queue.isEmpty() && sockets.sendSafe("pipe-out", queue.peekFirst(), Duration.ZERO)) {
            queue.removeFirst();
        }
    }

    private Map<String, Integer> attempts() {
        Map<String, Integer> all = new LinkedHashMap<>();
        jobs.forEach((id, job) -> all.put(id, job.attempt()));
        return all;
    }
}
