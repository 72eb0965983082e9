package io.zeroagents.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zeroagents.AgentAddress;
import io.zeroagents.Agents;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.testkit.NameServerExtension;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.ThreadContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Code that runs on an agent's thread finds the agent's name in Log4j's ThreadContext under
 * {@code agent}, so a layout with {@code %X{agent}} names the agent on every line it logs.
 */
@Timeout(30)
class LogContextTest {
    @RegisterExtension
    final NameServerExtension ns = new NameServerExtension();

    @Test
    void executeAsMethod_onTheAgentsThread_seesItsNameInTheThreadContext() {
        Proxy alice = Agents.runAgent("Alice");

        assertEquals("Alice", alice.executeAsMethod((self, args) -> ThreadContext.get("agent")));
    }

    @Test
    void handler_ofAMessage_seesItsOwnAgentsName() throws Exception {
        BlockingQueue<String> seen = new ArrayBlockingQueue<>(1);
        Proxy sender = Agents.runAgent("Sender");
        Proxy receiver = Agents.runAgent("Receiver");
        AgentAddress address = receiver.bind(Pattern.PULL, "in", String.class,
                (agent, message) -> seen.add(String.valueOf(ThreadContext.get("agent"))));
        sender.connect(address, "out");

        sender.send("out", "hello");

        assertEquals("Receiver", seen.poll(20, TimeUnit.SECONDS));
    }
}
