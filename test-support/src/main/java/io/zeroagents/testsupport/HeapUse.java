package io.zeroagents.testsupport;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** The heap this JVM holds on to: what tests of bounded memory compare before and after an attack. */
public final class HeapUse {
    private HeapUse() {
    }

    /**
     * The heap in use once garbage was collected: a few collections, so what is left is reachable.
     *
     * @return bytes of heap in use
     */
    public static long afterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            memory.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
