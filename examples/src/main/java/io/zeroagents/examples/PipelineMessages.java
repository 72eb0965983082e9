package io.zeroagents.examples;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What travels in {@link SocketPipeline}, as JSON: the jobs, the API's requests and replies, and
 * the events steps publish. Records, so a plain ZeroMQ peer in any language can read and write them.
 */
final class PipelineMessages {
    /** The topic of a step's announcement of its job type and address. */
    static final String ANNOUNCE = "announce";
    /** The topic of a job that succeeded. */
    static final String SUCCEEDED = "job:succeeded";
    /** The topic of a job that failed, which the pipeline schedules again. */
    static final String FAILED = "job:failed";
    /** The topic of a step's live metrics. */
    static final String METRICS = "metrics";
    /** The topic of a step's log lines. */
    static final String LOGS = "logs";
    /** Every topic the pipeline subscribes to. */
    static final List<String> TOPICS = List.of(ANNOUNCE, SUCCEEDED, FAILED, METRICS, LOGS);

    private PipelineMessages() {
    }

    /**
     * One job on its way to a step.
     *
     * @param jobId   its id
     * @param jobType the type of step that runs it
     * @param number  its input
     * @param attempt 1 for the first run, 2 for the first retry...
     */
    public record Job(String jobId, String jobType, int number, int attempt) {
    }

    /**
     * A request to the pipeline's REP socket: {@code execute} a job, or ask the {@code status} of one.
     *
     * @param action  {@code execute} or {@code status}
     * @param number  the input, for {@code execute}
     * @param jobId   the job, for {@code status}
     */
    public record Request(String action, @Nullable Integer number, @Nullable String jobId) {
    }

    /**
     * The pipeline's reply: the job's id, its state, and its result once done.
     *
     * @param jobId    the job's id
     * @param state    {@code queued}, {@code running}, {@code done} or {@code unknown}
     * @param result   the result, once done
     * @param attempts how many times it was run
     */
    public record Reply(String jobId, String state, @Nullable Long result, int attempts) {
    }

    /**
     * A step's announcement: what it runs and where its PULL socket takes jobs.
     *
     * @param step    the step's name
     * @param jobType the job type it runs
     * @param address its PULL socket's address
     */
    public record Announce(String step, String jobType, String address) {
    }

    /**
     * A job that succeeded.
     *
     * @param jobId   the job
     * @param step    the step that ran it
     * @param result  its result
     * @param attempt which run succeeded
     */
    public record Succeeded(String jobId, String step, long result, int attempt) {
    }

    /**
     * A job that failed, with its exception serialized as AgentZero's {@code serialized_exception} does.
     *
     * @param jobId   the job
     * @param step    the step that ran it
     * @param attempt which run failed
     * @param error   the exception's class, message and stack
     */
    public record Failed(String jobId, String step, int attempt, Map<String, Object> error) {
    }

    /**
     * A step's live metrics.
     *
     * @param step      the step
     * @param succeeded jobs it ran successfully
     * @param failed    runs that failed
     * @param last      {@code true} in the step's last report, as it stops
     */
    public record Metrics(String step, int succeeded, int failed, boolean last) {
    }

    /**
     * One line of a step's log.
     *
     * @param step the step
     * @param line the line
     */
    public record LogLine(String step, String line) {
    }

    /** AgentZero's {@code serialized_exception}: what a JSON peer needs to know of an exception. */
    static Map<String, Object> serialized(Exception e) {
        return Map.of("class", e.getClass().getName(), "message", String.valueOf(e.getMessage()),
                "stack", List.of(e.getStackTrace()).stream().limit(5).map(String::valueOf).toList());
    }
}
