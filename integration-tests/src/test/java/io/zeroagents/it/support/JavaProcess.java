package io.zeroagents.it.support;

import java.io.File;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Runs a main class in a child JVM with (part of) the test class path, to its end. */
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
        try (ChildProcess child = ChildProcess.main(main.getSimpleName(), main, jvmArgs, environment, keepOnClassPath)) {
            return child.awaitEnd();
        }
    }
}
