package io.zeroagents.testsupport;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class that leaves a JeroMQ context open: each open context keeps a reaper and an I/O
 * thread ({@code reaper-N}, {@code iothread-N}), so after the class their number must be back where
 * it was, except for the one context the JVM's agent runtime keeps for the life of the process when
 * the class is the one that started it.
 *
 * <p>Registered in this module's {@code META-INF/services}: it runs around every test class of a
 * module that depends on this one and turns on JUnit's extension auto-detection in its
 * {@code junit-platform.properties} ({@code junit.jupiter.extensions.autodetection.enabled=true}).
 */
public final class ZeroMqContextLeakCheck implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ZeroMqContextLeakCheck.class);
    /** The JVM-wide runtime's context: a reaper and one I/O thread, started by whichever class first uses it. */
    private static final int RUNTIME_CONTEXT_THREADS = 2;
    /** Where agent-api keeps the JVM's runtime, read by name: this module depends on nothing of the project. */
    private static final String RUNTIMES_CLASS = "io.zeroagents.spi.AgentRuntimes";
    /** How long closed contexts may take to end their threads (they do so asynchronously). */
    private static final Duration SETTLE = Duration.ofSeconds(5);

    /** Made by JUnit's extension auto-detection. */
    public ZeroMqContextLeakCheck() {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NAMESPACE).put("before", zeroMqThreads().size());
        context.getStore(NAMESPACE).put("runtimeBefore", runtimeStarted());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        int before = context.getStore(NAMESPACE).get("before", Integer.class);
        boolean runtimeBefore = context.getStore(NAMESPACE).get("runtimeBefore", Boolean.class);
        // The class may start the runtime's context: that one stays, as it does in any program.
        int allowed = before + (!runtimeBefore && runtimeStarted() ? RUNTIME_CONTEXT_THREADS : 0);
        long after = Await.settle(SETTLE, () -> zeroMqThreads().size(), allowed);
        if (after > allowed) {
            throw new AssertionError(context.getDisplayName() + " left JeroMQ contexts open: " + before
                    + " JeroMQ threads before it, " + after + " after " + zeroMqThreads());
        }
    }

    /** Whether this JVM's agent runtime (and so its context) exists; {@code AgentRuntimes.get()} would create it. */
    private static boolean runtimeStarted() {
        Class<?> runtimes;
        try {
            runtimes = Class.forName(RUNTIMES_CLASS, false, ZeroMqContextLeakCheck.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return false; // no agent-api on the class path: no runtime either
        }
        try {
            Field runtime = runtimes.getDeclaredField("runtime");
            runtime.setAccessible(true);
            return runtime.get(null) != null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("AgentRuntimes no longer keeps its runtime in 'runtime': update this check", e);
        }
    }

    /**
     * The JeroMQ threads alive now: two for each open context.
     *
     * @return their names, sorted
     */
    public static List<String> zeroMqThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("reaper-") || name.startsWith("iothread-")).sorted().toList();
    }
}
