package io.zeroagents.nameserver;

import io.zeroagents.spi.AgentRuntimes;
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
 * the class is the one that started it. Registered for every test class of this module through
 * JUnit's extension auto-detection ({@code junit-platform.properties}). agent-runtime and
 * integration-tests get it, with its service registration, from this module's test jar.
 */
public final class ZeroMqContextLeakCheck implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ZeroMqContextLeakCheck.class);
    /** The JVM-wide runtime's context: a reaper and one I/O thread, started by whichever class first uses it. */
    private static final int RUNTIME_CONTEXT_THREADS = 2;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NAMESPACE).put("before", zeroMqThreads().size());
        context.getStore(NAMESPACE).put("runtimeBefore", runtimeStarted());
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        int before = context.getStore(NAMESPACE).get("before", Integer.class);
        boolean runtimeBefore = context.getStore(NAMESPACE).get("runtimeBefore", Boolean.class);
        // The class may start the runtime's context: that one stays, as it does in any program.
        int allowed = before + (!runtimeBefore && runtimeStarted() ? RUNTIME_CONTEXT_THREADS : 0);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        List<String> after = zeroMqThreads();
        // Closed contexts end their threads asynchronously.
        while (after.size() > allowed && System.nanoTime() < deadline) {
            Thread.sleep(20);
            after = zeroMqThreads();
        }
        if (after.size() > allowed) {
            throw new AssertionError(context.getDisplayName() + " left JeroMQ contexts open: " + before
                    + " JeroMQ threads before it, " + after.size() + " after " + after);
        }
    }

    /** Whether this JVM's agent runtime (and so its context) exists; {@code AgentRuntimes.get()} would create it. */
    private static boolean runtimeStarted() {
        try {
            Field runtime = AgentRuntimes.class.getDeclaredField("runtime");
            runtime.setAccessible(true);
            return runtime.get(null) != null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("AgentRuntimes no longer keeps its runtime in 'runtime': update this check", e);
        }
    }

    public static List<String> zeroMqThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("reaper-") || name.startsWith("iothread-")).sorted().toList();
    }
}
