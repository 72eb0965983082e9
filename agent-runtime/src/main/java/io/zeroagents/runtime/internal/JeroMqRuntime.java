package io.zeroagents.runtime.internal;

import io.zeroagents.AgentException;
import io.zeroagents.AgentOptions;
import io.zeroagents.NameServer;
import io.zeroagents.NameServerException;
import io.zeroagents.NameServerOptions;
import io.zeroagents.Proxy;
import io.zeroagents.settings.ZeroAgentsSettings;
import io.zeroagents.nameserver.NameServerClient;
import io.zeroagents.nameserver.NameServerService;
import io.zeroagents.nameserver.protocol.AgentEntry;
import io.zeroagents.nameserver.registry.Registries;
import io.zeroagents.runtime.internal.control.Mode;
import io.zeroagents.serialization.CodecRegistry;
import io.zeroagents.serialization.EnvelopeCodec;
import io.zeroagents.sockets.NetworkAddresses;
import io.zeroagents.sockets.SocketManager;
import io.zeroagents.sockets.SocketManagerOptions;
import io.zeroagents.spi.AgentRuntime;
import io.zeroagents.transport.CurveKeys;
import io.zeroagents.transport.Descriptors;
import io.zeroagents.transport.InsecureBindException;
import io.zeroagents.transport.MailboxRaceGuard;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;
import org.zeromq.ZAuth;
import org.zeromq.SocketType;
import org.zeromq.ZContext;

/**
 * The runtime of one JVM: one ZeroMQ context shared by all its agents (so inproc works between
 * them), one {@link AgentHost} per name server they register with, and the embedded name servers
 * it started.
 */
final class JeroMqRuntime implements AgentRuntime {
    private static final Logger LOG = LogManager.getLogger(JeroMqRuntime.class);

    private final Settings settings;
    private final ZContext context;
    private final CodecRegistry codecs;
    private final EnvelopeCodec envelopes;
    private final Map<String, ControlClient> controlClients = new ConcurrentHashMap<>();
    private final Map<String, AgentHost> hosts = new ConcurrentHashMap<>();
    private final Map<String, NameServerClient> attachedClients = new ConcurrentHashMap<>();
    private final Deque<NameServerHandle> embedded = new ConcurrentLinkedDeque<>();
    private final @Nullable CurveKeys curve;
    private final @Nullable ZAuth authenticator;
    private final NetworkAddresses addresses;

    JeroMqRuntime(Settings settings) {
        this.settings = settings;
        this.context = new ZContext(1);
        context.getContext().setMaxSockets(maxSockets());
        // JeroMQ starts a context's reaper and I/O threads with its first socket. Starting them with
        // the runtime gives it the same threads whether its first user is an agent, or a socket manager
        // with a context of its own that never touches this one.
        MailboxRaceGuard.createSocket(context, SocketType.PAIR).close();
        this.curve = CurveKeys.fromSetting(settings.curveDirectory());
        // Guards every server socket of this JVM's context; it lives as long as the context.
        this.authenticator = curve == null ? null : curve.authenticator(context);
        if (curve != null) {
            LOG.info("CURVE on: keys in {}", curve.directory());
        } else if (settings.insecureNoCurve()) {
            // At every start: the consent must not be forgotten in a configuration nobody reads any more.
            LOG.warn("{} is set and CURVE is off: agents' sockets, the control endpoint and embedded name servers"
                    + " may serve plain text on addresses other machines reach, where anyone who reaches a port can"
                    + " send to agents, operate them as a proxy does or rewrite the registry. Set {} to a key"
                    + " directory instead", ZeroAgentsSettings.INSECURE_NO_CURVE.property(),
                    ZeroAgentsSettings.CURVE_DIR.property());
        }
        this.codecs = CodecRegistry.standard();
        this.envelopes = new EnvelopeCodec(codecs, settings.maxFrameBytes());
        this.addresses = new LocalNetworkAddresses(settings.advertisedHost(), curve != null || settings.insecureNoCurve());
    }

    /**
     * How many sockets the shared context may hold. JeroMQ's default, 1,024, would cap a JVM at about
     * a thousand agents with a socket each, long before its descriptors run out; a socket costs at
     * least four descriptors (its mailbox), so the process's descriptor limit decides instead.
     */
    static int maxSockets() {
        return Math.clamp(Descriptors.processLimit() / 4, zmq.ZMQ.ZMQ_MAX_SOCKETS_DFLT, 1 << 20);
    }

    @Override
    public SocketManager socketManager(SocketManagerOptions options) {
        SocketContext sockets = options.sharedContext() ? SocketContext.shared(context, settings, curve)
                : SocketContext.own(settings, curve);
        try {
            return new JeroMqSocketManager(options, sockets, codecs, networkAddresses());
        } catch (RuntimeException e) {
            sockets.close();
            throw e;
        }
    }

    @Override
    public NetworkAddresses networkAddresses() {
        return addresses;
    }

    @Override
    public NameServer runNameServer(NameServerOptions options) {
        NameServerService service = NameServerService.builder()
                .bind(options.address())
                .registry(Registries.forOptions(options))
                .curve(curve)
                .plainTextBeyondLoopback(settings.insecureNoCurve())
                .start();
        NameServerHandle handle = new NameServerHandle(this, service, service.address(), settings.nameServerTimeout(),
                new NameServerClient(service.address(), settings.nameServerTimeout(), curve, context));
        embedded.addLast(handle);
        return handle;
    }

    @Override
    public NameServer nameServer(String address) {
        if (!address.startsWith("tcp://")) {
            throw new IllegalArgumentException("Name server address '" + address
                    + "' must be a tcp endpoint, e.g. tcp://127.0.0.1:9091");
        }
        // One client per address, in the runtime's context, for every handle attached to it: the handles
        // are then as cheap as osBrain's NSProxy, and one never closed costs nothing more.
        NameServerClient client = attachedClients.computeIfAbsent(address,
                a -> new NameServerClient(a, settings.nameServerTimeout(), curve, context));
        NameServerHandle handle = new NameServerHandle(this, null, address, settings.nameServerTimeout(), client);
        handle.ping();
        return handle;
    }

    @Override
    public Proxy runAgent(String name, AgentOptions options) {
        if (name.isBlank()) {
            throw new IllegalArgumentException("Agent name must not be blank");
        }
        Settings agentSettings = settings.forAgent(options);
        String nameServer = agentSettings.nameServer();
        if (nameServer == null) {
            NameServerHandle latest = embedded.peekLast();
            if (latest == null) {
                throw new NameServerException("Agent '" + name + "' has no name server: start one with "
                        + "Agents.runNameServer(), or give its address with AgentOptions.builder().nameServer(...), "
                        + "-D" + ZeroAgentsSettings.NAMESERVER.property() + " or "
                        + ZeroAgentsSettings.NAMESERVER.variable());
            }
            nameServer = latest.address();
        }
        if (options.ownProcess()) {
            AgentEntry entry = AgentProcessLauncher.launch(name, options, nameServer, agentSettings, codecs);
            return remoteProxy(name, entry);
        }
        AgentHost host = hostFor(nameServer, name);
        try {
            return host.start(name, options, agentSettings);
        } catch (RuntimeException e) {
            // A host whose first agent could not register (a name server that is not there) is
            // dropped, with its control endpoint and heartbeat thread, rather than kept forever.
            if (host.agents().isEmpty() && hosts.remove(nameServer, host)) {
                host.close();
            }
            throw e;
        }
    }

    /** The host of a name server's agents, opened with the first of them, whose name a refusal gives. */
    private AgentHost hostFor(String nameServer, String agent) {
        try {
            return hosts.computeIfAbsent(nameServer, address -> new AgentHost(address, settings, context, codecs,
                    envelopes, curve));
        } catch (AgentException e) {
            if (e.getCause() instanceof InsecureBindException) {
                throw new AgentException("Agent '" + agent + "' cannot start: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    Optional<AgentCore> localAgent(String nameServer, String agent) {
        AgentHost host = hosts.get(nameServer);
        return host == null ? Optional.empty() : host.agent(agent);
    }

    Optional<Proxy> localProxy(String nameServer, String agent) {
        AgentHost host = hosts.get(nameServer);
        return host == null ? Optional.empty() : host.agent(agent).map(core -> new LocalProxy(core,
                LocalProxy.Mode.SAFE));
    }

    /**
     * A proxy to an agent of another process, through its host's control endpoint as the name
     * server's entry names it, pinned (with CURVE) to the key the name server recorded for that host.
     * Its requests carry the host's admin token when this process has it: the token of one of this
     * JVM's own hosts, or the one a host of this machine wrote to its file ({@link ControlAccess}).
     */
    Proxy remoteProxy(String agent, AgentEntry entry) {
        String endpoint = entry.getControlEndpoint();
        String serverKey = entry.getControlServerKey().isEmpty() ? null : entry.getControlServerKey();
        // Keyed by the key too: another host may serve on that endpoint later, with a key of its own.
        ControlClient client = controlClients.computeIfAbsent(serverKey == null ? endpoint : endpoint + " " + serverKey,
                ignored -> new ControlClient(endpoint, serverKey, context, settings.handshake(),
                        ControlEndpoint.maxMessageBytes(settings.maxFrameBytes()), curve,
                        ControlAccess.defaultDirectory(), ownToken(endpoint), settings.heartbeat()));
        return new RemoteProxy(agent, client, settings.safeCalls() ? Mode.SAFE : Mode.UNSAFE, codecs, settings.timeout());
    }

    /** The admin token of this JVM's host whose control endpoint this is, or null for another process's. */
    private @Nullable String ownToken(String controlEndpoint) {
        for (AgentHost host : hosts.values()) {
            if (host.controlEndpoint().equals(controlEndpoint)) {
                return host.controlToken();
            }
        }
        return null;
    }

    /** The CURVE keys in use, or {@code null}. */
    @Nullable CurveKeys curve() {
        return curve;
    }

    /**
     * Ends everything this runtime runs and closes its context: the JVM's runtime lives as long as
     * the JVM, but tests that make runtimes of their own must not leave contexts behind.
     */
    void close() {
        for (NameServerHandle handle : List.copyOf(embedded)) {
            handle.shutdown();
        }
        for (AgentHost host : List.copyOf(hosts.values())) {
            host.agents().forEach(AgentCore::shutdown);
            host.close();
        }
        hosts.clear();
        controlClients.values().forEach(ControlClient::close);
        controlClients.clear();
        attachedClients.values().forEach(NameServerClient::close);
        attachedClients.clear();
        if (authenticator != null) {
            authenticator.close();
        }
        context.close();
    }

    /** Forgets a name server that shut down, and the host that served its agents. */
    void nameServerStopped(NameServerHandle handle) {
        embedded.remove(handle);
        if (!handle.embedded()) {
            return;
        }
        AgentHost host = hosts.remove(handle.address());
        if (host != null) {
            try {
                for (AgentCore agent : host.agents()) {
                    try {
                        agent.shutdown();
                    } catch (RuntimeException e) {
                        LOG.warn("Agent '{}' did not stop with its name server: {}", agent.name(), e.getMessage());
                    }
                }
            } finally {
                host.close();
            }
        }
    }
}
