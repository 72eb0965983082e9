package io.zeroagents.nameserver.daemon;

import io.zeroagents.settings.HostName;
import io.zeroagents.transport.CurveKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code keys init|export|trust}: a host's CURVE key directory (see {@link CurveKeys}). Every host
 * makes its own key pair with {@code init}; hosts hand each other only public certificates, which
 * {@code export} prints, and which go into another host's {@code authorized/} (to let this host in)
 * or, with {@code trust}, its {@code servers/} (to reach this host's name server by address).
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Makes and exchanges the CURVE keys of a ZeroAgents host: each host has its own key pair,"
                + " and hosts hand each other only public certificates.",
        subcommands = {KeysCommand.Init.class, KeysCommand.Export.class, KeysCommand.Trust.class})
final class KeysCommand {

    /** Makes or completes a key directory. */
    @Command(name = "init", mixinStandardHelpOptions = true,
            description = {"Makes this host's key directory: its key pair (host.secret, unless one is there), its"
                    + " public certificate in authorized/, and the folder servers/. A directory of the earlier"
                    + " layout (one server.secret copied to every host) is migrated: client.secret becomes"
                    + " host.secret and server.secret is deleted. Then hand 'keys export DIR' to the other hosts."})
    static final class Init implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", description = "The key directory.")
        @Nullable Path directory;

        @Option(names = "--name", paramLabel = "NAME",
                description = "The name of this host's certificate, under which it is authorized and exported"
                        + " (default: the host name, $HOSTNAME if set).")
        @Nullable String name;

        @Spec
        @Nullable CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            String host = name != null ? name : HostName.local().orElseThrow(() -> new CommandLine.ParameterException(
                    Objects.requireNonNull(spec).commandLine(),
                    "Cannot tell this host's name ($HOSTNAME is unset and it does not resolve); give --name"));
            CurveKeys keys = CurveKeys.init(Objects.requireNonNull(directory), host);
            Objects.requireNonNull(spec).commandLine().getOut().println("Keys in " + keys.directory()
                    + ": host '" + host + "' with public key " + keys.publicKey() + "; give other hosts its"
                    + " public certificate: java -jar nameserver.jar keys export " + keys.directory());
            return 0;
        }
    }

    /** Prints this host's public certificate. */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Prints this host's public certificate (never its secret). Another host lets this one in"
                    + " by saving it in its authorized/, and reaches this host's name server by address after"
                    + " 'keys trust'."})
    static final class Export implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", description = "The key directory.")
        @Nullable Path directory;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE",
                description = "Writes the certificate to FILE instead of printing it.")
        @Nullable Path output;

        @Spec
        @Nullable CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            String certificate;
            try {
                certificate = CurveKeys.load(Objects.requireNonNull(directory)).publicCertificate();
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(Objects.requireNonNull(spec).commandLine(), e.getMessage());
            }
            if (output != null) {
                Files.writeString(output, certificate);
            } else {
                Objects.requireNonNull(spec).commandLine().getOut().print(certificate);
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }

    /** Trusts another host's server at endpoints given directly. */
    @Command(name = "trust", mixinStandardHelpOptions = true,
            description = {"Trusts a server host (its certificate from 'keys export') at the endpoints where it"
                    + " serves, writing it into DIR/servers/: a client of this host that connects to one of them"
                    + " (a name server's --ns or zeroagents.nameserver address) completes the handshake only with"
                    + " that host. Addresses handed out by a name server carry their keys and need no trust."})
    static final class Trust implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR", description = "This host's key directory.")
        @Nullable Path directory;

        @Parameters(index = "1", paramLabel = "CERTIFICATE", description = "The server host's public certificate.")
        @Nullable Path certificate;

        @Option(names = "--endpoint", paramLabel = "ENDPOINT", required = true,
                description = "Where that server serves, tcp://HOST:PORT, or tcp://HOST:* for every port of HOST;"
                        + " repeat for each.")
        List<String> endpoints = new ArrayList<>();

        @Spec
        @Nullable CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            Path written;
            try {
                written = CurveKeys.trust(Objects.requireNonNull(directory), Objects.requireNonNull(certificate),
                        endpoints);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(Objects.requireNonNull(spec).commandLine(), e.getMessage());
            }
            Objects.requireNonNull(spec).commandLine().getOut().println("Trusted " + written + " at " + endpoints);
            return 0;
        }
    }
}
