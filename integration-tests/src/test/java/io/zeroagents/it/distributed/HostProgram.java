package io.zeroagents.it.distributed;

import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * What each host container runs besides its name server: a JVM with {@link Collector} agents,
 * registered with the name server given first, configured by the tests through remote proxies.
 *
 * <p>Arguments: the name server's address, then the agents' names. Prints {@code READY} once they
 * all run, and ends when they have all ended (shut down through the name server, or killed).
 */
public final class HostProgram {
    private HostProgram() {
    }

    /**
     * Runs the agents.
     *
     * @param args the name server's address, then agent names
     * @throws InterruptedException when interrupted while waiting for the agents to end
     */
    public static void main(String[] args) throws InterruptedException {
        List<Proxy> agents = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            agents.add(Agents.runAgent(args[i], AgentOptions.builder(Collector.class).nameServer(args[0]).build()));
        }
        System.out.println("READY " + String.join(" ", List.of(args).subList(1, args.length)));
        System.out.flush();
        while (agents.stream().anyMatch(HostProgram::alive)) {
            Thread.sleep(200);
        }
        System.out.println("ALL AGENTS ENDED");
        System.exit(0);
    }

    private static boolean alive(Proxy agent) {
        try {
            agent.ping();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
