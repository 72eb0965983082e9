package io.zeroagents.runtime.internal;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class that leaves a JeroMQ context open: each open context keeps a reaper and an
 * I/O thread ({@code reaper-N}, {@code iothread-N}), so after the class their number must be back
 * where it was, give or take the one context the JVM's agent runtime keeps for the life of the
 * process. Registered for every test class of this module through JUnit's extension
 * auto-detection ({@code junit-platform.properties}).
 */
public final class ZeroMqContextLeakCheck implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ZeroMqContextLeakCheck.class);
    /** The JVM-wide runtime's context: a reaper and one I/O thread, started by whichever class first uses it. */
    private static final int RUNTIME_CONTEXT_THREADS = 2;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NAMESPACE).put("before", zeroMqThreads().size());
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        int before = context.getStore(NAMESPACE).get("before", Integer.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        List<String> after = zeroMqThreads();
        // Closed contexts end their threads asynchronously.
        while (after.size() > before + RUNTIME_CONTEXT_THREADS && System.nanoTime() < deadline) {
            Thread.sleep(20);
            after = zeroMqThreads();
        }
        if (after.size() > before + RUNTIME_CONTEXT_THREADS) {
            throw new AssertionError(context.getDisplayName() + " left JeroMQ contexts open: " + before
                    + " JeroMQ threads before it, " + after.size() + " after " + after);
        }
    }

    static List<String> zeroMqThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("reaper-") || name.startsWith("iothread-")).sorted().toList();
    }
}
