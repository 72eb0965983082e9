package io.zeroagents.transport;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;

/**
 * The process's file-descriptor limit ({@code ulimit -n}), which bounds how many sockets and
 * connections it can hold: what the runtime sizes its context by and connection limits fit under.
 */
public final class Descriptors {

    private Descriptors() {
    }

    /**
     * The most file descriptors this process may open, as the JVM reads it now.
     *
     * @return the limit, or 0 where the JVM does not tell (not a Unix)
     */
    public static long processLimit() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount() : 0;
    }
}
