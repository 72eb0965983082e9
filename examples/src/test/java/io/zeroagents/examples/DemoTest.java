package io.zeroagents.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the Quick start demo as users do, in its own JVM, and checks the conversation it prints. */
@Timeout(90)
class DemoTest {

    @Test
    void main_runsEveryPatternAndExitsZero() throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, Demo.class.getName()))
                .redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), output);

            assertEquals(0, process.exitValue(), output);
            for (String expected : List.of("Received: Hello, Bob! (3)", "Carol: 4 squared is 16",
                    "Rome report: sunny, 24 C", "Oslo report: snow, -3 C", "tick",
                    "Got greeting: Hello, everyone!", "Greeter has greeted 2 times",
                    "Dave's added method 'shout': HELLO!", "every agent stopped")) {
                assertTrue(output.contains(expected), "missing '" + expected + "' in:\n" + output);
            }
        } finally {
            process.destroyForcibly();
        }
    }
}
