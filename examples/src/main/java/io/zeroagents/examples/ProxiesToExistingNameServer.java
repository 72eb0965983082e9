package io.zeroagents.examples;

import static io.zeroagents.examples.ExampleRun.check;

import io.zeroagents.Agents;
import io.zeroagents.NameServer;
import io.zeroagents.Proxy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * osBrain's "Creating proxies to existing name servers" tutorial: attaching to a name server that
 * is already running, knowing only its address ({@code Agents.nameServer(address)}, osBrain's
 * {@code NSProxy(nsaddr=...)}).
 *
 * <p>This JVM runs a name server and the agents Agent0, Agent1 and Agent2. Then a second JVM, which
 * has no proxy to anything, attaches to the name server by address, lists its agents, gets a proxy
 * to Agent1 and through it makes Agent1 log {@code Hello world!} (logged here, where Agent1 runs) and
 * sets an attribute on it, which this JVM then reads.
 *
 * <p>Run it with {@code ./mvnw -q -Pexample -Dexample=ProxiesToExistingNameServer -pl examples -am package -DskipTests}.
 */
public final class ProxiesToExistingNameServer {
    private static final String ATTACH = "--attach";
    private static final String GREETING = "Hello from another JVM";

    private ProxiesToExistingNameServer() {
    }

    /**
     * Runs the example; exits 0 when the second JVM reached Agent1 through the name server's address.
     *
     * @param args none to run the example; {@code --attach <address>} in the second JVM it starts
     */
    public static void main(String[] args) {
        if (args.length == 2 && args[0].equals(ATTACH)) {
            ExampleRun.joining("Second JVM: attaching to the name server at " + args[1], () -> attach(args[1]));
        } else {
            ExampleRun.main("Proxies to an existing name server: another JVM attaches by address",
                    ProxiesToExistingNameServer::run);
        }
    }

    private static void run(NameServer ns) throws IOException, InterruptedException {
        for (int i = 0; i < 3; i++) {
            Agents.runAgent("Agent" + i);
        }
        System.out.println("This JVM runs " + ns.agents() + "; starting a second JVM that knows only " + ns.address());

        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ProxiesToExistingNameServer.class.getName(),
                ATTACH, ns.address())
                .redirectErrorStream(true).start();
        Thread relay = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    System.out.println("  [second JVM] " + line);
                }
            } catch (IOException e) {
                System.out.println("  [second JVM] output lost: " + e);
            }
        });
        try {
            check(other.waitFor(ExampleRun.WAIT.toSeconds() * 2, TimeUnit.SECONDS), "the second JVM to finish");
            relay.join(ExampleRun.WAIT.toMillis());
            check(other.exitValue() == 0, "the second JVM to exit 0, it exited " + other.exitValue());
        } finally {
            other.destroyForcibly();
        }

        Object greeting = ns.proxy("Agent1").getAttr("greeting");
        System.out.println("Back in this JVM, Agent1's attribute 'greeting' = " + greeting);
        check(GREETING.equals(greeting), "the second JVM to have set Agent1's greeting");
    }

    private static void attach(String address) {
        NameServer ns = Agents.nameServer(address);
        List<String> agents = ns.agents();
        System.out.println("Agents registered: " + agents);
        check(agents.equals(List.of("Agent0", "Agent1", "Agent2")), "Agent0, Agent1 and Agent2, got " + agents);

        Proxy agent1 = ns.proxy("Agent1");
        System.out.println("Agent1 answers ping: " + agent1.ping());
        agent1.log("INFO", "Hello world!");
        System.out.println("Asked Agent1 to log 'Hello world!' (it logs in the JVM that runs it)");
        agent1.setAttr("greeting", GREETING);
        System.out.println("Set Agent1's attribute 'greeting' to '" + GREETING + "'");
    }
}
