package io.zeroagents.runtime.internal;

import io.zeroagents.AgentException;
import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.BaseAgent;
import io.zeroagents.DuplicateAgentNameException;
import io.zeroagents.NameServer;
import io.zeroagents.Proxy;
import io.zeroagents.serialization.CodecRegistry;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * The main class of an agent that runs in a process of its own (started by
 * {@link AgentProcessLauncher}). It runs the agent, then lives as long as the agent does, or until
 * its name server has been unreachable for a while.
 *
 * <p>Public only because the JVM starts it; not API.
 */
public final class AgentProcessMain {
    /** How many consecutive failed checks of the name server end the process (about one a second). */
    private static final int NAME_SERVER_CHECKS = 10;

    private AgentProcessMain() {
    }

    /**
     * Runs one agent.
     *
     * @param args name, agent class, Base64 JSON attributes, idle period in ms, stop-on-handler-error,
     *             spin wait in ns, share sent arrays, batch sends
     * @throws Exception when the agent cannot start
     */
    public static void main(String[] args) throws Exception {
        String name = args[0];
        Class<? extends BaseAgent> agentClass = Class.forName(args[1]).asSubclass(BaseAgent.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> attributes = CodecRegistry.standard().decode("json", Base64.getDecoder().decode(args[2]),
                Map.class);
        AgentOptions options = AgentOptions.builder(agentClass)
                .attributes(attributes == null ? Map.of() : attributes)
                .idlePeriod(Duration.ofMillis(Long.parseLong(args[3])))
                .stopOnHandlerError(Boolean.parseBoolean(args[4]))
                .spinWait(Duration.ofNanos(Long.parseLong(args[5])))
                .shareSentArrays(Boolean.parseBoolean(args[6]))
                .batchSends(Integer.parseInt(args[7]))
                .build();
        Proxy agent;
        try {
            agent = Agents.runAgent(name, options);
        } catch (DuplicateAgentNameException e) {
            System.err.println(e.getMessage());
            System.exit(AgentProcessLauncher.EXIT_DUPLICATE);
            return;
        }
        NameServer nameServer = Agents.nameServer(System.getProperty("zeroagents.nameserver"));
        int failedChecks = 0;
        long nextCheck = System.nanoTime();
        // Not isRunning(): a stopped agent is paused, not gone; the process lives until it ends.
        while (((LocalProxy) agent).alive()) {
            Thread.sleep(100);
            if (System.nanoTime() >= nextCheck) {
                nextCheck = System.nanoTime() + Duration.ofSeconds(1).toNanos();
                try {
                    nameServer.agents();
                    failedChecks = 0;
                } catch (AgentException e) {
                    if (++failedChecks >= NAME_SERVER_CHECKS) {
                        System.err.println("Agent '" + name + "' stops: its name server "
                                + nameServer.address() + " is gone (" + e.getMessage() + ")");
                        agent.shutdown();
                    }
                }
            }
        }
        System.exit(0);
    }
}
