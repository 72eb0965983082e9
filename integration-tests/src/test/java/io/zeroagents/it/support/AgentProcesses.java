package io.zeroagents.it.support;

import io.zeroagents.AgentAddress;
import io.zeroagents.AgentException;
import io.zeroagents.Agents;
import io.zeroagents.BindOptions;
import io.zeroagents.NameServer;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.SocketHandler;
import io.zeroagents.Transport;
import java.time.Duration;
import java.util.Map;

/**
 * Programs that each run one agent in their own JVM, registered with the name server named by
 * {@code -Dzeroagents.nameserver}; they print what happens and exit when their agent stops.
 */
public final class AgentProcesses {
    private AgentProcesses() {
    }

    /** Waits until the agent stops (its name server or someone else shut it down), then returns. */
    private static void runUntilStopped(Proxy agent) throws InterruptedException {
        System.out.println("READY " + agent.name());
        while (agent.isRunning()) {
            Thread.sleep(50);
        }
        System.out.println("STOPPED " + agent.name());
    }

    private static NameServer nameServer() {
        return Agents.nameServer(System.getProperty("zeroagents.nameserver"));
    }

    /** The hub: pulls, replies and publishes a tick every 100 ms on topic "news". */
    public static final class Hub {
        public static void main(String[] args) throws InterruptedException {
            Proxy hub = Agents.runAgent(args.length > 0 ? args[0] : "Hub");
            hub.bind(Pattern.PULL, "in", String.class, (agent, msg) -> System.out.println("RECEIVED " + msg));
            hub.bind(Pattern.REP, "rep", SocketHandler.onRequest(String.class, (agent, req) -> "echo " + req));
            hub.bind(Pattern.PUB, "news");
            // Methods a proxy of another process can call by name (lambdas themselves cannot travel).
            hub.setMethod("add", (self, a) -> ((Number) a[0]).intValue() + ((Number) a[1]).intValue());
            hub.setMethod("fail", (self, a) -> {
                throw new IllegalStateException("remote failure on purpose");
            });
            hub.setMethod("thread", (self, a) -> Thread.currentThread().getName());
            hub.setMethod("log", (self, a) -> {
                System.out.println("LOGGED " + a[0]);
                return null;
            });
            hub.setAttr("ticks", 0);
            hub.each(Duration.ofMillis(100), agent -> {
                int ticks = agent.getAttr("ticks", Integer.class) + 1;
                agent.setAttr("ticks", ticks);
                agent.send("news", "news", "tick " + ticks);
            });
            runUntilStopped(hub);
        }
    }

    /** Finds the hub by name, pushes to it and asks it something. */
    public static final class Pusher {
        public static void main(String[] args) throws InterruptedException {
            Proxy pusher = Agents.runAgent("Pusher");
            NameServer ns = nameServer();
            pusher.connect(ns.addr("Hub", "in"), "out");
            pusher.connect(ns.addr("Hub", "rep"), "ask");
            pusher.send("out", "hello from pusher");
            System.out.println("REPLY " + pusher.sendRecv("ask", "ping", String.class));
            runUntilStopped(pusher);
        }
    }

    /** Finds the hub by name and listens to its news. */
    public static final class Listener {
        public static void main(String[] args) throws InterruptedException {
            Proxy listener = Agents.runAgent("Listener");
            AgentAddress news = nameServer().addr("Hub", "news");
            listener.connect(news, "news", SocketHandler.onTopics(String.class,
                    Map.of("news", (agent, msg) -> System.out.println("NEWS " + msg))));
            runUntilStopped(listener);
        }
    }

    /**
     * Runs the agent named first and binds its PULL socket {@code in} on tcp at the address given
     * second (a wildcard, say), printing {@code BOUND endpoint} and each message as
     * {@code RECEIVED message}; a refused start or bind prints {@code REFUSED message} and exits 1.
     * The JVM's settings (CURVE, consent to plain text) come from its command line.
     */
    public static final class TcpBinder {
        public static void main(String[] args) throws InterruptedException {
            Proxy agent = null;
            try {
                agent = Agents.runAgent(args[0]);
                AgentAddress bound = agent.bind(Pattern.PULL, "in", BindOptions.builder().transport(Transport.TCP)
                        .address(args[1]).handler(SocketHandler.onMessage(String.class,
                                (self, msg) -> System.out.println("RECEIVED " + msg))).build());
                System.out.println("BOUND " + bound.endpoint());
            } catch (AgentException e) {
                System.out.println("REFUSED " + e.getMessage());
                if (agent != null) {
                    // Leaves its name server now rather than when its lease runs out.
                    agent.shutdown();
                }
                System.exit(1);
                return;
            }
            runUntilStopped(agent);
        }
    }
}
