package io.zeroagents.it.support;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A long-running child JVM whose output lines are collected as they come, so a test can wait for
 * one. {@link #close()} kills it, so a test that uses try-with-resources leaves no process behind.
 */
public final class ChildProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

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

    /** Starts {@code java -jar jar args...}. */
    public static ChildProcess jar(String name, Path jar, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(java(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        return start(name, command, Map.of());
    }

    /** Starts a main class with the whole test class path and extra JVM arguments. */
    public static ChildProcess main(String name, Class<?> main, List<String> jvmArgs, String... args) throws IOException {
        return main(name, main, jvmArgs, Map.of(), entry -> true, args);
    }

    /** Starts a main class with the entries of the test class path that {@code keep} accepts. */
    public static ChildProcess main(String name, Class<?> main, List<String> jvmArgs, Map<String, String> environment,
                                    Predicate<String> keep, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(JavaProcess.testClassPath().stream().filter(keep).collect(Collectors.joining(File.pathSeparator)));
        command.add(main.getName());
        command.addAll(List.of(args));
        return start(name, command, environment);
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

    /** The nameserver.jar the build made, as the surefire configuration names it. */
    public static Path nameServerJar() {
        String jar = System.getProperty("zeroagents.test.nameserver.jar");
        if (jar == null || !new File(jar).isFile()) {
            throw new IllegalStateException("nameserver.jar not found at " + jar + ": run the build from the top");
        }
        return Path.of(jar);
    }

    /** Waits for an output line that matches, and returns it. */
    public String awaitLine(Predicate<String> wanted, Duration limit) {
        Await.until(limit, () -> lines.stream().anyMatch(wanted), () -> "a matching line from " + name
                + " (alive: " + process.isAlive() + "); output so far:\n" + output());
        return lines.stream().filter(wanted).findFirst().orElseThrow();
    }

    /** Waits for a line containing {@code text}. */
    public String awaitLine(String text) {
        return awaitLine(line -> line.contains(text), Duration.ofSeconds(20));
    }

    public String output() {
        return lines.stream().collect(Collectors.joining("\n"));
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** Waits for the process to exit by itself and returns its exit code. */
    public int awaitExit(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " did not exit within " + limit.toMillis() + " ms; output:\n" + output());
        }
        return process.exitValue();
    }

    /** SIGTERM: the process runs its shutdown hooks. */
    public void terminate() {
        // Through the handle: Process.destroy() would also close the streams we read its last lines from.
        process.toHandle().destroy();
    }

    /** SIGKILL: the process gets no chance to clean up. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    /** Runs {@code java -jar jar args...} to its end and returns what it printed and its exit code. */
    public static JavaProcess.Result runJar(Path jar, String... args) throws IOException, InterruptedException {
        try (ChildProcess child = jar(jar.getFileName().toString(), jar, args)) {
            return child.awaitEnd();
        }
    }

    /** Waits for the process to exit by itself, and for the last of its output. */
    JavaProcess.Result awaitEnd() throws InterruptedException {
        int exitCode = awaitExit(Duration.ofSeconds(30));
        Await.until(Duration.ofSeconds(5), () -> !reader.isAlive(), () -> "the rest of the output of " + name);
        return new JavaProcess.Result(exitCode, output());
    }
}
