package io.zeroagents.runtime.internal;

import io.zeroagents.Agent;
import io.zeroagents.AgentAddress;
import io.zeroagents.AgentFunction;
import io.zeroagents.AgentMethod;
import io.zeroagents.AgentOptions;
import io.zeroagents.BaseAgent;
import io.zeroagents.BindOptions;
import io.zeroagents.MessageEncodingException;
import io.zeroagents.MessageHandler;
import io.zeroagents.Pattern;
import io.zeroagents.RemoteAgentException;
import io.zeroagents.RequestOptions;
import io.zeroagents.SocketHandler;
import io.zeroagents.TimerAction;
import io.zeroagents.serialization.EncodedPayload;
import io.zeroagents.serialization.EnvelopeCodec;
import io.zeroagents.serialization.EnvelopeView;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.zeromq.ZContext;

/**
 * One running agent, as its proxies and host see it: a facade over its loop ({@link AgentLoop}),
 * sockets ({@link AgentSockets}), send and receive sides ({@link Outbox}, {@link Inbox}), timers,
 * attributes, methods and log ({@link AgentLog}).
 *
 * <p>Only the loop thread touches sockets and timers. Every operation called from another thread
 * is queued as a task on the loop and the caller waits for its result, so proxies are usable from
 * any thread; a handler or timer of the agent calls straight through.
 */
final class AgentCore implements Agent {
    private final String name;
    private final Settings settings;
    private final AgentHost host;
    private final AgentLoop loop;
    private final AgentLog log;
    private final AgentSocketFactory socketFactory;
    private final AgentSockets sockets;
    private final Outbox outbox;
    private final Inbox inbox;
    private final AgentTimers timers;
    final AgentMetrics metrics;
    private final AgentBody body;

    AgentCore(String name, AgentOptions options, Settings settings, AgentHost host, ZContext context,
              EnvelopeCodec envelopes) {
        this.name = name;
        this.settings = settings;
        this.host = host;
        this.loop = new AgentLoop(name, settings.timeout(), options.spinWait().toNanos(), settings.loopMaxTasks());
        this.log = new AgentLog(name, envelopes, loop);
        this.metrics = new AgentMetrics(name, log.droppedCounter());
        this.timers = new AgentTimers(name);
        PendingRequests pending = new PendingRequests();
        SocketDispatch.Resolver handlers = (handler, pattern, alias) ->
                SocketDispatch.resolve(handler, pattern, name, alias, methods());
        this.outbox = new Outbox(name, envelopes, loop, log, pending, handlers, settings.timeout(),
                options.batchSends(), options.shareSentArrays());
        this.inbox = new Inbox(name, envelopes, loop, log, outbox, pending, new Inbox.Handlers() {
            @Override
            public Agent agent() {
                return body.instance();
            }

            @Override
            public void failed(String where, Exception e) {
                body.handlerFailed(where, e);
            }
        });
        this.socketFactory = new AgentSocketFactory(name, context, settings, envelopes.maxFrameBytes(), host.curve());
        metrics.countInput(socketFactory.inputCounters());
        this.sockets = new AgentSockets(name, settings, envelopes, socketFactory, loop.loopWait(), metrics, outbox, inbox, pending,
                new AgentSockets.Registrations() {
                    @Override
                    public void bound(String alias, AgentAddress address) {
                        host.socketBound(AgentCore.this, alias, address);
                    }

                    @Override
                    public void closed(String alias) {
                        host.socketClosed(AgentCore.this, alias);
                    }
                }, handlers);
        this.body = new AgentBody(this, options, loop, log, metrics, timers, sockets, outbox, inbox,
                socketFactory::lingerMillis, socketFactory::killed,
                new StopDrain(name, loop, inbox, log, settings.shutdownDrain()));
    }

    /** Starts the loop and waits until {@code onInit} has run. */
    void start() {
        loop.start(body);
    }

    /** See {@link AgentLoop#ranRemoteCall}. */
    void ranRemoteCall(long pollNanos) {
        loop.ranRemoteCall(pollNanos);
    }

    /** How many times the loop went to sleep; for tests. */
    long loopSleeps() {
        return loop.sleeps();
    }

    // ---------------------------------------------------------------- tasks

    /** See {@link AgentLoop#onLoop(String, Callable)}. */
    <T> T onLoop(String operation, Callable<T> action) {
        return loop.onLoop(operation, action);
    }

    /** {@link #onLoop} for an action without a result. */
    private void onLoopDo(String operation, Runnable action) {
        loop.onLoop(operation, () -> {
            action.run();
            return null;
        });
    }

    /** Queues {@code action} on the loop thread without waiting; failures complete the future. */
    <T> CompletableFuture<T> post(String operation, Callable<T> action) {
        return loop.post(operation, action);
    }

    /** See {@link AgentLoop#post(String, Callable, long)}. */
    <T> CompletableFuture<T> post(String operation, Callable<T> action, long callerDeadline) {
        return loop.post(operation, action, callerDeadline);
    }

    /** Runs {@code action} on the calling thread (unsafe calls), translating checked exceptions. */
    <T> T callHere(Callable<T> action) {
        return loop.callHere(action);
    }

    private BaseAgent instance() {
        return body.instance();
    }

    AgentAttributes attributes() {
        return body.attributes();
    }

    AgentMethods methods() {
        return body.methods();
    }

    // ---------------------------------------------------------------- identity and lifecycle

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }

    /** How long a call to this agent may wait for its loop. */
    Duration timeout() {
        return settings.timeout();
    }

    /** Whether the agent has not ended, even if it is stopped (paused). */
    boolean alive() {
        return loop.alive();
    }

    @Override
    public void stop() {
        onLoopDo("stop", () -> loop.pause());
    }

    @Override
    public void resume() {
        onLoopDo("resume", () -> loop.unpause());
    }

    /**
     * Ends the agent without waiting: its name is released now, its sockets close without linger
     * when its loop ends, and a handler that is still running is left to return on its own.
     */
    void kill() {
        socketFactory.kill();
        requestStop();
        host.agentStopped(this);
    }

    /** See {@link AgentLog#dropped()}. */
    long droppedMessages() {
        return log.dropped();
    }

    /** Whether the calling thread is this agent's loop thread (a handler, timer or safe call of its own). */
    boolean onLoopThread() {
        return loop.onLoopThread();
    }

    /** Completes when the agent's loop has ended and its sockets are closed. */
    CompletableFuture<Void> stopped() {
        return loop.stopped();
    }

    @Override
    public void shutdown() {
        if (loop.onLoopThread()) {
            loop.stopFromLoop();
            return;
        }
        if (loop.ended()) {
            return;
        }
        requestStop();
        loop.awaitStopped();
    }

    /** Called last as the loop ends: the host releases the agent's name. */
    void loopEnded() {
        host.agentStopped(this);
    }

    /** Asks the loop to stop after what it is doing now, waking it wherever it sleeps; does not wait. */
    void requestStop() {
        loop.requestStop();
    }

    // ---------------------------------------------------------------- sockets

    @Override
    public AgentAddress bind(Pattern pattern, String alias, BindOptions bindOptions) {
        return onLoop("bind", () -> sockets.bind(pattern, alias, bindOptions));
    }

    @Override
    public AgentAddress connect(AgentAddress address, String alias) {
        return onLoop("connect", () -> sockets.connect(address, alias, null));
    }

    @Override
    public AgentAddress connect(AgentAddress address, String alias, SocketHandler handler) {
        return onLoop("connect", () -> sockets.connect(address, alias, handler));
    }

    @Override
    public AgentAddress addr(String alias) {
        return onLoop("addr", () -> sockets.get(alias).address);
    }

    @Override
    public boolean hasSocket(String alias) {
        return onLoop("hasSocket", () -> sockets.has(alias));
    }

    @Override
    public Map<String, AgentAddress> sockets() {
        return onLoop("sockets", sockets::addresses);
    }

    @Override
    public void close(String alias) {
        onLoopDo("close", () -> sockets.close(sockets.get(alias), true, socketFactory.lingerMillis()));
    }

    @Override
    public void close(String alias, Duration linger) {
        int millis = lingerOf(linger);
        onLoopDo("close", () -> sockets.close(sockets.get(alias), true, millis));
    }

    @Override
    public void closeAll() {
        onLoopDo("closeAll", () -> sockets.closeAll(true, socketFactory.lingerMillis()));
    }

    @Override
    public void closeAll(Duration linger) {
        int millis = lingerOf(linger);
        onLoopDo("closeAll", () -> sockets.closeAll(true, millis));
    }

    private int lingerOf(Duration linger) {
        if (linger.isNegative()) {
            throw new IllegalArgumentException("Linger of agent '" + name + "' must not be negative, got " + linger);
        }
        return (int) Math.min(Integer.MAX_VALUE, linger.toMillis());
    }

    @Override
    public void subscribe(String alias, String topic) {
        onLoopDo("subscribe", () -> sockets.subscribe(alias, topic));
    }

    @Override
    public <T> void subscribe(String alias, String topic, Class<T> type, MessageHandler<? super T> handler) {
        onLoopDo("subscribe", () -> sockets.subscribe(alias, topic, SocketHandler.onMessage(type, handler)));
    }

    @Override
    public void unsubscribe(String alias, String topic) {
        onLoopDo("unsubscribe", () -> sockets.unsubscribe(alias, topic));
    }

    // ---------------------------------------------------------------- messages

    @Override
    public void send(String alias, Object message) {
        send(alias, "", message);
    }

    @Override
    public void send(String alias, String topic, Object message) {
        if (loop.onLoopThread()) {
            // The common case, a handler or timer sending: no task object, a direct call.
            outbox.send(sockets.get(alias), topic, message);
            return;
        }
        loop.onLoop("send", () -> {
            outbox.send(sockets.get(alias), topic, message);
            return null;
        }, settings.timeout());
    }

    @Override
    public void request(String alias, Object request, RequestOptions requestOptions) {
        loop.onLoop("request", () -> {
            outbox.request(sockets.get(alias), request, requestOptions);
            return null;
        }, settings.timeout());
    }

    /** Sends an asynchronous request another process encoded, for a remote proxy. */
    void sendRequestEncoded(String alias, EncodedPayload request, RequestOptions requestOptions) {
        loop.onLoop("send", () -> {
            outbox.requestEncoded(sockets.get(alias), request, requestOptions);
            return null;
        }, settings.timeout());
    }

    /**
     * Sends a payload another process encoded (a remote proxy's {@code send}), as it is: this host
     * never decodes it, so it needs none of the sender's classes.
     */
    void sendEncoded(String alias, String topic, EncodedPayload payload) {
        if (payload.codecId().equals(EnvelopeCodec.BATCH_CODEC)) {
            throw new MessageEncodingException("Agent '" + name + "' cannot send a payload of codec '"
                    + EnvelopeCodec.BATCH_CODEC + "' on socket '" + alias + "': the id is reserved for batches", null);
        }
        loop.onLoop("send", () -> {
            outbox.sendEncoded(sockets.get(alias), topic, payload);
            return null;
        }, settings.timeout());
    }

    @Override
    public <T> T recv(String alias, Class<T> type) {
        return recv(alias, type, settings.timeout());
    }

    @Override
    public <T> T recv(String alias, Class<T> type, Duration timeout) {
        return loop.onLoop("recv", () -> inbox.recv(sockets.get(alias), type, timeout), timeout);
    }

    @Override
    public <T> T sendRecv(String alias, Object request, Class<T> type) {
        return loop.onLoop("sendRecv", () -> {
            send(alias, request);
            return inbox.recv(sockets.get(alias), type, settings.timeout());
        }, settings.timeout());
    }

    /** Receives a message as its codec encoded it, for a remote proxy, which decodes it itself. */
    EncodedPayload recvEncoded(String alias, Duration timeout) {
        return loop.onLoop("recv", () -> encoded(inbox.receiveEnvelope(sockets.get(alias), timeout)), timeout);
    }

    /** Sends an encoded request and receives the encoded reply, for a remote proxy's {@code sendRecv}. */
    EncodedPayload sendRecvEncoded(String alias, EncodedPayload request, Duration timeout) {
        return loop.onLoop("sendRecv", () -> {
            sendEncoded(alias, "", request);
            return encoded(inbox.receiveEnvelope(sockets.get(alias), timeout));
        }, timeout);
    }

    private static EncodedPayload encoded(EnvelopeView envelope) {
        return new EncodedPayload(envelope.codec(), envelope.payloadType(), envelope.payload());
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
        return each(null, period, method, args);
    }

    @Override
    public String after(Duration delay, String method, @Nullable Object... args) {
        return after(null, delay, method, args);
    }

    @Override
    public String each(@Nullable String alias, Duration period, String method, @Nullable Object... args) {
        return schedule("each", alias, period, period, agent -> methods().call(method, args));
    }

    @Override
    public String after(@Nullable String alias, Duration delay, String method, @Nullable Object... args) {
        return schedule("after", alias, delay, Duration.ZERO, agent -> methods().call(method, args));
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
        onLoopDo("stopTimer", () -> timers.stop(alias));
    }

    @Override
    public void stopAllTimers() {
        onLoopDo("stopAllTimers", () -> timers.stopAll());
    }

    @Override
    public List<String> listTimers() {
        return onLoop("listTimers", timers::aliases);
    }

    // ---------------------------------------------------------------- attributes and methods

    @Override
    public void setAttr(String attribute, @Nullable Object value) {
        onLoopDo("setAttr", () -> attributes().set(attribute, value));
    }

    @Override
    public void setAttrs(Map<String, ?> values) {
        onLoopDo("setAttrs", () -> values.forEach(attributes()::set));
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
        onLoopDo("setMethod", () -> methods().add(method, body));
    }

    @Override
    public void setMethod(AgentMethod... bodies) {
        setMethods(AgentMethods.byReferenceName(name, bodies));
    }

    @Override
    public void setMethods(Map<String, ? extends AgentMethod> bodies) {
        Map<String, AgentMethod> copy = new LinkedHashMap<>(bodies);
        onLoopDo("setMethods", () -> copy.forEach(methods()::add));
    }

    @Override
    public @Nullable Object executeAsFunction(AgentFunction function, @Nullable Object... args) {
        return onLoop("executeAsFunction", () -> executed("function", () -> function.apply(args)));
    }

    @Override
    public @Nullable Object executeAsMethod(AgentMethod method, @Nullable Object... args) {
        return onLoop("executeAsMethod", () -> executed("method", () -> method.invoke(instance(), args)));
    }

    private @Nullable Object executed(String what, Callable<@Nullable Object> body) {
        try {
            return body.call();
        } catch (Exception e) {
            throw new RemoteAgentException("Agent '" + name + "': the " + what + " it executed failed: " + e, e);
        }
    }

    @Override
    public @Nullable Object call(String method, @Nullable Object... args) {
        return onLoop("call " + method, () -> methods().call(method, args));
    }

    @Override
    public <T> @Nullable T call(Class<T> resultType, String method, @Nullable Object... args) {
        return Boxing.castResult(name, method, resultType, call(method, args));
    }

    // ---------------------------------------------------------------- logging

    @Override
    public void setLogger(AgentAddress loggerAddress) {
        onLoopDo("setLogger", () -> log.useLoggerSocket(sockets.connectLogger(loggerAddress)));
    }

    @Override
    public void log(String level, String message) {
        log.log(level, message);
    }

    @Override
    public void logInfo(String message) {
        log("INFO", message);
    }

    @Override
    public void logWarning(String message) {
        log("WARN", message);
    }

    @Override
    public void logError(String message) {
        log("ERROR", message);
    }

    @Override
    public void logDebug(String message) {
        log("DEBUG", message);
    }

    @Override
    public String toString() {
        return "Agent[" + name + ", " + loop + "]";
    }
}
