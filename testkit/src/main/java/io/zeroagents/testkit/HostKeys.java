package io.zeroagents.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.zeromq.ZConfig;

/**
 * The CURVE keys of the kit's containers, laid out as docs/operations/security.md tells operators
 * to: every host (each container, and this JVM, which configures them through proxies) has a key
 * directory of its own, made by the daemon's {@code keys init}, whose secret never leaves it; hosts exchange only
 * the public certificates {@code keys export} prints. Each host's {@code authorized/} lets in every
 * other host, and a host that reaches another host's name server by address trusts that host there
 * ({@code keys trust}); addresses from name servers carry their keys.
 *
 * <p>A container gets its directory copied in when it starts, so the hosts of a test are made before
 * any of them starts: each one's allow-list then names them all. A restarted container gets the
 * same directory again, as a restarted machine keeps its keys.
 */
final class HostKeys {
    private static final String CURVE_SETTING = "zeroagents.curve.dir";
    private static final String RUNNER = "test-runner";
    private static @Nullable Path root;
    private static @Nullable Path runner;
    private static @Nullable Path daemonJar;
    /** Every host's public certificate, by name: the runner's and each container's. */
    private static final Map<String, Path> CERTIFICATES = new LinkedHashMap<>();
    /** Every container's key directory, by network alias. */
    private static final Map<String, Path> HOSTS = new LinkedHashMap<>();
    /**
     * The endpoints each host trusts each other host at, by "directory alias": {@code keys trust}
     * writes one certificate per trusted host, with all its endpoints, so a new one rewrites it.
     */
    private static final Map<String, Set<String>> TRUSTED = new HashMap<>();

    private HostKeys() {
    }

    /** The daemon jar whose {@code keys} commands make the directories; the first one given is kept. */
    static synchronized void useDaemonJar(Path jar) {
        if (daemonJar == null) {
            daemonJar = jar;
        }
    }

    /**
     * This JVM's key directory, made on first use and named by {@code zeroagents.curve.dir} for this
     * JVM, before its agent runtime starts (which reads the setting once).
     */
    static synchronized Path runner() {
        if (runner != null) {
            return runner;
        }
        String configured = System.getProperty(CURVE_SETTING);
        Path directory = configured != null && !configured.isBlank() ? Path.of(configured) : root().resolve(RUNNER);
        if (!Files.exists(directory.resolve("host.secret"))) {
            jar("keys", "init", directory.toString(), "--name", RUNNER);
        }
        CERTIFICATES.put(RUNNER, export(directory, RUNNER));
        System.setProperty(CURVE_SETTING, directory.toString());
        runner = directory;
        letEveryoneIn();
        return runner;
    }

    /**
     * The key directory of the container with this network alias, made on first use; every host
     * known so far, this JVM included, lets every other one in.
     */
    static synchronized Path host(String alias) {
        runner();
        Path directory = HOSTS.get(alias);
        if (directory != null) {
            return directory;
        }
        directory = root().resolve("hosts").resolve(alias);
        jar("keys", "init", directory.toString(), "--name", alias);
        makeTheRunnerAnAdmin(directory);
        CERTIFICATES.put(alias, export(directory, alias));
        HOSTS.put(alias, directory);
        letEveryoneIn();
        return directory;
    }

    /** Whether a container with this network alias has keys. */
    static synchronized boolean known(String alias) {
        return HOSTS.containsKey(alias);
    }

    /**
     * Makes {@code directory}'s host trust the container {@code alias} at {@code endpoint}, as a host
     * does that reaches another host's name server by address.
     */
    static synchronized void trust(Path directory, String alias, String endpoint) {
        Path certificate = CERTIFICATES.get(alias);
        if (certificate == null) {
            throw new IllegalStateException("No keys for host '" + alias + "' yet: make it before trusting it");
        }
        Set<String> endpoints = TRUSTED.computeIfAbsent(directory + " " + alias, key -> new LinkedHashSet<>());
        if (endpoints.add(endpoint)) {
            List<String> arguments = new ArrayList<>(List.of("keys", "trust", directory.toString(),
                    certificate.toString()));
            endpoints.forEach(trusted -> arguments.addAll(List.of("--endpoint", trusted)));
            jar(arguments.toArray(String[]::new));
        }
    }

    /**
     * Lists this JVM's public key in the host's {@code admins} file: the test's proxies bind, shut
     * down and do what else only an admin of a host (or of its name server) may.
     */
    private static void makeTheRunnerAnAdmin(Path directory) {
        try {
            String key = ZConfig.load(CERTIFICATES.get(RUNNER).toString()).getValue("curve/public-key");
            Files.writeString(directory.resolve("admins"), key + " " + RUNNER + "\n");
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write the admins file of " + directory + ": " + e, e);
        }
    }

    /** Copies every public certificate into every other host's allow-list. */
    private static void letEveryoneIn() {
        Map<String, Path> directories = new LinkedHashMap<>(HOSTS);
        directories.put(RUNNER, runner != null ? runner : root().resolve(RUNNER));
        try {
            for (Map.Entry<String, Path> host : directories.entrySet()) {
                for (Map.Entry<String, Path> other : CERTIFICATES.entrySet()) {
                    if (!other.getKey().equals(host.getKey()) && Files.isDirectory(host.getValue())) {
                        Files.copy(other.getValue(), host.getValue().resolve("authorized").resolve(other.getKey()
                                + ".public"), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot exchange the hosts' public certificates: " + e, e);
        }
    }

    private static Path export(Path directory, String name) {
        Path certificate = root().resolve("certificates").resolve(name + ".public");
        try {
            Files.createDirectories(certificate.getParent());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot make " + certificate.getParent() + ": " + e, e);
        }
        jar("keys", "export", directory.toString(), "--output", certificate.toString());
        return certificate;
    }

    private static synchronized Path root() {
        if (root == null) {
            try {
                root = Files.createTempDirectory("zeroagents-distributed-");
            } catch (IOException e) {
                throw new IllegalStateException("Cannot make the hosts' key directories: " + e, e);
            }
        }
        return root;
    }

    private static void jar(String... arguments) {
        Path jar = java.util.Objects.requireNonNull(daemonJar, "no daemon jar to make keys with");
        String launcher = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(launcher, "-jar", jar.toString()));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", arguments) + " failed:\n" + output);
            }
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("Cannot run " + String.join(" ", arguments) + ": " + e, e);
        }
    }
}
