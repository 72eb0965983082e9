package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentOptions;
import io.zeroagents.AgentTimeoutException;
import io.zeroagents.Proxy;
import io.zeroagents.runtime.internal.control.Mode;
import io.zeroagents.testsupport.ChildProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A proxy call to an agent whose process dies fails soon after, with the exception a timeout
 * throws and a message naming the agent and the cause, instead of waiting out its limit; so does
 * the next call to that host.
 */
@Timeout(120)
class DeadHostTest {
    /** The proxy's limit: what a call to a dead host used to wait. */
    private static final Duration CALL_LIMIT = Duration.ofSeconds(30);
    /** Far below the limit, with room for a loaded machine. */
    private static final long FAIL_WITHIN_MILLIS = 10_000;

    @Test
    void hostProcessKilledMidCall_callFailsLongBeforeItsTimeout() throws Exception {
        try (TestRuntime runtime = new TestRuntime();
             ChildProcess host = ChildProcess.main("sleeper-host", SleeperHost.class, List.of(),
                     runtime.nameServer.address())) {
            host.awaitLine(SleeperHost.READY);
            try (ControlClient client = runtime.controlClientFor("Sleeper")) {
                Proxy sleeper = new RemoteProxy("Sleeper", client, Mode.SAFE, runtime.codecs, CALL_LIMIT);
                assertEquals("pong", sleeper.ping());
                CompletableFuture<Object> nap = CompletableFuture.supplyAsync(() -> sleeper.call("nap", 600_000));
                host.awaitLine(SleeperHost.NAPPING);

                long killedAt = System.nanoTime();
                host.kill();
                Throwable failure = assertThrows(ExecutionException.class,
                        () -> nap.get(FAIL_WITHIN_MILLIS, TimeUnit.MILLISECONDS),
                        "the call to the killed process's agent").getCause();
                long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);

                assertInstanceOf(AgentTimeoutException.class, failure, String.valueOf(failure));
                assertTrue(tookMillis < FAIL_WITHIN_MILLIS, "failed after " + tookMillis + " ms");
                assertTrue(failure.getMessage().contains("'Sleeper'") && failure.getMessage().contains("'call'")
                        && failure.getMessage().contains("connection"), failure.getMessage());

                long again = System.nanoTime();
                AgentTimeoutException next = assertThrows(AgentTimeoutException.class, sleeper::ping);
                long nextMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - again);
                assertTrue(nextMillis < FAIL_WITHIN_MILLIS, "the next call failed after " + nextMillis + " ms");
                assertTrue(next.getMessage().contains("'Sleeper'"), next.getMessage());
            }
        }
    }

    /** A process with one agent, "Sleeper", whose method {@code nap(millis)} sleeps; args: the name server's address. */
    static final class SleeperHost {
        static final String READY = "SLEEPER READY";
        static final String NAPPING = "SLEEPER NAPPING";

        private SleeperHost() {
        }

        public static void main(String[] args) throws Exception {
            JeroMqRuntime runtime = new JeroMqRuntime(Settings.from(Map.<String, String>of()::get, Map.of()));
            Proxy sleeper = runtime.runAgent("Sleeper", AgentOptions.builder().nameServer(args[0]).build());
            sleeper.setMethod("nap", (self, napArgs) -> {
                System.out.println(NAPPING);
                Thread.sleep(((Number) napArgs[0]).longValue());
                return "rested";
            });
            System.out.println(READY);
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
