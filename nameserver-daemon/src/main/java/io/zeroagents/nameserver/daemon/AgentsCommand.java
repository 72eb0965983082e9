package io.zeroagents.nameserver.daemon;

import io.zeroagents.AgentException;
import io.zeroagents.NameServerException;
import io.zeroagents.UnknownAgentException;
import io.zeroagents.nameserver.AdminToken;
import io.zeroagents.nameserver.NameServerClient;
import io.zeroagents.nameserver.protocol.AddressEntry;
import io.zeroagents.nameserver.protocol.AgentEntry;
import io.zeroagents.transport.CurveKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code agents list|ping|addr|shutdown|evict --ns ENDPOINT}: what a running name server knows and
 * does. Shutting down and evicting need the name server's admin token, which the commands read from
 * the token file of the port they talk to ({@link AdminToken}) when the name server is on this
 * machine; with CURVE, a key listed in the key directory's admins file is enough.
 */
@Command(name = "agents", mixinStandardHelpOptions = true,
        description = "Lists, pings, looks up, shuts down and evicts the agents of a running name server.",
        subcommands = {AgentsCommand.ListAgents.class, AgentsCommand.Ping.class, AgentsCommand.Addr.class,
                AgentsCommand.ShutdownAgents.class, AgentsCommand.Evict.class})
final class AgentsCommand {

    /** The environment variable that names the name server the commands talk to without --ns. */
    static final String NAMESERVER_ENV = "ZEROAGENTS_NAMESERVER";
    /** The name server the commands talk to without --ns or the variable: the daemon's default --bind. */
    static final String DEFAULT_NAMESERVER = "tcp://127.0.0.1:9091";

    /** The options every subcommand shares, and the error handling they share. */
    static final class Connection {
        @Option(names = "--ns", paramLabel = "ENDPOINT",
                defaultValue = "${env:" + NAMESERVER_ENV + ":-" + DEFAULT_NAMESERVER + "}",
                description = "The name server (default: $" + NAMESERVER_ENV + ", else " + DEFAULT_NAMESERVER + ").")
        @Nullable String nameServer;

        @Option(names = "--timeout", defaultValue = "5000", paramLabel = "MILLIS",
                description = "How long to wait for the name server, in ms (default: ${DEFAULT-VALUE}).")
        long timeoutMillis = 5000;

        @Option(names = "--curve", paramLabel = "DIR",
                description = "Talk to a name server that requires CURVE, with this host's keys in DIR; the name"
                        + " server's key is the one DIR/servers/ trusts for --ns ('keys trust'), or this host's own"
                        + " for a name server on this machine.")
        java.nio.file.@Nullable Path curve;

        @Option(names = "--token-dir", paramLabel = "DIR",
                description = "Where name servers of this machine keep their admin tokens, which shutdown and evict"
                        + " need (default: ~/.zeroagents/nameservers, as the name server's --token-dir).")
        java.nio.file.@Nullable Path tokenDirectory;

        @Spec(Spec.Target.MIXEE)
        @Nullable CommandSpec spec;

        /**
         * The admin token of the name server, read from its file when the name server is on this
         * machine; null when there is none to read (the server then says where its token is).
         */
        @Nullable String adminToken() {
            try {
                return AdminToken.forAddress(tokenDirectory != null ? tokenDirectory : AdminToken.defaultDirectory(),
                        java.util.Objects.requireNonNull(nameServer)).orElse(null);
            } catch (IOException e) {
                throw new NameServerException(e.getMessage(), e);
            }
        }

        CommandSpec spec() {
            return java.util.Objects.requireNonNull(spec);
        }

        /** Runs {@code work} against the name server, turning failures into a message and an exit code. */
        int run(Work work) {
            CommandSpec command = java.util.Objects.requireNonNull(spec);
            PrintWriter out = command.commandLine().getOut();
            PrintWriter err = command.commandLine().getErr();
            CurveKeys keys;
            try {
                keys = curve == null ? null : CurveKeys.load(curve);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(command.commandLine(), e.getMessage(), e);
            }
            try (NameServerClient client = new NameServerClient(java.util.Objects.requireNonNull(nameServer),
                    Duration.ofMillis(timeoutMillis), keys)) {
                return work.run(client, out);
            } catch (UnknownAgentException e) {
                err.println(e.getMessage());
                return NameServerDaemon.EXIT_UNKNOWN;
            } catch (AgentException e) {
                err.println(e.getMessage());
                return NameServerDaemon.EXIT_FAILURE;
            }
        }
    }

    /** What a subcommand does with a connected client. */
    @FunctionalInterface
    interface Work {
        int run(NameServerClient client, PrintWriter out);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the registered agents.")
    static final class ListAgents implements Callable<Integer> {
        @Mixin
        Connection connection = new Connection();

        @Option(names = "--json", description = "Print a JSON array, one object per agent, for scripts.")
        boolean json;

        @Override
        public Integer call() {
            return connection.run((client, out) -> {
                List<AgentEntry> agents = client.list();
                if (json) {
                    out.println(AgentsJson.of(agents));
                    return 0;
                }
                if (agents.isEmpty()) {
                    out.println("No agents registered on " + client.address());
                    return 0;
                }
                // A federation says which name-server host each agent lives on; a single name server does not.
                boolean federated = agents.stream().anyMatch(agent -> !agent.getNameserverHost().isEmpty());
                String format = federated ? "%-20s %-38s %-16s %-9s %s%n" : "%-20s %-38s %s%-9s %s%n";
                out.printf(format, "NAME", "HOST", federated ? "NS HOST" : "", "LEASE", "ADDRESSES");
                for (AgentEntry agent : agents) {
                    out.printf(format, agent.getName(), agent.getHostId(), agent.getNameserverHost(),
                            agent.getLeaseRemainingMs() + "ms", addresses(agent));
                }
                return 0;
            });
        }

        private static String addresses(AgentEntry agent) {
            List<String> shown = new ArrayList<>();
            for (AddressEntry address : agent.getAddressesList()) {
                shown.add(address.getAlias() + "=" + address.getEndpoint() + " (" + address.getPattern() + ")");
            }
            return shown.isEmpty() ? "-" : String.join(", ", shown);
        }
    }

    @Command(name = "ping", mixinStandardHelpOptions = true, description = "Checks that the name server answers.")
    static final class Ping implements Callable<Integer> {
        @Mixin
        Connection connection = new Connection();

        @Override
        public Integer call() {
            return connection.run((client, out) -> {
                long started = System.nanoTime();
                String serverId = client.ping();
                out.printf("pong from name server %s at %s in %.1f ms%n", serverId, client.address(),
                        (System.nanoTime() - started) / 1e6);
                return 0;
            });
        }
    }

    @Command(name = "addr", mixinStandardHelpOptions = true,
            description = "Prints the address an agent's socket is bound to.")
    static final class Addr implements Callable<Integer> {
        @Mixin
        Connection connection = new Connection();

        @Parameters(index = "0", paramLabel = "AGENT", description = "The agent's name.")
        String agent = "";

        @Parameters(index = "1", paramLabel = "ALIAS", description = "The socket's alias.")
        String alias = "";

        @Override
        public Integer call() {
            return connection.run((client, out) -> {
                AgentEntry entry = client.lookup(agent);
                for (AddressEntry address : entry.getAddressesList()) {
                    if (address.getAlias().equals(alias)) {
                        out.println(address.getEndpoint() + " " + address.getPattern() + " " + address.getCodec());
                        return 0;
                    }
                }
                connection.spec().commandLine().getErr().println("Agent '" + agent + "' has no bound socket '" + alias
                        + "' (aliases: " + entry.getAddressesList().stream().map(AddressEntry::getAlias).toList() + ")");
                return NameServerDaemon.EXIT_UNKNOWN;
            });
        }
    }

    @Command(name = "shutdown", mixinStandardHelpOptions = true,
            description = "Stops agents (all, or those named) and waits until they have left.")
    static final class ShutdownAgents implements Callable<Integer> {
        @Mixin
        Connection connection = new Connection();

        @Parameters(arity = "0..*", paramLabel = "AGENT", description = "Agents to stop; none means every agent.")
        List<String> names = new ArrayList<>();

        @Option(names = "--wait", defaultValue = "10000", paramLabel = "MILLIS",
                description = "How long to wait for the agents to leave, in ms (default: ${DEFAULT-VALUE}).")
        long waitMillis = 10000;

        @Option(names = "--nameserver",
                description = "Then asks the name server itself to exit (a daemon; an embedded one refuses).")
        boolean nameServerToo;

        @Override
        public Integer call() {
            return connection.run((client, out) -> {
                List<String> marked = client.stopAgents(names, connection.adminToken());
                List<String> missing = names.stream().filter(name -> !marked.contains(name)).toList();
                long deadline = System.nanoTime() + Duration.ofMillis(waitMillis).toNanos();
                while (!stillRegistered(client, marked).isEmpty() && System.nanoTime() < deadline) {
                    pause();
                }
                List<String> left = stillRegistered(client, marked);
                out.println("Stopped " + (marked.size() - left.size()) + " agent(s): "
                        + marked.stream().filter(name -> !left.contains(name)).toList());
                if (!left.isEmpty()) {
                    connection.spec().commandLine().getErr().println("Still running after " + waitMillis + " ms: " + left);
                    return NameServerDaemon.EXIT_FAILURE;
                }
                if (!missing.isEmpty()) {
                    connection.spec().commandLine().getErr().println("No such agents: " + missing
                            + " (not registered, or, in a federation, their hosts use another name server)");
                    return NameServerDaemon.EXIT_UNKNOWN;
                }
                if (nameServerToo) {
                    client.shutdownServer(connection.adminToken());
                    out.println("Name server " + client.address() + " is shutting down");
                }
                return 0;
            });
        }

        private static List<String> stillRegistered(NameServerClient client, List<String> names) {
            return client.list().stream().map(AgentEntry::getName).filter(names::contains).toList();
        }

        private static void pause() {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NameServerException("Interrupted while waiting for agents to stop", e);
            }
        }
    }

    @Command(name = "evict", mixinStandardHelpOptions = true,
            description = "Removes an agent's entry whichever host registered it; its host, if still running,"
                    + " registers it again at its next heartbeat.")
    static final class Evict implements Callable<Integer> {
        @Mixin
        Connection connection = new Connection();

        @Parameters(index = "0", paramLabel = "AGENT", description = "The agent's name.")
        String agent = "";

        @Override
        public Integer call() {
            return connection.run((client, out) -> {
                AgentEntry evicted = client.evict(agent, connection.adminToken());
                out.println("Evicted agent '" + agent + "' of host " + evicted.getHostId());
                return 0;
            });
        }
    }

    private AgentsCommand() {
    }
}
