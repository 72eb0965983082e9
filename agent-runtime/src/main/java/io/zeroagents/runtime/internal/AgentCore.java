package io.zeroagents.runtime.internal;

import io.zeroagents.Agent;
import io.zeroagents.AgentAddress;
import io.zeroagents.AgentException;
import io.zeroagents.AgentMethod;
import io.zeroagents.AgentNotRunningException;
import io.zeroagents.AgentOptions;
import io.zeroagents.AgentTimeoutException;
import io.zeroagents.BaseAgent;
import io.zeroagents.BindOptions;
import io.zeroagents.Codec;
import io.zeroagents.MessageDecodingException;
import io.zeroagents.MessageEncodingException;
import io.zeroagents.Pattern;
import io.zeroagents.PatternMismatchException;
import io.zeroagents.RemoteAgentException;
import io.zeroagents.SocketHandler;
import io.zeroagents.TimerAction;
import io.zeroagents.UnknownAliasException;
import com.google.protobuf.ByteString;
import io.zeroagents.serialization.EncodedPayload;
import io.zeroagents.serialization.EnvelopeCodec;
import io.zeroagents.serialization.proto.Envelope;
import io.zeroagents.spi.AgentBinding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * One running agent: its loop thread, its sockets, timers, attributes and methods.
 *
 * <p>Only the loop thread touches sockets and timers. Every operation called from another thread
 * is queued as a task and the caller waits for its result, so proxies are usable from any thread.
 * The loop sleeps on its task queue while it owns no socket that receives, and on a
 * {@link Selector} over its sockets' mailboxes once it does; a queued task wakes either. That way an
 * agent costs no file descriptor beyond its own sockets and their shared selector.
 */
final class AgentCore implements Agent {
    private static final Logger LOG = LogManager.getLogger(AgentCore.class);
    /** Messages taken from one socket before the loop looks at the others, for fairness. */
    private static final int BATCH = 64;

    private enum State { STARTING, RUNNING, STOPPING, STOPPED }

    private final String name;
    private final AgentOptions options;
    private final Settings settings;
    private final AgentHost host;
    private final ZContext context;
    private final EnvelopeCodec envelopes;
    private final Logger agentLog;
    private final Thread thread;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final AtomicLong dropped = new AtomicLong();
    private volatile State state = State.STARTING;
    private volatile @Nullable Selector selector;

    // Loop thread only, except where noted.
    private final Map<String, AgentSocket> sockets = new LinkedHashMap<>();
    private final AgentTimers timers;
    private @Nullable BaseAgent instance;
    private volatile @Nullable AgentAttributes attributes;
    private volatile @Nullable AgentMethods methods;
    private long uniqueSuffix;
    private boolean wakesForIdle;
    private long lastActivityNanos = System.nanoTime();

    AgentCore(String name, AgentOptions options, Settings settings, AgentHost host, ZContext context,
              EnvelopeCodec envelopes) {
        this.name = name;
        this.options = options;
        this.settings = settings;
        this.host = host;
        this.context = context;
        this.envelopes = envelopes;
        this.agentLog = LogManager.getLogger("io.zeroagents.agent." + name);
        this.timers = new AgentTimers(name);
        this.thread = new Thread(this::run, "agent-" + name);
        this.thread.setDaemon(true);
    }

    /** Starts the loop and waits until {@code onInit} has run. */
    void start() {
        thread.start();
        try {
            started.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (TimeoutException e) {
            // The loop stops as soon as onInit returns, so no half-started agent keeps running.
            requestStop();
            throw new AgentTimeoutException("Agent '" + name + "' did not finish onInit within "
                    + settings.timeout().toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException("Interrupted while starting agent '" + name + "'", e);
        }
    }

    // ---------------------------------------------------------------- loop

    private void run() {
        try {
            BaseAgent agent = AgentBinding.instantiate(options.agentClass(), this);
            instance = agent;
            AgentAttributes attrs = new AgentAttributes(name, agent);
            options.attributes().forEach(attrs::set);
            attributes = attrs;
            methods = new AgentMethods(name, agent, agent);
            wakesForIdle = LifecycleHooks.overridesIdle(agent.getClass());
            synchronized (tasks) {
                if (state != State.STARTING) {
                    throw new AgentTimeoutException("Agent '" + name + "' was abandoned while it started");
                }
                state = State.RUNNING;
            }
            LifecycleHooks.onInit(agent);
        } catch (Throwable t) {
            state = State.STOPPING;
            cleanUp();
            started.completeExceptionally(t);
            return;
        }
        started.complete(null);
        try {
            try {
                LifecycleHooks.beforeLoop(instance());
            } catch (RuntimeException e) {
                handlerFailed("beforeLoop()", e);
            }
            while (state == State.RUNNING) {
                boolean worked = runTasks();
                worked |= runTimers();
                worked |= receive();
                if (worked) {
                    lastActivityNanos = System.nanoTime();
                } else if (state == State.RUNNING) {
                    waitForWork();
                }
            }
        } catch (Throwable t) {
            LOG.error("Agent '{}' stopped: its loop failed", name, t);
        } finally {
            state = State.STOPPING;
            cleanUp();
        }
    }

    private boolean runTasks() {
        boolean worked = false;
        Runnable task;
        while (state == State.RUNNING && (task = pollTask()) != null) {
            task.run();
            worked = true;
        }
        return worked;
    }

    private @Nullable Runnable pollTask() {
        synchronized (tasks) {
            return tasks.poll();
        }
    }

    private boolean runTimers() {
        List<AgentTimers.Timer> due = timers.takeDue(System.nanoTime());
        for (AgentTimers.Timer timer : due) {
            if (!timer.cancelled && state == State.RUNNING) {
                try {
                    timer.action.run(instance());
                } catch (Exception e) {
                    handlerFailed("timer '" + timer.alias + "'", e);
                }
                timers.ranLate(timer, System.nanoTime());
            }
            timers.finished(timer);
        }
        return !due.isEmpty();
    }

    private boolean receive() {
        boolean worked = false;
        for (AgentSocket s : List.copyOf(sockets.values())) {
            if (s.dispatch == null) {
                continue;
            }
            for (int i = 0; i < BATCH && state == State.RUNNING && sockets.get(s.alias) == s; i++) {
                if ((s.socket.getEvents() & ZMQ.Poller.POLLIN) == 0) {
                    break;
                }
                receiveOne(s, s.dispatch);
                worked = true;
            }
        }
        return worked;
    }

    private void waitForWork() throws InterruptedException, IOException {
        long now = System.nanoTime();
        long wait = timers.nanosUntilNext(now);
        long idleNanos = options.idlePeriod().toNanos();
        if (wakesForIdle) {
            long untilIdle = Math.max(0, lastActivityNanos + idleNanos - now);
            wait = wait < 0 ? untilIdle : Math.min(wait, untilIdle);
        }
        if (wait == 0) {
            callIdleIfDue();
            return;
        }
        Selector current = selector;
        if (current == null) {
            Runnable task;
            synchronized (tasks) {
                while (tasks.isEmpty() && state == State.RUNNING) {
                    if (wait < 0) {
                        tasks.wait();
                    } else {
                        long waitedFrom = System.nanoTime();
                        TimeUnit.NANOSECONDS.timedWait(tasks, wait);
                        wait -= System.nanoTime() - waitedFrom;
                        if (wait <= 0) {
                            break;
                        }
                    }
                }
                task = tasks.poll();
            }
            if (task != null) {
                task.run();
                lastActivityNanos = System.nanoTime();
                return;
            }
        } else {
            synchronized (tasks) {
                if (!tasks.isEmpty()) {
                    return;
                }
            }
            // select(0) waits forever; a queued task calls wakeup().
            current.select(wait < 0 ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
            current.selectedKeys().clear();
        }
        callIdleIfDue();
    }

    private void callIdleIfDue() {
        if (wakesForIdle && state == State.RUNNING
                && System.nanoTime() - lastActivityNanos >= options.idlePeriod().toNanos()) {
            try {
                LifecycleHooks.idle(instance());
            } catch (RuntimeException e) {
                handlerFailed("idle()", e);
            }
            lastActivityNanos = System.nanoTime();
        }
    }

    private void cleanUp() {
        try {
            timers.stopAll();
            for (AgentSocket s : List.copyOf(sockets.values())) {
                try {
                    // The unregistration below drops every address at once: no per-socket update.
                    closeSocket(s, false);
                } catch (RuntimeException e) {
                    LOG.warn("Agent '{}': closing socket '{}' failed", name, s.alias, e);
                }
            }
            Selector current = selector;
            if (current != null) {
                try {
                    current.close();
                } catch (IOException e) {
                    LOG.debug("Agent '{}': closing its selector failed", name, e);
                }
                selector = null;
            }
        } finally {
            List<Runnable> orphans;
            synchronized (tasks) {
                state = State.STOPPED;
                orphans = List.copyOf(tasks);
                tasks.clear();
            }
            // Tasks queued before the stop was seen still complete, with an error, so no caller hangs.
            orphans.forEach(Runnable::run);
            try {
                host.agentStopped(this);
            } finally {
                stopped.complete(null);
            }
            LOG.debug("Agent '{}' stopped", name);
        }
    }

    // ---------------------------------------------------------------- tasks

    /**
     * Runs {@code action} on the loop thread and returns its result: directly when already on it,
     * else queued, waiting up to the agent's timeout.
     */
    <T> T onLoop(String operation, Callable<T> action) {
        return onLoop(operation, action, Duration.ZERO);
    }

    /**
     * Like {@link #onLoop(String, Callable)} for an operation that itself may wait up to
     * {@code ownWait} on the loop (a receive), which the caller's wait includes.
     */
    private <T> T onLoop(String operation, Callable<T> action, Duration ownWait) {
        if (Thread.currentThread() == thread) {
            return callHere(action);
        }
        CompletableFuture<T> result = post(operation, action);
        long timeout = settings.timeout().plus(ownWait).toMillis();
        try {
            return result.get(timeout, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (TimeoutException e) {
            // A task that has not started yet must not run after its caller was told it failed.
            result.cancel(false);
            throw new AgentTimeoutException("Agent '" + name + "' did not run '" + operation + "' within "
                    + timeout + " ms: its loop is busy or blocked");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException("Interrupted while waiting for agent '" + name + "' to run '" + operation + "'", e);
        }
    }

    /** Queues {@code action} on the loop thread without waiting; failures complete the future. */
    <T> CompletableFuture<T> post(String operation, Callable<T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable task = () -> {
            if (result.isDone()) {
                return;
            }
            if (state != State.RUNNING) {
                result.completeExceptionally(notRunning(operation));
                return;
            }
            try {
                result.complete(action.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        };
        synchronized (tasks) {
            if (state == State.STOPPED || state == State.STOPPING) {
                result.completeExceptionally(notRunning(operation));
                return result;
            }
            tasks.add(task);
            tasks.notifyAll();
        }
        Selector current = selector;
        if (current != null) {
            current.wakeup();
        }
        return result;
    }

    /** Runs {@code action} on the calling thread (unsafe calls), translating checked exceptions. */
    <T> T callHere(Callable<T> action) {
        try {
            return action.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new RemoteAgentException("Agent '" + name + "' failed: " + e, e);
        }
    }

    private AgentNotRunningException notRunning(String operation) {
        return new AgentNotRunningException("Agent '" + name + "' is not running (operation '" + operation + "')");
    }

    private static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new RemoteAgentException("Agent code failed: " + cause, cause);
    }

    private BaseAgent instance() {
        BaseAgent agent = instance;
        if (agent == null) {
            throw new IllegalStateException("Agent '" + name + "' is not initialised yet");
        }
        return agent;
    }

    AgentAttributes attributes() {
        AgentAttributes attrs = attributes;
        if (attrs == null) {
            throw notRunning("attributes");
        }
        return attrs;
    }

    AgentMethods methods() {
        AgentMethods table = methods;
        if (table == null) {
            throw notRunning("methods");
        }
        return table;
    }


    // ---------------------------------------------------------------- identity and lifecycle

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isRunning() {
        return state == State.RUNNING;
    }

    @Override
    public void shutdown() {
        if (Thread.currentThread() == thread) {
            state = State.STOPPING;
            return;
        }
        if (state == State.STOPPED) {
            return;
        }
        requestStop();
        awaitStopped();
    }

    /** Asks the loop to stop after what it is doing now, waking it wherever it sleeps; does not wait. */
    void requestStop() {
        synchronized (tasks) {
            if (state == State.STARTING || state == State.RUNNING) {
                state = State.STOPPING;
            }
            tasks.notifyAll();
        }
        Selector current = selector;
        if (current != null) {
            current.wakeup();
        }
    }

    private void awaitStopped() {
        long timeout = settings.timeout().toMillis();
        try {
            stopped.get(timeout, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AgentTimeoutException("Agent '" + name + "' did not stop within " + timeout
                    + " ms: a handler is busy or blocked");
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException("Interrupted while stopping agent '" + name + "'", e);
        }
    }

    // ---------------------------------------------------------------- sockets

    @Override
    public AgentAddress bind(Pattern pattern, String alias, BindOptions bindOptions) {
        return onLoop("bind", () -> doBind(pattern, alias, bindOptions));
    }

    private AgentAddress doBind(Pattern pattern, String alias, BindOptions bindOptions) {
        checkAliasFree(alias);
        SocketHandler handler = bindOptions.handler();
        SocketDispatch dispatch = handler == null ? null
                : SocketDispatch.resolve(handler, pattern, name, alias, methods());
        Codec codec = settings.codecFor(bindOptions);
        String endpoint = settings.endpointFor(bindOptions, name, alias, ++uniqueSuffix);
        ZMQ.Socket socket = newSocket(pattern, dispatch);
        try {
            socket.bind(endpoint);
        } catch (ZMQException | IllegalArgumentException e) {
            socket.close();
            throw new AgentException("Agent '" + name + "' cannot bind socket '" + alias + "' (" + pattern
                    + ") to " + endpoint + ": " + e.getMessage(), e);
        }
        AgentAddress address = new AgentAddress(socket.getLastEndpoint(), pattern, codec);
        add(new AgentSocket(alias, pattern, true, address, socket, dispatch));
        host.socketBound(this, alias, address);
        return address;
    }

    @Override
    public void connect(AgentAddress address, String alias) {
        onLoop("connect", () -> doConnect(address, alias, null));
    }

    @Override
    public void connect(AgentAddress address, String alias, SocketHandler handler) {
        onLoop("connect", () -> doConnect(address, alias, handler));
    }

    private @Nullable Void doConnect(AgentAddress address, String alias, @Nullable SocketHandler handler) {
        checkAliasFree(alias);
        Pattern pattern = address.clientPattern();
        SocketDispatch dispatch = handler == null ? null
                : SocketDispatch.resolve(handler, pattern, name, alias, methods());
        ZMQ.Socket socket = newSocket(pattern, dispatch);
        try {
            socket.connect(address.endpoint());
        } catch (ZMQException | IllegalArgumentException e) {
            socket.close();
            throw new AgentException("Agent '" + name + "' cannot connect socket '" + alias + "' (" + pattern
                    + ") to " + address.endpoint() + ": " + e.getMessage(), e);
        }
        add(new AgentSocket(alias, pattern, false, address, socket, dispatch));
        return null;
    }

    private ZMQ.Socket newSocket(Pattern pattern, @Nullable SocketDispatch dispatch) {
        ZMQ.Socket socket = context.createSocket(SocketType.valueOf(pattern.name()));
        socket.setLinger(lingerMillis());
        socket.setSendTimeOut((int) Math.min(Integer.MAX_VALUE, settings.timeout().toMillis()));
        socket.setHandshakeIvl((int) Math.min(Integer.MAX_VALUE, settings.handshake().toMillis()));
        if (pattern == Pattern.REQ) {
            // Lets a REQ socket send again after a reply timed out, matching replies to requests.
            socket.setReqRelaxed(true);
            socket.setReqCorrelate(true);
        }
        if (pattern == Pattern.SUB) {
            for (String topic : dispatch == null ? List.of("") : dispatch.topics()) {
                socket.subscribe(topic.getBytes(StandardCharsets.UTF_8));
            }
        }
        return socket;
    }

    private int lingerMillis() {
        return (int) Math.min(Integer.MAX_VALUE, settings.linger().toMillis());
    }

    private void checkAliasFree(String alias) {
        if (alias.isBlank()) {
            throw new IllegalArgumentException("Socket alias must not be blank (agent '" + name + "')");
        }
        if (sockets.containsKey(alias)) {
            throw new AgentException("Agent '" + name + "' already has a socket with alias '" + alias
                    + "' (" + sockets.get(alias) + ")");
        }
    }

    private void add(AgentSocket s) {
        sockets.put(s.alias, s);
        if (s.dispatch == null) {
            return;
        }
        try {
            Selector current = selector;
            if (current == null) {
                current = Selector.open();
                selector = current;
            }
            s.key = s.socket.getFD().register(current, SelectionKey.OP_READ);
        } catch (IOException e) {
            sockets.remove(s.alias);
            s.socket.close();
            throw new UncheckedIOException("Agent '" + name + "' cannot poll socket '" + s.alias + "'", e);
        }
    }

    private AgentSocket socket(String alias) {
        AgentSocket s = sockets.get(alias);
        if (s == null) {
            throw new UnknownAliasException("Agent '" + name + "' has no socket with alias '" + alias
                    + "' (aliases: " + sockets.keySet() + ")");
        }
        return s;
    }

    @Override
    public AgentAddress addr(String alias) {
        return onLoop("addr", () -> socket(alias).address);
    }

    @Override
    public boolean hasSocket(String alias) {
        return onLoop("hasSocket", () -> sockets.containsKey(alias));
    }

    @Override
    public Map<String, AgentAddress> sockets() {
        return onLoop("sockets", () -> {
            Map<String, AgentAddress> view = new LinkedHashMap<>();
            sockets.forEach((alias, s) -> view.put(alias, s.address));
            return java.util.Collections.unmodifiableMap(view);
        });
    }

    @Override
    public void close(String alias) {
        onLoop("close", () -> {
            closeSocket(socket(alias), true);
            return null;
        });
    }

    @Override
    public void closeAll() {
        onLoop("closeAll", () -> {
            List.copyOf(sockets.values()).forEach(s -> closeSocket(s, true));
            return null;
        });
    }

    private void closeSocket(AgentSocket s, boolean updateNameServer) {
        sockets.remove(s.alias);
        SelectionKey key = s.key;
        if (key != null) {
            key.cancel();
        }
        // Linger decides how long queued messages may still go out after close.
        s.socket.setLinger(lingerMillis());
        s.socket.close();
        if (s.bound && updateNameServer) {
            host.socketClosed(this, s.alias);
        }
    }

    // ---------------------------------------------------------------- messages

    @Override
    public void send(String alias, Object message) {
        send(alias, "", message);
    }

    @Override
    public void send(String alias, String topic, Object message) {
        onLoop("send", () -> {
            AgentSocket s = sendingSocket(alias, topic);
            transmit(s, topic, encode(s, message, topic, 0, false));
            return null;
        });
    }

    /**
     * Sends a payload another process encoded (a remote proxy's {@code send}), as it is: this host
     * never decodes it, so it needs none of the sender's classes.
     */
    void sendEncoded(String alias, String topic, EncodedPayload payload) {
        onLoop("send", () -> {
            AgentSocket s = sendingSocket(alias, topic);
            Envelope envelope = Envelope.newBuilder().setVersion(EnvelopeCodec.VERSION).setCodec(payload.codecId())
                    .setPayloadType(payload.payloadType()).setPayload(ByteString.copyFrom(payload.bytes()))
                    .setSender(name).setTopic(topic).build();
            transmit(s, topic, envelopes.frame(envelope));
            return null;
        });
    }

    private AgentSocket sendingSocket(String alias, String topic) {
        AgentSocket s = socket(alias);
        if (!s.sends()) {
            throw new PatternMismatchException("Agent '" + name + "' cannot send on socket '" + alias + "': it is "
                    + s.pattern + ", which only receives");
        }
        if (s.pattern == Pattern.REP && s.dispatch != null) {
            throw new PatternMismatchException("Agent '" + name + "' cannot send on socket '" + alias
                    + "': its handler replies by returning a value");
        }
        if (!topic.isEmpty() && !s.topicFramed()) {
            throw new PatternMismatchException("Agent '" + name + "' cannot send topic '" + topic + "' on socket '"
                    + alias + "': topics need a PUB socket, this one is " + s.pattern);
        }
        return s;
    }

    private byte[] encode(AgentSocket s, @Nullable Object message, String topic, long correlationId, boolean error) {
        // Error reports are text whatever the socket's codec, so a raw or protobuf socket can carry them.
        Codec codec = error ? Codec.STRING : s.address.codec();
        try {
            Envelope.Builder envelope = envelopes.wrap(message, codec).setSender(name).setTopic(topic)
                    .setCorrelationId(correlationId).setError(error);
            return envelopes.frame(envelope.build());
        } catch (MessageEncodingException e) {
            throw new MessageEncodingException("Agent '" + name + "' cannot send on socket '" + s.alias + "': "
                    + e.getMessage(), e);
        }
    }

    private void transmit(AgentSocket s, String topic, byte[] payload) {
        boolean sent;
        try {
            sent = s.topicFramed()
                    ? s.socket.sendMore(topic.getBytes(StandardCharsets.UTF_8)) && s.socket.send(payload)
                    : s.socket.send(payload);
        } catch (ZMQException e) {
            throw new PatternMismatchException("Agent '" + name + "' cannot send on socket '" + s.alias + "' ("
                    + s.pattern + ") now: " + e.getMessage()
                    + (s.pattern == Pattern.REP ? " (a REP socket must receive a request before it replies)" : ""));
        }
        if (!sent) {
            throw new AgentTimeoutException("Agent '" + name + "' could not send on socket '" + s.alias + "' ("
                    + s.pattern + " " + s.address.endpoint() + ") within " + settings.timeout().toMillis()
                    + " ms: no peer took the message");
        }
    }

    @Override
    public <T> T recv(String alias, Class<T> type) {
        return recv(alias, type, settings.timeout());
    }

    @Override
    public <T> T recv(String alias, Class<T> type, Duration timeout) {
        return onLoop("recv", () -> doRecv(alias, type, timeout), timeout);
    }

    @Override
    public <T> T sendRecv(String alias, Object request, Class<T> type) {
        return onLoop("sendRecv", () -> {
            send(alias, request);
            return doRecv(alias, type, settings.timeout());
        }, settings.timeout());
    }

    private <T> T doRecv(String alias, Class<T> type, Duration timeout) {
        Envelope envelope = receiveEnvelope(alias, timeout);
        try {
            return envelopes.payload(envelope, type);
        } catch (MessageDecodingException e) {
            dropped.incrementAndGet();
            throw new MessageDecodingException("Agent '" + name + "' cannot decode a message on socket '" + alias
                    + "' as " + type.getName() + ": " + e.getMessage(), e);
        }
    }

    /** Receives a message as its codec encoded it, for a remote proxy, which decodes it itself. */
    EncodedPayload recvEncoded(String alias, Duration timeout) {
        return onLoop("recv", () -> encoded(receiveEnvelope(alias, timeout)), timeout);
    }

    /** Sends an encoded request and receives the encoded reply, for a remote proxy's {@code sendRecv}. */
    EncodedPayload sendRecvEncoded(String alias, EncodedPayload request, Duration timeout) {
        return onLoop("sendRecv", () -> {
            sendEncoded(alias, "", request);
            return encoded(receiveEnvelope(alias, timeout));
        }, timeout);
    }

    private static EncodedPayload encoded(Envelope envelope) {
        return new EncodedPayload(envelope.getCodec(), envelope.getPayloadType(), envelope.getPayload().toByteArray());
    }

    private Envelope receiveEnvelope(String alias, Duration timeout) {
        AgentSocket s = socket(alias);
        if (s.dispatch != null) {
            throw new PatternMismatchException("Agent '" + name + "' cannot recv on socket '" + alias
                    + "': its handler receives its messages");
        }
        if (!s.pattern.receives() && s.pattern != Pattern.REQ) {
            throw new PatternMismatchException("Agent '" + name + "' cannot recv on socket '" + alias + "': it is "
                    + s.pattern + ", which only sends");
        }
        s.socket.setReceiveTimeOut((int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())));
        List<byte[]> frames = readFrames(s, 0);
        if (frames == null) {
            throw new AgentTimeoutException("Agent '" + name + "' received nothing on socket '" + alias + "' ("
                    + s.pattern + ") within " + timeout.toMillis() + " ms");
        }
        Envelope envelope = parseFrames(s, frames);
        if (envelope.getError()) {
            throw new RemoteAgentException("Agent '" + envelope.getSender() + "' failed to handle the request sent by '"
                    + name + "' on socket '" + alias + "': " + envelope.getPayload().toStringUtf8());
        }
        return envelope;
    }

    /** Reads one whole multipart message, or {@code null} when none came in time. */
    private @Nullable List<byte[]> readFrames(AgentSocket s, int flags) {
        byte[] first = s.socket.recv(flags);
        if (first == null) {
            return null;
        }
        List<byte[]> frames = new ArrayList<>(2);
        frames.add(first);
        while (s.socket.hasReceiveMore()) {
            frames.add(s.socket.recv(0));
        }
        return frames;
    }

    private Envelope parseFrames(AgentSocket s, List<byte[]> frames) {
        int expected = s.topicFramed() ? 2 : 1;
        if (frames.size() != expected) {
            dropped.incrementAndGet();
            throw new MessageDecodingException("Agent '" + name + "' got a " + frames.size() + "-frame message on socket '"
                    + s.alias + "' (" + s.pattern + " expects " + expected + ")");
        }
        try {
            return envelopes.parse(frames.get(expected - 1));
        } catch (MessageDecodingException e) {
            dropped.incrementAndGet();
            throw new MessageDecodingException("Agent '" + name + "' got an unreadable message on socket '" + s.alias
                    + "': " + e.getMessage(), e);
        }
    }

    private void receiveOne(AgentSocket s, SocketDispatch dispatch) {
        List<byte[]> frames = readFrames(s, ZMQ.DONTWAIT);
        if (frames == null) {
            return;
        }
        String topic = s.topicFramed() ? new String(frames.get(0), StandardCharsets.UTF_8) : "";
        Envelope envelope;
        try {
            envelope = parseFrames(s, frames);
        } catch (MessageDecodingException e) {
            dropUnreadable(s, 0, e);
            return;
        }
        Object message;
        try {
            if (envelope.getError()) {
                throw new MessageDecodingException("it is an error report from '" + envelope.getSender() + "': "
                        + envelope.getPayload().toStringUtf8());
            }
            message = envelopes.payload(envelope, dispatch.type());
        } catch (MessageDecodingException e) {
            dropped.incrementAndGet();
            dropUnreadable(s, envelope.getCorrelationId(), e);
            return;
        }
        Object reply;
        try {
            reply = dispatch.handle(instance(), topic, message);
        } catch (Exception e) {
            handlerFailed("handler of socket '" + s.alias + "'", e);
            if (s.pattern == Pattern.REP) {
                replyError(s, envelope.getCorrelationId(), e.toString());
            }
            return;
        }
        if (s.pattern == Pattern.REP && sockets.get(s.alias) == s) {
            byte[] bytes;
            try {
                bytes = encode(s, reply, "", envelope.getCorrelationId(), false);
            } catch (MessageEncodingException e) {
                handlerFailed("handler of socket '" + s.alias + "'", e);
                replyError(s, envelope.getCorrelationId(), e.getMessage());
                return;
            }
            try {
                transmit(s, "", bytes);
            } catch (RuntimeException e) {
                LOG.error("Agent '{}' could not send its reply on socket '{}': {}", name, s.alias, e.toString());
            }
        }
    }

    /** Logs a message that was dropped (and already counted); a REP socket still owes its requester an answer. */
    private void dropUnreadable(AgentSocket s, long correlationId, MessageDecodingException e) {
        LOG.warn("Agent '{}' dropped a message on socket '{}' ({} dropped so far): {}", name, s.alias, dropped.get(),
                e.getMessage());
        if (s.pattern == Pattern.REP) {
            replyError(s, correlationId, "the request could not be decoded: " + e.getMessage());
        }
    }

    private void replyError(AgentSocket s, long correlationId, String description) {
        if (sockets.get(s.alias) != s) {
            return;
        }
        try {
            transmit(s, "", encode(s, description, "", correlationId, true));
        } catch (RuntimeException e) {
            LOG.error("Agent '{}' could not send an error reply on socket '{}': {}", name, s.alias, e.toString());
        }
    }

    private void handlerFailed(String where, Exception e) {
        agentLog.error("Agent '{}': {} failed: {}", name, where, e.toString(), e);
        if (options.stopOnHandlerError()) {
            agentLog.error("Agent '{}' stops, as its options ask on a handler error", name);
            state = State.STOPPING;
        }
    }

    // ---------------------------------------------------------------- timers

    @Override
    public String each(Duration period, TimerAction action) {
        return schedule("each", null, period, period, action);
    }

    @Override
    public String each(Duration period, TimerAction action, String alias) {
        return schedule("each", alias, period, period, action);
    }

    @Override
    public String after(Duration delay, TimerAction action) {
        return schedule("after", null, delay, Duration.ZERO, action);
    }

    @Override
    public String after(Duration delay, TimerAction action, String alias) {
        return schedule("after", alias, delay, Duration.ZERO, action);
    }

    @Override
    public String each(Duration period, String method, @Nullable Object... args) {
        return schedule("each", null, period, period, agent -> methods().call(method, args));
    }

    @Override
    public String after(Duration delay, String method, @Nullable Object... args) {
        return schedule("after", null, delay, Duration.ZERO, agent -> methods().call(method, args));
    }

    private String schedule(String operation, @Nullable String alias, Duration delay, Duration period, TimerAction action) {
        if (delay.isNegative() || period.isNegative() || (operation.equals("each") && period.isZero())) {
            throw new IllegalArgumentException("Timer of agent '" + name + "' needs a positive period and a"
                    + " non-negative delay, got delay " + delay + " and period " + period);
        }
        return onLoop(operation, () -> timers.schedule(alias, delay.toNanos(), period.toNanos(), action, System.nanoTime()));
    }

    @Override
    public void stopTimer(String alias) {
        onLoop("stopTimer", () -> {
            timers.stop(alias);
            return null;
        });
    }

    @Override
    public void stopAllTimers() {
        onLoop("stopAllTimers", () -> {
            timers.stopAll();
            return null;
        });
    }

    @Override
    public List<String> listTimers() {
        return onLoop("listTimers", timers::aliases);
    }

    // ---------------------------------------------------------------- attributes and methods

    @Override
    public void setAttr(String attribute, @Nullable Object value) {
        onLoop("setAttr", () -> {
            attributes().set(attribute, value);
            return null;
        });
    }

    @Override
    public void setAttrs(Map<String, ?> values) {
        onLoop("setAttrs", () -> {
            values.forEach(attributes()::set);
            return null;
        });
    }

    @Override
    public @Nullable Object getAttr(String attribute) {
        return onLoop("getAttr", () -> attributes().get(attribute));
    }

    @Override
    public <T> @Nullable T getAttr(String attribute, Class<T> type) {
        return onLoop("getAttr", () -> attributes().get(attribute, type));
    }

    @Override
    public void setMethod(String method, AgentMethod body) {
        onLoop("setMethod", () -> {
            methods().add(method, body);
            return null;
        });
    }

    @Override
    public @Nullable Object call(String method, @Nullable Object... args) {
        return onLoop("call " + method, () -> methods().call(method, args));
    }

    @Override
    public <T> @Nullable T call(Class<T> resultType, String method, @Nullable Object... args) {
        return castResult(method, resultType, call(method, args));
    }

    <T> @Nullable T castResult(String method, Class<T> resultType, @Nullable Object result) {
        if (result == null || resultType == void.class || resultType == Void.class) {
            return null;
        }
        Class<?> boxed = Boxing.box(resultType);
        if (!boxed.isInstance(result)) {
            throw new ClassCastException("Method '" + method + "' of agent '" + name + "' returned a "
                    + result.getClass().getName() + ", not a " + resultType.getName());
        }
        @SuppressWarnings("unchecked")
        T cast = (T) boxed.cast(result);
        return cast;
    }

    // ---------------------------------------------------------------- logging

    @Override
    public void logInfo(String message) {
        agentLog.info("[{}] {}", name, message);
    }

    @Override
    public void logWarning(String message) {
        agentLog.warn("[{}] {}", name, message);
    }

    @Override
    public void logError(String message) {
        agentLog.error("[{}] {}", name, message);
    }

    @Override
    public void logDebug(String message) {
        agentLog.debug("[{}] {}", name, message);
    }

    @Override
    public String toString() {
        return "Agent[" + name + ", " + state + "]";
    }
}
