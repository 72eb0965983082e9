package io.zeroagents.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A program in a JVM of its own, started from a test: this JVM's {@code java}, with a jar or a main
 * class and (part of) the test class path. Its output lines, standard error merged in, are collected
 * as they come, so a test can wait for one; {@link #close()} kills it, so a test that uses
 * try-with-resources leaves no process behind. {@link #run} runs a program to its end.
 */
public final class ChildProcess implements AutoCloseable {
    /** How long {@link #run(Class, List, Map, Predicate)} and {@link #runJar} let a program run. */
    public static final Duration DEFAULT_RUN_LIMIT = Duration.ofSeconds(30);
    /** How long the last of the output may take to arrive once the process has exited. */
    private static final Duration OUTPUT_LIMIT = Duration.ofSeconds(10);

    private final String name;
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    /**
     * What a program run to its end printed and how it ended.
     *
     * @param exitCode its exit status
     * @param output   what it printed, standard output and standard error interleaved, line by line
     */
    public record Result(int exitCode, String output) {
        /**
         * Asserts that the program exited 0 and printed each of {@code expected} somewhere.
         *
         * @param expected texts to find in the output
         */
        public void assertSucceededPrinting(String... expected) {
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
        public List<String> linesWith(String marker) {
            return output.lines().filter(line -> line.contains(marker)).toList();
        }
    }

    private ChildProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("[reader failed: " + e + "]");
            }
        }, "output-of-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * The test class path as surefire sets it, entry by entry.
     *
     * @return its entries, in order
     */
    public static List<String> testClassPath() {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(classPath.split(File.pathSeparator)).filter(entry -> !entry.isBlank()).toList();
    }

    /**
     * Starts {@code java -jar jar args...}.
     *
     * @param name what to call the process in failure messages
     * @param jar  the jar
     * @param args its arguments
     * @return the running process
     * @throws IOException when it cannot be started
     */
    public static ChildProcess jar(String name, Path jar, String... args) throws IOException {
        return jar(name, List.of(), jar, args);
    }

    /**
     * Starts {@code java jvmArgs... -jar jar args...}.
     *
     * @param name    what to call the process in failure messages
     * @param jvmArgs arguments for the JVM, such as {@code -Xmx64m}
     * @param jar     the jar
     * @param args    its arguments
     * @return the running process
     * @throws IOException when it cannot be started
     */
    public static ChildProcess jar(String name, List<String> jvmArgs, Path jar, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        return start(name, command, Map.of());
    }

    /**
     * Starts a main class with the whole test class path.
     *
     * @param name    what to call the process in failure messages
     * @param main    the class whose {@code main} runs
     * @param jvmArgs arguments for the JVM, before the class path
     * @param args    arguments for {@code main}
     * @return the running process
     * @throws IOException when it cannot be started
     */
    public static ChildProcess main(String name, Class<?> main, List<String> jvmArgs, String... args)
            throws IOException {
        return main(name, main, jvmArgs, Map.of(), entry -> true, args);
    }

    /**
     * Starts a main class with the entries of the test class path that {@code keep} accepts.
     *
     * @param name        what to call the process in failure messages
     * @param main        the class whose {@code main} runs
     * @param jvmArgs     arguments for the JVM, before the class path
     * @param environment variables added to this process's environment
     * @param keep        which entries of the test class path the program gets
     * @param args        arguments for {@code main}
     * @return the running process
     * @throws IOException when it cannot be started
     */
    public static ChildProcess main(String name, Class<?> main, List<String> jvmArgs, Map<String, String> environment,
                                    Predicate<String> keep, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(testClassPath().stream().filter(keep).collect(Collectors.joining(File.pathSeparator)));
        command.add(main.getName());
        command.addAll(List.of(args));
        return start(name, command, environment);
    }

    /**
     * Runs a main class to its end, as a user starts it: the whole test class path and nothing else.
     *
     * @param main  the class whose {@code main} runs
     * @param limit how long it may run
     * @return what it printed and its exit status
     * @throws IOException          when it cannot be started
     * @throws InterruptedException when interrupted while waiting for it
     * @throws AssertionError       when it ran longer than {@code limit} (it is killed then)
     */
    public static Result run(Class<?> main, Duration limit) throws IOException, InterruptedException {
        try (ChildProcess child = main(main.getSimpleName(), main, List.of())) {
            return child.awaitEnd(limit);
        }
    }

    /**
     * Runs a main class to its end, for {@link #DEFAULT_RUN_LIMIT} at most.
     *
     * @param main            the class whose {@code main} runs
     * @param jvmArgs         arguments for the JVM, before the class path
     * @param environment     variables added to this process's environment
     * @param keepOnClassPath which entries of the test class path the program gets
     * @return what it printed and its exit status
     * @throws IOException          when it cannot be started
     * @throws InterruptedException when interrupted while waiting for it
     * @throws AssertionError       when it ran too long (it is killed then)
     */
    public static Result run(Class<?> main, List<String> jvmArgs, Map<String, String> environment,
                             Predicate<String> keepOnClassPath) throws IOException, InterruptedException {
        try (ChildProcess child = main(main.getSimpleName(), main, jvmArgs, environment, keepOnClassPath)) {
            return child.awaitEnd(DEFAULT_RUN_LIMIT);
        }
    }

    /**
     * Runs {@code java -jar jar args...} to its end, for {@link #DEFAULT_RUN_LIMIT} at most.
     *
     * @param jar  the jar
     * @param args its arguments
     * @return what it printed and its exit status
     * @throws IOException          when it cannot be started
     * @throws InterruptedException when interrupted while waiting for it
     * @throws AssertionError       when it ran too long (it is killed then)
     */
    public static Result runJar(Path jar, String... args) throws IOException, InterruptedException {
        try (ChildProcess child = jar(jar.getFileName().toString(), jar, args)) {
            return child.awaitEnd(DEFAULT_RUN_LIMIT);
        }
    }

    private static ChildProcess start(String name, List<String> command, Map<String, String> environment)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        return new ChildProcess(name, builder.start());
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Waits for an output line that matches, and returns it.
     *
     * @param wanted which line
     * @param limit  how long to wait
     * @return the first such line
     * @throws AssertionError when none came in time; the message holds the output so far
     */
    public String awaitLine(Predicate<String> wanted, Duration limit) {
        Await.until(limit, () -> lines.stream().anyMatch(wanted), () -> "a matching line from " + name
                + " (alive: " + process.isAlive() + "); output so far:\n" + output());
        return lines.stream().filter(wanted).findFirst().orElseThrow();
    }

    /**
     * Waits 20 seconds at most for a line containing {@code text}.
     *
     * @param text a part of the line
     * @return the first such line
     * @throws AssertionError when none came in time; the message holds the output so far
     */
    public String awaitLine(String text) {
        return awaitLine(line -> line.contains(text), Duration.ofSeconds(20));
    }

    /**
     * What the process printed so far.
     *
     * @return its lines, joined by newlines
     */
    public String output() {
        return lines.stream().collect(Collectors.joining("\n"));
    }

    /**
     * Whether the process still runs.
     *
     * @return {@code true} until it has exited
     */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * The process's id.
     *
     * @return its pid
     */
    public long pid() {
        return process.pid();
    }

    /**
     * Waits for the process to exit by itself.
     *
     * @param limit how long to wait
     * @return its exit status
     * @throws InterruptedException when interrupted while waiting
     * @throws AssertionError       when it did not exit in time; the message holds its output
     */
    public int awaitExit(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " did not exit within " + limit.toMillis() + " ms; output:\n" + output());
        }
        return process.exitValue();
    }

    /**
     * Waits for the process to exit by itself, and for the last of its output.
     *
     * @param limit how long it may take to exit
     * @return what it printed and its exit status
     * @throws InterruptedException when interrupted while waiting
     * @throws AssertionError       when it did not exit in time; the message holds its output
     */
    public Result awaitEnd(Duration limit) throws InterruptedException {
        int exitCode = awaitExit(limit);
        Await.until(OUTPUT_LIMIT, () -> !reader.isAlive(), () -> "the rest of the output of " + name);
        return new Result(exitCode, output());
    }

    /** SIGTERM: the process runs its shutdown hooks. */
    public void terminate() {
        // Through the handle: Process.destroy() would also close the streams we read its last lines from.
        process.toHandle().destroy();
    }

    /** SIGKILL: the process gets no chance to clean up. Waits 10 seconds at most for it to end. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the process if it still runs. */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
