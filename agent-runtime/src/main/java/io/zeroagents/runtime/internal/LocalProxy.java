package io.zeroagents.runtime.internal;

import io.zeroagents.AgentAddress;
import io.zeroagents.AgentFunction;
import io.zeroagents.AgentMethod;
import io.zeroagents.BindOptions;
import io.zeroagents.MessageHandler;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.RequestOptions;
import io.zeroagents.SocketHandler;
import io.zeroagents.TimerAction;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;

/**
 * A proxy to an agent of this JVM. Safe calls go through the agent's own routing (queued to its
 * loop); unsafe calls run attribute and method work on the caller's thread; one-way calls are
 * queued without waiting, and their failures logged.
 */
final class LocalProxy implements Proxy {
    private static final Logger LOG = LogManager.getLogger(LocalProxy.class);

    enum Mode { SAFE, UNSAFE, ONEWAY }

    private final AgentCore core;
    private final Mode mode;

    LocalProxy(AgentCore core, Mode mode) {
        this.core = core;
        this.mode = mode;
    }

    /** Runs an operation that must happen on the agent's loop. */
    private <T> @Nullable T onLoop(String operation, Supplier<T> call) {
        if (mode == Mode.ONEWAY) {
            core.post(operation, call::get).whenComplete((result, failure) -> {
                if (failure != null) {
                    LOG.warn("One-way call '{}' to agent '{}' failed: {}", operation, core.name(), failure.toString());
                }
            });
            return null;
        }
        return call.get();
    }

    /** Runs an operation that unsafe proxies run on the caller's thread. */
    private <T> @Nullable T anyThread(String operation, Supplier<T> safe, Callable<T> here) {
        return mode == Mode.UNSAFE ? core.callHere(here) : onLoop(operation, safe);
    }

    @Override
    public String name() {
        return core.name();
    }

    @Override
    public String ping() {
        String pong = onLoop("ping", () -> core.onLoop("ping", () -> "pong"));
        return pong == null ? "pong" : pong;
    }

    @Override
    public boolean isRunning() {
        return core.isRunning();
    }

    /** Whether the agent has not ended, even if it is stopped (paused). */
    boolean alive() {
        return core.alive();
    }

    @Override
    public Proxy safe() {
        return mode == Mode.SAFE ? this : new LocalProxy(core, Mode.SAFE);
    }

    @Override
    public Proxy unsafe() {
        return mode == Mode.UNSAFE ? this : new LocalProxy(core, Mode.UNSAFE);
    }

    @Override
    public Proxy oneway() {
        return mode == Mode.ONEWAY ? this : new LocalProxy(core, Mode.ONEWAY);
    }

    @Override
    public <T> T as(Class<T> type) {
        return TypedProxy.create(type, "Proxy[" + core.name() + " as " + type.getSimpleName() + "]", (method, args) -> {
            Object result = call(method.getName(), args);
            return method.getReturnType() == void.class ? null
                    : Boxing.castResult(core.name(), method.getName(), method.getReturnType(), result);
        });
    }

    @Override
    public AgentAddress bind(Pattern pattern, String alias, BindOptions options) {
        return onLoop("bind", () -> core.bind(pattern, alias, options));
    }

    @Override
    public AgentAddress connect(AgentAddress address, String alias) {
        onLoop("connect", () -> core.connect(address, alias));
        return address.twin();
    }

    @Override
    public AgentAddress connect(AgentAddress address, String alias, SocketHandler handler) {
        onLoop("connect", () -> core.connect(address, alias, handler));
        return address.twin();
    }

    @Override
    public void request(String alias, Object request, RequestOptions options) {
        onLoop("request", () -> {
            core.request(alias, request, options);
            return null;
        });
    }

    @Override
    public void subscribe(String alias, String topic) {
        onLoop("subscribe", () -> {
            core.subscribe(alias, topic);
            return null;
        });
    }

    @Override
    public <T> void subscribe(String alias, String topic, Class<T> type, MessageHandler<? super T> handler) {
        onLoop("subscribe", () -> {
            core.subscribe(alias, topic, type, handler);
            return null;
        });
    }

    @Override
    public void unsubscribe(String alias, String topic) {
        onLoop("unsubscribe", () -> {
            core.unsubscribe(alias, topic);
            return null;
        });
    }

    @Override
    public void send(String alias, Object message) {
        onLoop("send", () -> {
            core.send(alias, message);
            return null;
        });
    }

    @Override
    public void send(String alias, String topic, Object message) {
        onLoop("send", () -> {
            core.send(alias, topic, message);
            return null;
        });
    }

    @Override
    public <T> T recv(String alias, Class<T> type) {
        return onLoop("recv", () -> core.recv(alias, type));
    }

    @Override
    public <T> T recv(String alias, Class<T> type, Duration timeout) {
        return onLoop("recv", () -> core.recv(alias, type, timeout));
    }

    @Override
    public <T> T sendRecv(String alias, Object request, Class<T> type) {
        return onLoop("sendRecv", () -> core.sendRecv(alias, request, type));
    }

    @Override
    public String each(Duration period, TimerAction action) {
        return onLoop("each", () -> core.each(period, action));
    }

    @Override
    public String each(Duration period, TimerAction action, String alias) {
        return onLoop("each", () -> core.each(period, action, alias));
    }

    @Override
    public String after(Duration delay, TimerAction action) {
        return onLoop("after", () -> core.after(delay, action));
    }

    @Override
    public String after(Duration delay, TimerAction action, String alias) {
        return onLoop("after", () -> core.after(delay, action, alias));
    }

    @Override
    public String each(Duration period, String method, @Nullable Object... args) {
        return onLoop("each", () -> core.each(period, method, args));
    }

    @Override
    public String after(Duration delay, String method, @Nullable Object... args) {
        return onLoop("after", () -> core.after(delay, method, args));
    }

    @Override
    public String each(String alias, Duration period, String method, @Nullable Object... args) {
        return onLoop("each", () -> core.each(alias, period, method, args));
    }

    @Override
    public String after(String alias, Duration delay, String method, @Nullable Object... args) {
        return onLoop("after", () -> core.after(alias, delay, method, args));
    }

    @Override
    public void stopTimer(String alias) {
        onLoop("stopTimer", () -> {
            core.stopTimer(alias);
            return null;
        });
    }

    @Override
    public void stopAllTimers() {
        onLoop("stopAllTimers", () -> {
            core.stopAllTimers();
            return null;
        });
    }

    @Override
    public List<String> listTimers() {
        return onLoop("listTimers", core::listTimers);
    }

    @Override
    public void setAttr(String name, @Nullable Object value) {
        anyThread("setAttr", () -> {
            core.setAttr(name, value);
            return null;
        }, () -> {
            core.attributes().set(name, value);
            return null;
        });
    }

    @Override
    public void setAttrs(Map<String, ?> attributes) {
        anyThread("setAttrs", () -> {
            core.setAttrs(attributes);
            return null;
        }, () -> {
            attributes.forEach(core.attributes()::set);
            return null;
        });
    }

    @Override
    public @Nullable Object getAttr(String name) {
        return anyThread("getAttr", () -> core.getAttr(name), () -> core.attributes().get(name));
    }

    @Override
    public <T> @Nullable T getAttr(String name, Class<T> type) {
        return anyThread("getAttr", () -> core.getAttr(name, type), () -> core.attributes().get(name, type));
    }

    @Override
    public void setMethod(String name, AgentMethod method) {
        anyThread("setMethod", () -> {
            core.setMethod(name, method);
            return null;
        }, () -> {
            core.methods().add(name, method);
            return null;
        });
    }

    @Override
    public void setMethod(AgentMethod... methods) {
        Map<String, AgentMethod> named = AgentMethods.byReferenceName(core.name(), methods);
        setMethods(named);
    }

    @Override
    public void setMethods(Map<String, ? extends AgentMethod> methods) {
        anyThread("setMethods", () -> {
            core.setMethods(methods);
            return null;
        }, () -> {
            methods.forEach(core.methods()::add);
            return null;
        });
    }

    @Override
    public @Nullable Object executeAsFunction(AgentFunction function, @Nullable Object... args) {
        return anyThread("executeAsFunction", () -> core.executeAsFunction(function, args), () -> function.apply(args));
    }

    @Override
    public @Nullable Object executeAsMethod(AgentMethod method, @Nullable Object... args) {
        return anyThread("executeAsMethod", () -> core.executeAsMethod(method, args), () -> method.invoke(core, args));
    }

    @Override
    public @Nullable Object call(String method, @Nullable Object... args) {
        return anyThread("call " + method, () -> core.call(method, args), () -> core.methods().call(method, args));
    }

    @Override
    public <T> @Nullable T call(Class<T> resultType, String method, @Nullable Object... args) {
        return Boxing.castResult(core.name(), method, resultType, call(method, args));
    }

    @Override
    public AgentAddress addr(String alias) {
        return onLoop("addr", () -> core.addr(alias));
    }

    @Override
    public boolean hasSocket(String alias) {
        Boolean has = onLoop("hasSocket", () -> core.hasSocket(alias));
        return has != null && has;
    }

    /** Waits for the agent's sockets whatever this proxy's mode: a one-way answer carries none. */
    @Override
    public String aliasOf(AgentAddress address) {
        return mode == Mode.ONEWAY ? safe().aliasOf(address) : Proxy.super.aliasOf(address);
    }

    @Override
    public Map<String, AgentAddress> sockets() {
        return onLoop("sockets", core::sockets);
    }

    @Override
    public void close(String alias) {
        onLoop("close", () -> {
            core.close(alias);
            return null;
        });
    }

    @Override
    public void closeAll() {
        onLoop("closeAll", () -> {
            core.closeAll();
            return null;
        });
    }

    @Override
    public void close(String alias, Duration linger) {
        onLoop("close", () -> {
            core.close(alias, linger);
            return null;
        });
    }

    @Override
    public void closeAll(Duration linger) {
        onLoop("closeAll", () -> {
            core.closeAll(linger);
            return null;
        });
    }

    @Override
    public void setLogger(AgentAddress loggerAddress) {
        onLoop("setLogger", () -> {
            core.setLogger(loggerAddress);
            return null;
        });
    }

    @Override
    public void log(String level, String message) {
        core.log(level, message);
    }

    @Override
    public void stop() {
        onLoop("stop", () -> {
            core.stop();
            return null;
        });
    }

    @Override
    public void resume() {
        onLoop("resume", () -> {
            core.resume();
            return null;
        });
    }

    @Override
    public void kill() {
        core.kill();
    }

    @Override
    public void shutdown() {
        if (mode == Mode.ONEWAY) {
            core.post("shutdown", () -> {
                core.shutdown();
                return null;
            });
            return;
        }
        core.shutdown();
    }

    @Override
    public String toString() {
        return "Proxy[" + core.name() + ", " + mode.name().toLowerCase(java.util.Locale.ROOT) + "]";
    }
}
