package io.zeroagents.testkit;

import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.BaseAgent;
import io.zeroagents.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What an {@link AgentHostContainer} runs besides its name server: a JVM of agents registered with
 * a name server, for the test to configure through remote proxies.
 *
 * <p>Arguments: the name server's address, then {@code NAME=CLASS} pairs (an agent's name and its
 * {@link BaseAgent} class, on the image's class path). Prints {@code READY} once they all run, and
 * exits once they have all ended (shut down through the name server, or killed).
 *
 * @since 0.1
 */
public final class AgentHostMain {
    /** What the program prints once its agents run. */
    public static final String READY = "READY";

    private AgentHostMain() {
    }

    /**
     * Runs the agents.
     *
     * @param args the name server's address, then {@code NAME=CLASS} pairs
     * @throws Exception when an agent class cannot be loaded or the wait is interrupted
     */
    public static void main(String[] args) throws Exception {
        List<Proxy> agents = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            int equals = args[i].indexOf('=');
            String name = args[i].substring(0, equals);
            Class<? extends BaseAgent> type = Class.forName(args[i].substring(equals + 1)).asSubclass(BaseAgent.class);
            // The name server may still be starting (and joining its federation).
            agents.add(Agents.runAgent(name, AgentOptions.builder(type).nameServer(args[0])
                    .nameServerWait(Duration.ofSeconds(90)).build()));
            names.add(name);
        }
        System.out.println(READY + " " + String.join(" ", names));
        System.out.flush();
        while (agents.stream().anyMatch(AgentHostMain::alive)) {
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
