package io.zeroagents.runtime.internal;

import io.zeroagents.AgentOptions;
import io.zeroagents.Proxy;
import io.zeroagents.nameserver.NameServerClient;
import io.zeroagents.nameserver.NameServerService;
import io.zeroagents.nameserver.registry.LocalRegistry;
import io.zeroagents.serialization.CodecRegistry;
import io.zeroagents.serialization.EnvelopeCodec;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.zeromq.ZContext;

/**
 * Test support: the runtime's parts wired as {@link JeroMqRuntime} wires them (a name server, a
 * ZeroMQ context, the codecs, one {@link AgentHost}), but owned by one test, which can reach each
 * agent's {@link AgentCore} and closes everything, context included, when it ends, failing when
 * a socket was left open.
 */
final class TestRuntime implements AutoCloseable {
    /** The frame limit of these tests' agents: small, so oversized frames are cheap to send. */
    static final int MAX_FRAME_BYTES = 64 * 1024;
    private static final Duration CONTEXT_CLOSE_LIMIT = Duration.ofSeconds(30);

    final Settings settings;
    final NameServerService nameServer;
    final ZContext context = new ZContext(1);
    final CodecRegistry codecs = CodecRegistry.standard();
    final EnvelopeCodec envelopes;
    final AgentHost host;

    TestRuntime() {
        this(Map.of());
    }

    TestRuntime(Map<String, String> properties) {
        // Raw test peers do their ZMTP handshakes by hand: on a loaded machine one can take longer
        // than the one second agents allow by default, which would cut the connection mid-test.
        Map<String, String> all = new HashMap<>(Map.of("zeroagents.max.frame.bytes", String.valueOf(MAX_FRAME_BYTES),
                "zeroagents.default.timeout", "10000", "zeroagents.handshake", "10000"));
        all.putAll(properties);
        settings = Settings.from(all::get, Map.of());
        envelopes = new EnvelopeCodec(codecs, settings.maxFrameBytes());
        nameServer = NameServerService.builder().registry(new LocalRegistry(Duration.ofSeconds(30))).start();
        host = new AgentHost(nameServer.address(), settings, context, codecs, envelopes, null);
    }

    Proxy agent(String name) {
        return agent(name, AgentOptions.defaults());
    }

    Proxy agent(String name, AgentOptions options) {
        return host.start(name, options, settings.forAgent(options));
    }

    /**
     * A control client to the host of agent {@code name}, found through the name server as a proxy
     * of another process finds it; the caller closes it.
     */
    ControlClient controlClientFor(String name) {
        try (NameServerClient names = new NameServerClient(nameServer.address(), Duration.ofSeconds(5))) {
            return controlClient(names.lookup(name).getControlEndpoint());
        }
    }

    /**
     * A control client to {@code endpoint} in this runtime's context, as a proxy of another process
     * of this user uses: it reads the host's admin token from its file. The caller closes it.
     */
    ControlClient controlClient(String endpoint) {
        return new ControlClient(endpoint, context, Duration.ofSeconds(1), ControlEndpoint.maxMessageBytes(MAX_FRAME_BYTES),
                null, ControlAccess.defaultDirectory());
    }

    /**
     * A control endpoint of its own over this runtime's agents, as a host opens one, polling for
     * {@code spin} after each request or answer; the caller closes it.
     */
    ControlEndpoint controlEndpoint(Duration spin) {
        return new ControlEndpoint("127.0.0.1", null, context, codecs, ControlEndpoint.maxMessageBytes(MAX_FRAME_BYTES),
                Settings.fromEnvironment().controlConnections(), host::agent, null, false, spin,
                ControlAccess.defaultDirectory());
    }

    /** Like {@link #controlEndpoint(Duration)}, with at most {@code maxPending} requests in progress. */
    ControlEndpoint controlEndpoint(Duration spin, int maxPending) {
        return new ControlEndpoint("127.0.0.1", null, context, codecs, ControlEndpoint.maxMessageBytes(MAX_FRAME_BYTES),
                Settings.fromEnvironment().controlConnections(), host::agent, null, false, spin,
                ControlAccess.defaultDirectory(), maxPending);
    }

    AgentCore core(String name) {
        return host.agent(name).orElseThrow(() -> new AssertionError("no agent " + name));
    }

    @Override
    public void close() {
        try {
            for (AgentCore agent : host.agents()) {
                agent.shutdown();
            }
            host.close();
            if (!context.getSockets().isEmpty()) {
                throw new AssertionError("sockets left open after every agent and the host closed: " + context.getSockets());
            }
        } finally {
            try {
                closeContext();
            } finally {
                nameServer.close();
            }
        }
    }

    /**
     * Terminates the context, failing the test instead of hanging it when termination never ends:
     * it waits for every socket of the context to be closed and reaped, and JeroMQ's reaper thread
     * once died mid-way (an AssertionError after an inproc pipe's peer was gone, the race {@code
     * MailboxRaceGuard} now absorbs), which left a CI run waiting forever.
     */
    private void closeContext() {
        Thread closer = new Thread(context::close, "test-runtime-context-close");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(CONTEXT_CLOSE_LIMIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closer.isAlive()) {
            throw new AssertionError("The test's ZeroMQ context did not terminate within " + CONTEXT_CLOSE_LIMIT.toSeconds()
                    + " s: a socket of it was never closed, or JeroMQ's reaper thread failed (see the log)");
        }
    }
}
