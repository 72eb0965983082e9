package io.zeroagents.runtime.internal;

import io.zeroagents.nameserver.security.CurveKeys;
import io.zeroagents.AgentException;
import io.zeroagents.AgentOptions;
import io.zeroagents.AgentTimeoutException;
import io.zeroagents.Codec;
import io.zeroagents.DuplicateAgentNameException;
import io.zeroagents.UnknownAgentException;
import io.zeroagents.nameserver.NameServerClient;
import io.zeroagents.nameserver.protocol.AgentEntry;
import io.zeroagents.serialization.CodecRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Starts an agent in a JVM of its own ({@link AgentOptions#ownProcess()}): same {@code java}, same
 * class path, this JVM's {@code zeroagents.*} settings, and {@link AgentProcessMain} as the main
 * class. Returns once the agent has registered, so the caller gets a working proxy.
 */
final class AgentProcessLauncher {
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
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // This JVM's settings apply there too; the agent's own options become that JVM's defaults.
        System.getProperties().stringPropertyNames().stream()
                .filter(key -> key.startsWith("zeroagents.") && !key.startsWith("zeroagents.default.")
                        && !key.equals("zeroagents.nameserver"))
                .forEach(key -> command.add("-D" + key + "=" + System.getProperty(key)));
        command.add("-Dzeroagents.nameserver=" + nameServer);
        command.add("-Dzeroagents.default.transport=" + settings.transport().scheme());
        command.add("-Dzeroagents.default.host=" + settings.host());
        command.add("-Dzeroagents.default.codec=" + settings.codec().id());
        command.add("-Dzeroagents.default.linger=" + settings.linger().toMillis());
        command.add("-Dzeroagents.default.safe=" + settings.safeCalls());
        command.add("-Dzeroagents.default.timeout=" + settings.timeout().toMillis());
        command.add("-Dzeroagents.default.hwm=" + settings.highWaterMark());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(AgentProcessMain.class.getName());
        command.add(name);
        command.add(options.agentClass().getName());
        command.add(Base64.getEncoder().encodeToString(codecs.encode(Map.copyOf(nonNull(options.attributes())),
                Codec.JSON).bytes()));
        command.add(String.valueOf(options.idlePeriod().toMillis()));
        command.add(String.valueOf(options.stopOnHandlerError()));
        command.add(String.valueOf(options.spinWait().toNanos()));
        command.add(String.valueOf(options.shareSentArrays()));
        command.add(String.valueOf(options.batchSends()));
        try {
            return new ProcessBuilder(command).inheritIO().start();
        } catch (IOException e) {
            throw new AgentException("Cannot start a process for agent '" + name + "': " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> nonNull(Map<String, ?> attributes) {
        Map<String, Object> copy = new java.util.LinkedHashMap<>();
        attributes.forEach((key, value) -> {
            if (value == null) {
                throw new IllegalArgumentException("Attribute '" + key + "' is null; a process of its own takes"
                        + " attributes as JSON values");
            }
            copy.put(key, value);
        });
        return copy;
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
