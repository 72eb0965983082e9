package io.zeroagents.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of an example's {@code main} in a JVM of its own, as a user starts it: this JVM's
 * {@code java}, the test class path, nothing else. Holds its exit status and everything it printed.
 *
 * @param exitCode the exit status
 * @param output   standard output and standard error, interleaved
 */
record ExampleProcess(int exitCode, String output) {
    /** Longer than an example's own watchdog, so an example that hangs is halted by itself first. */
    static final Duration LIMIT = ExampleRun.LIMIT.plusSeconds(15);

    /**
     * Runs a main class and waits for it to end.
     *
     * @param mainClass the class whose {@code main} to run
     * @return the finished run
     */
    static ExampleProcess run(Class<?> mainClass) throws IOException, InterruptedException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, mainClass.getName())
                .redirectErrorStream(true).start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try {
                process.getInputStream().transferTo(output);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            if (!process.waitFor(LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                reader.join(Duration.ofSeconds(5));
                fail(mainClass.getSimpleName() + " did not end within " + LIMIT.toSeconds() + " s; it printed:\n"
                        + output.toString(StandardCharsets.UTF_8));
            }
            reader.join(Duration.ofSeconds(10));
            return new ExampleProcess(process.exitValue(), output.toString(StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
        }
    }

    /** Asserts the run exited 0 and printed each of {@code expected} somewhere. */
    void assertSucceededPrinting(String... expected) {
        assertEquals(0, exitCode, () -> "exit status, output:\n" + output);
        for (String text : expected) {
            assertTrue(output.contains(text), () -> "missing '" + text + "' in:\n" + output);
        }
    }

    /**
     * The printed lines that contain a marker, in order.
     *
     * @param marker the text to look for
     * @return those lines
     */
    List<String> linesWith(String marker) {
        return output.lines().filter(line -> line.contains(marker)).toList();
    }
}
