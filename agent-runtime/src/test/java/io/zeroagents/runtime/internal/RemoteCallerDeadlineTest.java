package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentTimeoutException;
import io.zeroagents.Proxy;
import io.zeroagents.runtime.internal.control.ControlRequest;
import io.zeroagents.runtime.internal.control.Mode;
import io.zeroagents.runtime.internal.control.Send;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The deadline a host derives from the wait a remote proxy announces ({@code caller_wait_ms}): it
 * keeps back a share of the wait for the answer's trip, never all of it, so a proxy with a short
 * timeout is still served.
 */
@Timeout(60)
class RemoteCallerDeadlineTest {

    @Test
    void callerDeadline_keepsBackAtMostFiftyMillisOrAQuarterAndNeverOverflows() {
        long now = System.nanoTime();
        ControlRequest.Builder request = ControlRequest.newBuilder().setSend(Send.getDefaultInstance());

        assertEquals(AgentLoop.NO_CALLER_DEADLINE, ControlEndpoint.callerDeadline(request.build(), now));
        assertEquals(Duration.ofMillis(950).toNanos(),
                ControlEndpoint.callerDeadline(request.setCallerWaitMs(1000).build(), now) - now);
        assertEquals(Duration.ofMillis(30).toNanos(),
                ControlEndpoint.callerDeadline(request.setCallerWaitMs(40).build(), now) - now);
        long hostile = ControlEndpoint.callerDeadline(request.setCallerWaitMs(Long.MAX_VALUE).build(), now) - now;
        assertTrue(hostile > Duration.ofHours(1).toNanos() && hostile <= Duration.ofDays(1).toNanos(),
                "a huge wait gave a deadline in " + hostile + " ns");
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"SAFE", "UNSAFE"})
    void remoteProxy_fortyMillisecondTimeout_isServed(Mode mode) throws Exception {
        try (TestRuntime runtime = new TestRuntime()) {
            runtime.agent("Target").setAttr("x", 7);
            try (ControlClient client = runtime.controlClientFor("Target")) {
                Proxy target = new RemoteProxy("Target", client, mode, runtime.codecs, Duration.ofMillis(40));
                int served = 0;
                // A loaded machine may miss 40 ms now and then; a deadline that left no time missed every call.
                for (int attempt = 0; attempt < 20; attempt++) {
                    try {
                        target.ping();
                        assertEquals(7, ((Number) target.getAttr("x")).intValue());
                        served++;
                    } catch (AgentTimeoutException e) {
                        // counted by its absence
                    }
                }
                assertTrue(served > 0, "no call with a 40 ms timeout was served");
            }
        }
    }
}
