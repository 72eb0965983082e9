package io.zeroagents.it.support;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Runs a main class in a child JVM with (part of) the test class path, and always reaps it. */
public final class JavaProcess {
    /** What a child JVM printed and how it ended. */
    public record Result(int exitCode, String output) {
    }

    private JavaProcess() {
    }

    /** The test class path as surefire sets it, entry by entry. */
    public static List<String> testClassPath() {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(classPath.split(File.pathSeparator)).filter(entry -> !entry.isBlank()).toList();
    }

    public static Result run(Class<?> main, List<String> jvmArgs, Map<String, String> environment,
                             Predicate<String> keepOnClassPath) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(testClassPath().stream().filter(keepOnClassPath).collect(Collectors.joining(File.pathSeparator)));
        command.add(main.getName());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        try {
            // Reading to the end waits for exit; the test's @Timeout bounds it, and finally reaps.
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("Child JVM " + main.getSimpleName() + " did not exit; output:\n" + output);
            }
            return new Result(process.exitValue(), output);
        } finally {
            process.destroyForcibly();
        }
    }
}
