package io.zeroagents.runtime.internal;

import io.zeroagents.AgentException;
import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.DuplicateAgentNameException;
import io.zeroagents.NameServer;
import io.zeroagents.Proxy;
import io.zeroagents.runtime.internal.launch.AgentLaunch;
import io.zeroagents.serialization.CodecRegistry;
import java.time.Duration;

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
     * @param args none: the agent's launch comes on standard input, as {@link AgentLaunchBlob#write}
     *             writes it
     * @throws Exception when the agent cannot start
     */
    public static void main(String[] args) throws Exception {
        AgentLaunch launch;
        try {
            launch = AgentLaunchBlob.read(args, System.in);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(AgentProcessLauncher.EXIT_BAD_LAUNCH);
            return;
        }
        // Before anything reads them: the codecs and the runtime read their settings when they start.
        launch.getSettingsMap().forEach(System::setProperty);
        String name = launch.getName();
        AgentOptions options = AgentLaunchBlob.options(launch, CodecRegistry.standard());
        Proxy agent;
        try {
            agent = Agents.runAgent(name, options);
        } catch (DuplicateAgentNameException e) {
            System.err.println(e.getMessage());
            System.exit(AgentProcessLauncher.EXIT_DUPLICATE);
            return;
        }
        NameServer nameServer = Agents.nameServer(AgentLaunchBlob.nameServer(launch));
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
