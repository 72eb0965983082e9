package io.zeroagents.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** What a run was measured on, and how busy the machine was: read from the JVM and /proc. */
final class Machine {
    private Machine() {
    }

    static Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("cpu", cpuModel());
        d.put("cpus", Runtime.getRuntime().availableProcessors());
        d.put("memory", memory());
        d.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        d.put("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version"));
        d.put("gc", String.join(",", ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(b -> b.getName()).toList()));
        d.put("maxOpenFiles", openFilesLimit());
        return d;
    }

    /** /proc/loadavg: the 1, 5 and 15 minute load averages, running/total tasks and the last pid. */
    static String loadAverage() {
        return read(Path.of("/proc/loadavg")).trim();
    }

    static String cpuModel() {
        return lines(Path.of("/proc/cpuinfo")).filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
    }

    static String memory() {
        return lines(Path.of("/proc/meminfo")).filter(l -> l.startsWith("MemTotal"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
    }

    /** The soft limit on open files of this process, as /proc/self/limits shows it. */
    static String openFilesLimit() {
        return lines(Path.of("/proc/self/limits")).filter(l -> l.startsWith("Max open files"))
                .map(l -> l.substring("Max open files".length()).trim().split("\\s+")[0]).findFirst()
                .orElse("unknown");
    }

    /** How many file descriptors this process holds now, or -1 when none is left to count them with. */
    static int openFileDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count() - 1; // less the one the listing itself holds
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            return "unavailable";
        }
    }

    private static Stream<String> lines(Path path) {
        return read(path).lines();
    }
}
