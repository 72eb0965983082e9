package io.zeroagents.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.examples.PipelineMessages.Metrics;
import io.zeroagents.examples.PipelineMessages.Reply;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs {@link SocketPipeline} end to end in this JVM and checks every job's result, the retries and
 * the events the steps published.
 */
@Timeout(60)
class SocketPipelineTest {

    @Test
    void run_twentyJobsTwoSteps_everyJobSquaredEveryFifthRetriedAndEveryEventPublished() throws Exception {
        SocketPipeline.Outcome outcome = SocketPipeline.run();

        assertEquals(SocketPipeline.JOBS, outcome.results().size());
        outcome.results().forEach((id, reply) -> {
            int n = outcome.numbers().get(id);
            assertEquals(new Reply(id, "done", (long) n * n, n % 5 == 0 ? 2 : 1), reply);
        });
        PipelineServer.Report report = outcome.pipeline();
        List<String> events = report.events();
        for (String step : List.of("step-1", "step-2")) {
            assertTrue(events.contains("announce " + step), () -> step + " announced itself: " + events);
            assertTrue(report.metrics().get(step).last(), () -> step + " sent its last metrics: " + report.metrics());
        }
        assertEquals(SocketPipeline.JOBS, count(events, "job:succeeded "), events::toString);
        assertEquals(SocketPipeline.JOBS / 5, count(events, "job:failed "), events::toString);
        assertEquals(SocketPipeline.JOBS, count(events, "logs "), events::toString);
        Map<String, Metrics> metrics = report.metrics();
        assertEquals(SocketPipeline.JOBS, metrics.values().stream().mapToInt(Metrics::succeeded).sum());
        assertEquals(SocketPipeline.JOBS / 5, metrics.values().stream().mapToInt(Metrics::failed).sum());
    }

    private static long count(List<String> events, String prefix) {
        return events.stream().filter(e -> e.startsWith(prefix)).count();
    }
}
