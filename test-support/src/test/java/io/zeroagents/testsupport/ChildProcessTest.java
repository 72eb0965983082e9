package io.zeroagents.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ChildProcessTest {

    /** Prints its arguments, a property and a variable, then exits with the status its first argument names, or 0. */
    static final class Echo {
        public static void main(String[] args) {
            System.out.println("args " + String.join(" ", args));
            System.out.println("property " + System.getProperty("echo.property"));
            System.err.println("variable " + System.getenv("ECHO_VARIABLE"));
            System.exit(args.length == 0 ? 0 : Integer.parseInt(args[0]));
        }
    }

    /** Says it is ready, then waits to be killed. */
    static final class Sleeper {
        public static void main(String[] args) throws InterruptedException {
            System.out.println("READY");
            Thread.sleep(Duration.ofMinutes(5));
        }
    }

    @Test
    void run_mainClass_givesItsExitStatusAndEveryLineItPrinted() throws Exception {
        ChildProcess.Result result = ChildProcess.run(Echo.class, List.of("-Decho.property=p"),
                Map.of("ECHO_VARIABLE", "v"), entry -> true);

        assertEquals(0, result.exitCode());
        result.assertSucceededPrinting("property p", "variable v");
        assertEquals(List.of("args "), result.linesWith("args"));
    }

    @Test
    void assertSucceededPrinting_nonZeroExitOrTextMissing_fails() throws Exception {
        try (ChildProcess child = ChildProcess.main("echo", Echo.class, List.of(), "3", "x")) {
            ChildProcess.Result result = child.awaitEnd(Duration.ofSeconds(30));

            assertEquals(3, result.exitCode());
            assertEquals(List.of("args 3 x"), result.linesWith("args"));
            assertThrows(AssertionError.class, result::assertSucceededPrinting);
        }
        ChildProcess.Result succeeded = new ChildProcess.Result(0, "one\ntwo");
        succeeded.assertSucceededPrinting("one", "two");
        assertThrows(AssertionError.class, () -> succeeded.assertSucceededPrinting("three"));
    }

    @Test
    void awaitLine_thenClose_killsTheProcess() throws Exception {
        ChildProcess child = ChildProcess.main("sleeper", Sleeper.class, List.of());
        try (child) {
            assertEquals("READY", child.awaitLine("READY"));
            assertTrue(child.isAlive());
        }
        assertFalse(child.isAlive());
    }

    @Test
    void run_programRunsPastTheLimit_failsWithWhatItPrinted() {
        AssertionError failure = assertThrows(AssertionError.class,
                () -> ChildProcess.run(Sleeper.class, Duration.ofSeconds(5)));

        assertTrue(failure.getMessage().startsWith("Sleeper did not exit within 5000 ms"), failure.getMessage());
        assertTrue(failure.getMessage().contains("; output:\n"), failure.getMessage());
    }

    @Test
    void testClassPath_holdsThisModulesTestClasses() {
        assertTrue(ChildProcess.testClassPath().stream().anyMatch(entry -> entry.endsWith("test-classes")),
                ChildProcess.testClassPath().toString());
    }
}
