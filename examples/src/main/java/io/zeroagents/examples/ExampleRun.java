package io.zeroagents.examples;

import io.zeroagents.Agents;
import io.zeroagents.NameServer;
import io.zeroagents.testing.AgentAwait;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * How every example's {@code main} runs: an embedded name server around the example's body, a
 * transcript on standard output and an exit status a script can trust.
 *
 * <p>Exit status 0 means the example saw what it set out to show; 1 means it did not (or threw),
 * and the transcript says why; 2 means it ran past {@link #LIMIT} and was halted, so an example
 * never hangs. The name server is shut down in every case, which stops every agent.
 */
final class ExampleRun {
    /** How long a whole example may run before it is halted. */
    static final Duration LIMIT = Duration.ofSeconds(60);
    /** How long an example waits for one expected event (a message, a tick, a reply). */
    static final Duration WAIT = Duration.ofSeconds(15);

    private ExampleRun() {
    }

    /** The part of an example that runs while its name server is up. */
    @FunctionalInterface
    interface Body {
        /**
         * Runs the example.
         *
         * @param ns the embedded name server every agent registers with
         * @throws Exception any failure, which fails the example
         */
        void run(NameServer ns) throws Exception;
    }

    /** A part of an example that runs in a JVM without a name server of its own. */
    @FunctionalInterface
    interface Step {
        /**
         * Runs the step.
         *
         * @throws Exception any failure, which fails the step
         */
        void run() throws Exception;
    }

    /**
     * Runs an example and exits the JVM with its status.
     *
     * @param title what the example shows, printed first
     * @param body  the example
     */
    static void main(String title, Body body) {
        startWatchdog(title);
        int status = 1;
        @Nullable NameServer ns = null;
        try {
            ns = Agents.runNameServer();
            System.out.println("== " + title);
            System.out.println("Name server running at " + ns.address());
            body.run(ns);
            status = 0;
        } catch (Throwable failure) {
            System.out.println("FAILED: " + failure);
            failure.printStackTrace(System.out);
        } finally {
            if (ns != null) {
                shutDown(ns);
            }
        }
        System.out.println(status == 0 ? "== Done: name server shut down, every agent stopped."
                : "== The example did not show what it should (exit status " + status + ").");
        System.out.flush();
        System.exit(status);
    }

    /**
     * Runs a step of an example in a JVM that joins a running system: it starts no name server and
     * shuts nothing down. Exits the JVM with the step's status.
     *
     * @param title what the step does, printed first
     * @param step  the step
     */
    static void joining(String title, Step step) {
        startWatchdog(title);
        int status = 1;
        try {
            System.out.println("== " + title);
            step.run();
            status = 0;
        } catch (Throwable failure) {
            System.out.println("FAILED: " + failure);
            failure.printStackTrace(System.out);
        }
        System.out.flush();
        System.exit(status);
    }

    private static void shutDown(NameServer ns) {
        try {
            ns.shutdown();
        } catch (RuntimeException e) {
            System.out.println("Name server shutdown failed: " + e);
        }
    }

    private static void startWatchdog(String title) {
        Thread.ofPlatform().daemon().name("example-watchdog").start(() -> {
            try {
                Thread.sleep(LIMIT);
            } catch (InterruptedException e) {
                return;
            }
            System.out.println("TIMED OUT: '" + title + "' ran longer than " + LIMIT.toSeconds() + " s; halting.");
            System.out.flush();
            Runtime.getRuntime().halt(2);
        });
    }

    /**
     * Fails the example unless a condition holds.
     *
     * @param condition what the example expects
     * @param expected  the expectation, in words, for the failure message
     * @throws IllegalStateException when the condition is false
     */
    static void check(boolean condition, String expected) {
        if (!condition) {
            throw new IllegalStateException("Expected " + expected);
        }
    }

    /**
     * Waits until a condition holds, polling it every few milliseconds, for up to {@link #WAIT}.
     *
     * @param what      what is awaited, for the failure message
     * @param condition the condition
     * @throws IllegalStateException when it does not hold in time
     * @throws InterruptedException  when interrupted while waiting
     */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        if (!AgentAwait.until(condition, WAIT)) {
            throw new IllegalStateException("Timed out after " + WAIT.toSeconds() + " s waiting for " + what);
        }
    }
}
