package io.zeroagents.nameserver.daemon;

import io.zeroagents.settings.HostName;
import io.zeroagents.transport.CurveKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code keys init DIR}: makes or completes a CURVE key directory (see {@link CurveKeys}). */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Makes the CURVE keys of a ZeroAgents system.",
        subcommands = KeysCommand.Init.class)
final class KeysCommand {

    /** Makes or completes a key directory. */
    @Command(name = "init", mixinStandardHelpOptions = true,
            description = {"Makes a key directory: the system's server certificate (unless one is there: copy the same"
                    + " server.secret to every host), this host's client certificate, and its public key in"
                    + " authorized/. Copy each host's authorized/*.public into the others' authorized/ to let it in."})
    static final class Init implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", description = "The key directory.")
        @Nullable Path directory;

        @Option(names = "--name", paramLabel = "NAME",
                description = "The name this host's key is authorized under (default: the host name, $HOSTNAME"
                        + " if set).")
        @Nullable String name;

        @Spec
        @Nullable CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            String client = name != null ? name : HostName.local().orElseThrow(() -> new CommandLine.ParameterException(
                    java.util.Objects.requireNonNull(spec).commandLine(),
                    "Cannot tell this host's name ($HOSTNAME is unset and it does not resolve); give --name"));
            CurveKeys keys = CurveKeys.init(java.util.Objects.requireNonNull(directory), client);
            java.util.Objects.requireNonNull(spec).commandLine().getOut().println("Keys in " + keys.directory()
                    + ": client '" + client + "' with public key " + keys.clientPublicKey());
            return 0;
        }
    }
}
