package io.zeroagents.benchmarks;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * How busy the JIT compilers of a JVM have been. A latency scenario keeps warming up while its
 * JVMs still compile: on a 2-core machine a C2 compilation holds a core that a round trip's
 * threads wait for, for a scheduler slice (4 ms at 250 Hz), so round trips measured while the
 * framework's longer call path was still being compiled carried a p99 of 3 to 4 ms that a
 * compiled path does not have (with C1 only, or after enough warm-up, it fell to 0.1 to 0.4 ms).
 */
final class Jit {
    /** Compilation time in a warm-up trial below which the JVMs count as settled. */
    static final long SETTLED_MILLIS = 10;

    private Jit() {
    }

    /** Milliseconds this JVM's JIT compilers have spent so far; 0 when the JVM does not say. */
    static long compileMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }
}
