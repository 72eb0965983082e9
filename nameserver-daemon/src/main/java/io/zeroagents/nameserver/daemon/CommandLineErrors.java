package io.zeroagents.nameserver.daemon;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How the daemon and its commands report what went wrong: one or a few lines a person can act on,
 * never a stack trace (that goes to the log at DEBUG). A usage mistake exits 2 and points at
 * {@code --help} instead of printing the whole usage; a failure at run time (a port in use, a name
 * server that does not answer) exits 1.
 */
final class CommandLineErrors {
    private static final Logger LOG = LogManager.getLogger(CommandLineErrors.class);

    private CommandLineErrors() {
    }

    /** Configures {@code cli}, and through it every subcommand, to report errors this way. */
    static CommandLine install(CommandLine cli) {
        cli.setParameterExceptionHandler(CommandLineErrors::badUsage);
        cli.setExecutionExceptionHandler(CommandLineErrors::failed);
        return cli;
    }

    private static int badUsage(ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        PrintWriter err = cli.getErr();
        err.println(e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + cli.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return cli.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static int failed(Exception e, CommandLine cli, ParseResult parsed) {
        PrintWriter err = cli.getErr();
        err.println(cli.getCommandSpec().qualifiedName() + ": " + describe(e));
        err.flush();
        LOG.debug("{} failed", cli.getCommandSpec().qualifiedName(), e);
        return NameServerDaemon.EXIT_FAILURE;
    }

    /** The exception's message, then each cause's that adds something ("Address already in use"). */
    static String describe(Throwable e) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = e; t != null && parts.size() < 4; t = t.getCause()) {
            String message = t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName()
                    : t.getMessage();
            if (parts.stream().noneMatch(part -> part.contains(message))) {
                parts.add(message);
            }
        }
        return String.join(": ", parts);
    }
}
