package io.zeroagents.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The soak test's handle on one of its JVMs ({@link SoakHost}): commands one at a time from any
 * thread, its stderr in a log file whose size is sampled with its heap and descriptors. A command
 * it does not answer in time marks it as stopped answering: it gets no more commands (a late answer
 * would be taken for the next one's), and the run fails.
 */
final class SoakProcess implements AutoCloseable {
    /**
     * One sample of a JVM; the figures it reports are -1 when it did not answer.
     *
     * @param heapBytes        heap in use
     * @param heapAfterGcBytes heap in use after the last collection: what a leak grows
     */
    record Sample(long atMillis, String process, long heapBytes, long heapAfterGcBytes, long descriptors, long threads,
                  long logBytes) {
        boolean answered() {
            return heapBytes >= 0;
        }
    }

    private static final Duration LIMIT = Duration.ofSeconds(15);

    private final String name;
    private final Path log;
    private final PeerProcess process;
    private volatile @Nullable String stoppedAnswering;

    SoakProcess(String name, Path log, String heap) throws IOException {
        this.name = name;
        this.log = log;
        Files.deleteIfExists(log);
        // A JVM out of memory ends rather than thrash both cores: either way it stopped answering.
        this.process = new PeerProcess(name, List.of("-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError"), SoakHost.class,
                log);
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    /** Why it stopped answering, or {@code null} while it answers. */
    @Nullable String stoppedAnswering() {
        return stoppedAnswering;
    }

    /**
     * Sends a command and returns its answer.
     *
     * @throws IllegalStateException when the JVM stopped answering, now or before
     */
    synchronized String call(String command, Duration limit) {
        String why = stoppedAnswering;
        if (why != null) {
            throw new IllegalStateException(name + " stopped answering: " + why);
        }
        try {
            return process.call(command, limit);
        } catch (IllegalStateException e) {
            if (e.getMessage() != null && e.getMessage().contains("did not answer") || !process.alive()) {
                stoppedAnswering = (process.alive() ? "" : "exited; ") + e.getMessage();
            }
            throw e;
        }
    }

    String call(String command) {
        return call(command, LIMIT);
    }

    /** Its heap, descriptors and threads now, and the size of its log. */
    Sample sample(long atMillis) {
        long logBytes = logBytes();
        try {
            String[] figures = call("stats").trim().split("\\s+");
            return new Sample(atMillis, name, Long.parseLong(figures[0]), Long.parseLong(figures[1]),
                    Long.parseLong(figures[2]), Long.parseLong(figures[3]), logBytes);
        } catch (RuntimeException e) {
            return new Sample(atMillis, name, -1, -1, -1, -1, logBytes);
        }
    }

    private long logBytes() {
        try {
            return Files.size(log);
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
