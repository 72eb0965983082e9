package io.zeroagents.runtime.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.zeroagents.AgentOptions;
import io.zeroagents.BaseAgent;
import io.zeroagents.Codec;
import io.zeroagents.settings.ConfigKey;
import io.zeroagents.settings.ZeroAgentsSettings;
import io.zeroagents.runtime.internal.launch.AgentLaunch;
import io.zeroagents.serialization.CodecRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What an agent's own JVM is told on its standard input: an {@link AgentLaunch} message,
 * length-delimited. {@link AgentProcessLauncher} describes the agent with it and
 * {@link AgentProcessMain} reads it back; both go through this class, so the two sides cannot
 * disagree on what goes where. Never on the command line, which every user of the machine can read.
 */
final class AgentLaunchBlob {
    /**
     * The settings the launch writes from the agent's own (its options over the launching JVM's
     * defaults), so they become the new JVM's defaults; the launching JVM's values of these are not
     * handed over.
     */
    private static final List<ConfigKey<?>> FROM_AGENT = List.of(ZeroAgentsSettings.NAMESERVER,
            ZeroAgentsSettings.DEFAULT_TRANSPORT, ZeroAgentsSettings.DEFAULT_HOST, ZeroAgentsSettings.DEFAULT_CODEC,
            ZeroAgentsSettings.DEFAULT_LINGER, ZeroAgentsSettings.DEFAULT_SAFE, ZeroAgentsSettings.DEFAULT_TIMEOUT,
            ZeroAgentsSettings.DEFAULT_HWM);

    private AgentLaunchBlob() {
    }

    /**
     * Describes an agent for a JVM of its own.
     *
     * @param name             the agent's name
     * @param options          its options
     * @param nameServer       the name server it registers with
     * @param agentSettings    its settings: its options over this JVM's defaults
     * @param codecs           the codecs that write its attributes as JSON
     * @param systemProperties this JVM's system properties, whose {@code zeroagents.*} settings
     *                         apply in the new JVM too
     * @return the launch
     * @throws IllegalArgumentException if an attribute is null, which JSON cannot carry as a value
     */
    static AgentLaunch describe(String name, AgentOptions options, String nameServer, Settings agentSettings,
                                CodecRegistry codecs, Properties systemProperties) {
        Map<String, String> settings = new TreeMap<>();
        for (String key : systemProperties.stringPropertyNames()) {
            if (key.startsWith(ConfigKey.PREFIX) && FROM_AGENT.stream().noneMatch(k -> k.property().equals(key))) {
                settings.put(key, systemProperties.getProperty(key));
            }
        }
        put(settings, ZeroAgentsSettings.NAMESERVER, nameServer);
        put(settings, ZeroAgentsSettings.DEFAULT_TRANSPORT, agentSettings.transport());
        put(settings, ZeroAgentsSettings.DEFAULT_HOST, agentSettings.host());
        put(settings, ZeroAgentsSettings.DEFAULT_CODEC, agentSettings.codec());
        put(settings, ZeroAgentsSettings.DEFAULT_LINGER, agentSettings.linger());
        put(settings, ZeroAgentsSettings.DEFAULT_SAFE, agentSettings.safeCalls());
        put(settings, ZeroAgentsSettings.DEFAULT_TIMEOUT, agentSettings.timeout());
        put(settings, ZeroAgentsSettings.DEFAULT_HWM, agentSettings.highWaterMark());
        return AgentLaunch.newBuilder()
                .setName(name)
                .setAgentClass(options.agentClass().getName())
                .setAttributesJson(ByteString.copyFrom(
                        codecs.encode(nonNull(options.attributes()), Codec.JSON).bytes()))
                .putAllSettings(settings)
                .setIdlePeriodMillis(options.idlePeriod().toMillis())
                .setStopOnHandlerError(options.stopOnHandlerError())
                .setSpinWaitNanos(options.spinWait().toNanos())
                .setShareSentArrays(options.shareSentArrays())
                .setBatchSends(options.batchSends())
                .setNameServerWaitMillis(options.nameServerWait().toMillis())
                .build();
    }

    private static <T> void put(Map<String, String> settings, ConfigKey<T> key, T value) {
        settings.put(key.property(), key.format(value));
    }

    private static Map<String, Object> nonNull(Map<String, ?> attributes) {
        Map<String, Object> copy = new LinkedHashMap<>();
        attributes.forEach((key, value) -> {
            if (value == null) {
                throw new IllegalArgumentException("Attribute '" + key + "' is null; a process of its own takes"
                        + " attributes as JSON values");
            }
            copy.put(key, value);
        });
        return copy;
    }

    /**
     * Writes a launch to the new JVM's standard input, length-delimited. The launch holds the
     * agent's attributes, which must not appear on the command line: every user of the machine can
     * read a process's arguments ({@code ps}, {@code /proc/PID/cmdline}), while its standard input
     * is a pipe between the two processes alone.
     *
     * @param launch the launch
     * @param out    the new JVM's standard input
     * @throws IOException when the pipe is closed (the process ended)
     */
    static void write(AgentLaunch launch, OutputStream out) throws IOException {
        launch.writeDelimitedTo(out);
        out.flush();
    }

    /**
     * Reads the launch from the new JVM's standard input.
     *
     * @param args the arguments of {@link AgentProcessMain#main}, which must be none
     * @param in   the standard input
     * @return the launch, with a name, an agent class and a name server
     * @throws IllegalArgumentException saying what is wrong with the arguments or the input
     */
    static AgentLaunch read(String[] args, InputStream in) {
        if (args.length != 0) {
            throw malformed("got " + args.length + " arguments, and the launch comes on standard input");
        }
        AgentLaunch launch;
        try {
            launch = AgentLaunch.parseDelimitedFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw malformed("standard input holds no AgentLaunch message (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw malformed("standard input could not be read (" + e.getMessage() + ")");
        }
        if (launch == null) {
            throw malformed("standard input ended before a launch");
        }
        if (launch.getName().isBlank() || launch.getAgentClass().isBlank()
                || !launch.containsSettings(ZeroAgentsSettings.NAMESERVER.property())) {
            throw malformed("the launch lacks the agent's name, class or name server");
        }
        return launch;
    }

    private static IllegalArgumentException malformed(String what) {
        return new IllegalArgumentException("Cannot read the launch of an agent process: " + what + ". It takes no"
                + " argument, and one length-delimited zeroagents.launch.v1.AgentLaunch on standard input, as"
                + " AgentProcessLauncher writes it");
    }

    /**
     * The agent's options in the new JVM; its socket defaults and name server come from the
     * launch's settings, which must be set first.
     *
     * @param launch a launch {@link #read} accepted
     * @param codecs the codecs that read its attributes
     * @return the options
     * @throws ClassNotFoundException   if the agent's class is not on the class path
     * @throws IllegalArgumentException if an option is out of range
     */
    static AgentOptions options(AgentLaunch launch, CodecRegistry codecs) throws ClassNotFoundException {
        Class<? extends BaseAgent> agentClass = Class.forName(launch.getAgentClass()).asSubclass(BaseAgent.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> attributes = codecs.decode("json", launch.getAttributesJson().toByteArray(), Map.class);
        return AgentOptions.builder(agentClass)
                .attributes(attributes == null ? Map.of() : attributes)
                .idlePeriod(Duration.ofMillis(launch.getIdlePeriodMillis()))
                .stopOnHandlerError(launch.getStopOnHandlerError())
                .spinWait(Duration.ofNanos(launch.getSpinWaitNanos()))
                .shareSentArrays(launch.getShareSentArrays())
                .batchSends(launch.getBatchSends())
                .nameServerWait(Duration.ofMillis(launch.getNameServerWaitMillis()))
                .build();
    }

    /**
     * The name server the agent registers with.
     *
     * @param launch a launch {@link #read} accepted
     * @return its address
     */
    static String nameServer(AgentLaunch launch) {
        return launch.getSettingsOrThrow(ZeroAgentsSettings.NAMESERVER.property());
    }
}
