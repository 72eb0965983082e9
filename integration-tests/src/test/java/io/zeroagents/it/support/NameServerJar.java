package io.zeroagents.it.support;

import java.io.File;
import java.nio.file.Path;

/** The nameserver.jar the build made, which the tests run as a daemon and a CLI in JVMs of their own. */
public final class NameServerJar {
    private NameServerJar() {
    }

    /** Its path, as the surefire configuration names it; fails when the build has not made it. */
    public static Path path() {
        String jar = System.getProperty("zeroagents.test.nameserver.jar");
        if (jar == null || !new File(jar).isFile()) {
            throw new IllegalStateException("nameserver.jar not found at " + jar + ": run the build from the top");
        }
        return Path.of(jar);
    }
}
