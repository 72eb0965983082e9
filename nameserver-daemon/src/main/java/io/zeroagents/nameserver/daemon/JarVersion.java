package io.zeroagents.nameserver.daemon;

import picocli.CommandLine.IVersionProvider;

/**
 * What {@code --version} prints: the version in the jar's manifest ({@code Implementation-Version},
 * written by the build), so a release never prints a number someone forgot to change. Classes run
 * from a build folder rather than a jar have no manifest and say so.
 */
public final class JarVersion implements IVersionProvider {
    /** What is printed when the classes do not come from a built jar. */
    static final String UNKNOWN = "unknown (not run from a built jar)";

    /** Creates the provider; picocli does, for {@code --version}. */
    public JarVersion() {
    }

    /**
     * The version of the jar {@code type} was loaded from.
     *
     * @param type a class of the jar
     * @return its {@code Implementation-Version}, or {@link #UNKNOWN}
     */
    static String of(Class<?> type) {
        String version = type.getPackage().getImplementationVersion();
        return version == null || version.isBlank() ? UNKNOWN : version;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"ZeroAgents name server " + of(NameServerDaemon.class),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "unknown vendor") + ")"};
    }
}
