package io.zeroagents.runtime.internal;

import io.zeroagents.AgentException;
import io.zeroagents.AgentOptions;
import io.zeroagents.AgentTimeoutException;
import io.zeroagents.DuplicateAgentNameException;
import io.zeroagents.UnknownAgentException;
import io.zeroagents.nameserver.NameServerClient;
import io.zeroagents.nameserver.protocol.AgentEntry;
import io.zeroagents.runtime.internal.launch.AgentLaunch;
import io.zeroagents.serialization.CodecRegistry;
import io.zeroagents.transport.CurveKeys;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Starts an agent in a JVM of its own ({@link AgentOptions#ownProcess()}): same {@code java}, same
 * class path, {@link AgentProcessMain} as the main class, no argument, and the agent's
 * {@link AgentLaunchBlob launch} (its options, attributes and this JVM's {@code zeroagents.*}
 * settings) written to its standard input, a pipe no other user can read, where the command line
 * is open to all. Returns once the agent has registered, so the caller gets a working proxy.
 */
final class AgentProcessLauncher {
    /** Exit code of {@link AgentProcessMain} when its launch was unreadable. */
    static final int EXIT_BAD_LAUNCH = 2;
    /** Exit code of {@link AgentProcessMain} when the name was taken. */
    static final int EXIT_DUPLICATE = 3;

    private AgentProcessLauncher() {
    }

    static AgentEntry launch(String name, AgentOptions options, String nameServer, Settings settings,
                             CodecRegistry codecs) {
        try (NameServerClient client = new NameServerClient(nameServer, settings.nameServerTimeout(),
                CurveKeys.fromSetting(settings.curveDirectory()))) {
            if (registered(client, name)) {
                throw new DuplicateAgentNameException("Agent name '" + name + "' is already registered on name server "
                        + nameServer);
            }
            Process process = start(name, options, nameServer, settings, codecs);
            long deadline = System.nanoTime() + settings.timeout().toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    int code = process.exitValue();
                    if (code == EXIT_DUPLICATE) {
                        throw new DuplicateAgentNameException("Agent name '" + name + "' is already registered on name"
                                + " server " + nameServer);
                    }
                    if (code == EXIT_BAD_LAUNCH) {
                        throw new AgentException("The process of agent '" + name + "' could not read its launch"
                                + " from its standard input; its output says why");
                    }
                    throw new AgentException("The process of agent '" + name + "' ended with exit code " + code
                            + " before the agent registered; its output says why");
                }
                try {
                    AgentEntry entry = client.lookup(name);
                    if (!entry.getControlEndpoint().isEmpty()) {
                        return entry;
                    }
                } catch (UnknownAgentException e) {
                    // Not registered yet: the new JVM is still starting.
                }
                pause();
            }
            process.destroyForcibly();
            throw new AgentTimeoutException("The process of agent '" + name + "' did not register it within "
                    + settings.timeout().toMillis() + " ms; it was killed");
        }
    }

    private static boolean registered(NameServerClient client, String name) {
        try {
            client.lookup(name);
            return true;
        } catch (UnknownAgentException e) {
            return false;
        }
    }

    private static Process start(String name, AgentOptions options, String nameServer, Settings settings,
                                 CodecRegistry codecs) {
        AgentLaunch launch = AgentLaunchBlob.describe(name, options, nameServer, settings, codecs,
                System.getProperties());
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), AgentProcessMain.class.getName());
        Process process;
        try {
            process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE)
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            throw new AgentException("Cannot start a process for agent '" + name + "': " + e.getMessage(), e);
        }
        try (OutputStream stdin = process.getOutputStream()) {
            AgentLaunchBlob.write(launch, stdin);
        } catch (IOException e) {
            process.destroyForcibly();
            throw new AgentException("Cannot hand agent '" + name + "' its launch on the standard input of its process"
                    + " (it ended at once?): " + e.getMessage(), e);
        }
        return process;
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException("Interrupted while starting an agent process", e);
        }
    }
}
