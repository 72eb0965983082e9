package io.zeroagents;

import io.zeroagents.spi.AgentBinding;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The class user agents extend (osBrain's {@code Agent} base class); the default agent is a plain
 * {@code BaseAgent}.
 *
 * <pre>{@code
 * public class Greeter extends BaseAgent {
 *     @Override protected void onInit() { bind(Pattern.PUSH, "main"); }
 *     public void hello(String name) { send("main", "Hello, " + name + "!"); }
 * }
 * Proxy alice = Agents.runAgent("Alice", AgentOptions.of(Greeter.class));
 * alice.call("hello", "Bob");
 * }</pre>
 *
 * <p>Instances are created by the runtime ({@link Agents#runAgent(String, AgentOptions)}), never with
 * {@code new}: a subclass needs a no-argument constructor, which must not touch sockets (do that in
 * {@link #onInit()}). Every method here, hooks included, runs on the agent's loop thread. Public
 * methods of a subclass can be called by name through a {@link Proxy} and used as handlers with
 * {@link SocketHandler#method(String)}.
 *
 * @since 0.1
 */
public class BaseAgent implements Agent {
    private final Agent self;

    /**
     * Binds this instance to the agent the runtime is creating.
     *
     * @throws IllegalStateException when called outside {@link Agents#runAgent(String, AgentOptions)}
     */
    protected BaseAgent() {
        this.self = AgentBinding.current();
    }

    /**
     * Runs once on the agent's loop thread after its initial attributes are set and before it
     * registers; bind the agent's own sockets here. An exception fails {@code runAgent}.
     */
    protected void onInit() {
    }

    /** Runs once after registration, just before the loop handles its first message. */
    protected void beforeLoop() {
    }

    /**
     * Runs when the loop had nothing to do for {@link AgentOptions#idlePeriod()}; must not block.
     */
    protected void idle() {
    }

    @Override
    public String name() {
        return self.name();
    }

    @Override
    public boolean isRunning() {
        return self.isRunning();
    }

    @Override
    public AgentAddress bind(Pattern pattern, String alias, BindOptions options) {
        return self.bind(pattern, alias, options);
    }

    @Override
    public AgentAddress connect(AgentAddress address, String alias) {
        return self.connect(address, alias);
    }

    @Override
    public AgentAddress connect(AgentAddress address, String alias, SocketHandler handler) {
        return self.connect(address, alias, handler);
    }

    @Override
    public void request(String alias, Object request, RequestOptions options) {
        self.request(alias, request, options);
    }

    @Override
    public void subscribe(String alias, String topic) {
        self.subscribe(alias, topic);
    }

    @Override
    public <T> void subscribe(String alias, String topic, Class<T> type, MessageHandler<? super T> handler) {
        self.subscribe(alias, topic, type, handler);
    }

    @Override
    public void unsubscribe(String alias, String topic) {
        self.unsubscribe(alias, topic);
    }

    @Override
    public void setMethod(AgentMethod... methods) {
        self.setMethod(methods);
    }

    @Override
    public void setMethods(Map<String, ? extends AgentMethod> methods) {
        self.setMethods(methods);
    }

    @Override
    public @Nullable Object executeAsFunction(AgentFunction function, @Nullable Object... args) {
        return self.executeAsFunction(function, args);
    }

    @Override
    public @Nullable Object executeAsMethod(AgentMethod method, @Nullable Object... args) {
        return self.executeAsMethod(method, args);
    }

    @Override
    public void close(String alias, Duration linger) {
        self.close(alias, linger);
    }

    @Override
    public void closeAll(Duration linger) {
        self.closeAll(linger);
    }

    @Override
    public void setLogger(AgentAddress loggerAddress) {
        self.setLogger(loggerAddress);
    }

    @Override
    public void log(String level, String message) {
        self.log(level, message);
    }

    @Override
    public void stop() {
        self.stop();
    }

    @Override
    public void resume() {
        self.resume();
    }

    @Override
    public void send(String alias, Object message) {
        self.send(alias, message);
    }

    @Override
    public void send(String alias, String topic, Object message) {
        self.send(alias, topic, message);
    }

    @Override
    public <T> T recv(String alias, Class<T> type) {
        return self.recv(alias, type);
    }

    @Override
    public <T> T recv(String alias, Class<T> type, Duration timeout) {
        return self.recv(alias, type, timeout);
    }

    @Override
    public <T> T sendRecv(String alias, Object request, Class<T> type) {
        return self.sendRecv(alias, request, type);
    }

    @Override
    public String each(Duration period, TimerAction action) {
        return self.each(period, action);
    }

    @Override
    public String each(Duration period, TimerAction action, String alias) {
        return self.each(period, action, alias);
    }

    @Override
    public String after(Duration delay, TimerAction action) {
        return self.after(delay, action);
    }

    @Override
    public String after(Duration delay, TimerAction action, String alias) {
        return self.after(delay, action, alias);
    }

    @Override
    public String each(Duration period, String method, @Nullable Object... args) {
        return self.each(period, method, args);
    }

    @Override
    public String after(Duration delay, String method, @Nullable Object... args) {
        return self.after(delay, method, args);
    }

    @Override
    public String each(String alias, Duration period, String method, @Nullable Object... args) {
        return self.each(alias, period, method, args);
    }

    @Override
    public String after(String alias, Duration delay, String method, @Nullable Object... args) {
        return self.after(alias, delay, method, args);
    }

    @Override
    public void stopTimer(String alias) {
        self.stopTimer(alias);
    }

    @Override
    public void stopAllTimers() {
        self.stopAllTimers();
    }

    @Override
    public List<String> listTimers() {
        return self.listTimers();
    }

    @Override
    public void setAttr(String name, @Nullable Object value) {
        self.setAttr(name, value);
    }

    @Override
    public void setAttrs(Map<String, ?> attributes) {
        self.setAttrs(attributes);
    }

    @Override
    public @Nullable Object getAttr(String name) {
        return self.getAttr(name);
    }

    @Override
    public <T> @Nullable T getAttr(String name, Class<T> type) {
        return self.getAttr(name, type);
    }

    @Override
    public void setMethod(String name, AgentMethod method) {
        self.setMethod(name, method);
    }

    @Override
    public @Nullable Object call(String method, @Nullable Object... args) {
        return self.call(method, args);
    }

    @Override
    public <T> @Nullable T call(Class<T> resultType, String method, @Nullable Object... args) {
        return self.call(resultType, method, args);
    }

    @Override
    public AgentAddress addr(String alias) {
        return self.addr(alias);
    }

    @Override
    public boolean hasSocket(String alias) {
        return self.hasSocket(alias);
    }

    @Override
    public Map<String, AgentAddress> sockets() {
        return self.sockets();
    }

    @Override
    public void close(String alias) {
        self.close(alias);
    }

    @Override
    public void closeAll() {
        self.closeAll();
    }

    @Override
    public void shutdown() {
        self.shutdown();
    }

    @Override
    public void logInfo(String message) {
        self.logInfo(message);
    }

    @Override
    public void logWarning(String message) {
        self.logWarning(message);
    }

    @Override
    public void logError(String message) {
        self.logError(message);
    }

    @Override
    public void logDebug(String message) {
        self.logDebug(message);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + self.name() + "]";
    }
}
