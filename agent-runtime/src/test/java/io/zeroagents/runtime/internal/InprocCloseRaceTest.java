package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentAddress;
import io.zeroagents.BindOptions;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.SocketHandler;
import io.zeroagents.Transport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Agents whose inproc peer closes keep running: each acknowledges the end of its pipe on its own
 * loop, and JeroMQ 0.6.0 could destroy the closing socket between queueing that acknowledgement
 * and waking the socket for it, which failed the acknowledging agent's loop (see {@code
 * MailboxRaceGuard} in the name-server module). Unguarded, this failed within 40 rounds in both
 * runs tried.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class InprocCloseRaceTest {
    @Test
    void shutdown_publisherAgentWithInprocSubscriberAgents_subscribersKeepRunning() {
        try (TestRuntime runtime = new TestRuntime()) {
            List<String> previous = List.of();
            for (int round = 0; round < 40; round++) {
                Proxy publisher = runtime.agent("Publisher" + round);
                AgentAddress pub = publisher.bind(Pattern.PUB, "pub", BindOptions.builder().transport(Transport.INPROC)
                        .build());
                List<String> subscribers = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    String name = "Subscriber" + round + "-" + i;
                    runtime.agent(name).connect(pub, "sub", SocketHandler.onMessage(Object.class, (agent, m) -> { }));
                    subscribers.add(name);
                }

                publisher.shutdown();

                // The ends of the pipes reach the subscribers after shutdown() returns: those of
                // the round before have had a whole round for it.
                checkRunningAndShutDown(runtime, previous, round - 1);
                previous = subscribers;
            }
            checkRunningAndShutDown(runtime, previous, 39);
        }
    }

    private static void checkRunningAndShutDown(TestRuntime runtime, List<String> subscribers, int round) {
        for (String name : subscribers) {
            assertTrue(runtime.host.agent(name).map(AgentCore::isRunning).orElse(false),
                    name + " stopped after its publisher of round " + round + " did");
        }
        subscribers.forEach(name -> runtime.core(name).shutdown());
    }
}
