package io.zeroagents.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.testcontainers.DockerClientFactory;

/**
 * The image the kit's containers run: the name server daemon jar, a JVM, and the test's class
 * path (so a container runs the test's own agent classes), built on this machine without any
 * registry, once per content.
 *
 * <p>The image is made from the JDK running the tests ({@code jlink}), busybox for a shell and the
 * files; the user is not root (uid 10001), and a {@code HEALTHCHECK} pings the container's name
 * server with the daemon's {@code agents ping}. Building needs the {@code docker} CLI, {@code bash}
 * and {@code busybox} (Debian's {@code busybox-static}) on the machine running the tests.
 *
 * <p>{@link #fromSystemProperties()} reads {@code zeroagents.testkit.image}, an image already built
 * to use as it is, or else {@code zeroagents.testkit.daemon.jar}, the daemon jar (the
 * {@code nameserver-daemon} artifact with classifier {@code cli}) to build one with.
 *
 * @since 0.1
 */
public final class HostImage {
    /** The system property naming a ready image. */
    public static final String IMAGE_PROPERTY = "zeroagents.testkit.image";
    /** The system property naming the daemon jar to build the image with. */
    public static final String DAEMON_JAR_PROPERTY = "zeroagents.testkit.daemon.jar";
    /** Class path entries that the containers never need: the test's own tooling. */
    private static final List<String> NOT_IN_IMAGE = List.of("testcontainers", "docker-java", "junit-", "jna-",
            "commons-compress", "duct-tape", "opentest4j", "apiguardian", "surefire", "jackson-annotations-2.1",
            "selenium-", "opentelemetry-", "byte-buddy-");
    private static @Nullable HostImage fromProperties;

    private final @Nullable String given;
    private final @Nullable Path daemonJar;
    private final List<String> classPath;
    private @Nullable String name;

    private HostImage(@Nullable String given, @Nullable Path daemonJar, List<String> classPath) {
        this.given = given;
        this.daemonJar = daemonJar;
        this.classPath = classPath;
    }

    /**
     * The image the system properties name, or one built with the daemon jar they name and this
     * JVM's class path; the same instance for the whole JVM.
     *
     * @return the image
     * @throws IllegalStateException when neither property is set
     */
    public static synchronized HostImage fromSystemProperties() {
        if (fromProperties == null) {
            String image = System.getProperty(IMAGE_PROPERTY);
            String jar = System.getProperty(DAEMON_JAR_PROPERTY);
            if (image != null && !image.isBlank()) {
                fromProperties = new HostImage(image, jar == null ? null : Path.of(jar), List.of());
            } else if (jar != null && !jar.isBlank()) {
                fromProperties = build(Path.of(jar));
            } else {
                throw new IllegalStateException("Set -D" + DAEMON_JAR_PROPERTY + "=PATH (the nameserver-daemon jar with"
                        + " classifier 'cli') to build the hosts' image, or -D" + IMAGE_PROPERTY + "=IMAGE to use one");
            }
        }
        return fromProperties;
    }

    /**
     * An image built with this daemon jar and this JVM's class path (less the test tooling).
     *
     * @param daemonJar the runnable daemon jar ({@code nameserver-daemon}, classifier {@code cli})
     * @return the image, built on first use
     */
    public static HostImage build(Path daemonJar) {
        List<String> entries = Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(entry -> !entry.isBlank() && Files.exists(Path.of(entry)))
                .filter(entry -> NOT_IN_IMAGE.stream().noneMatch(Path.of(entry).getFileName().toString()::startsWith))
                .toList();
        return new HostImage(null, daemonJar, entries);
    }

    /**
     * The daemon jar, which also makes the hosts' CURVE keys ({@code keys init}).
     *
     * @return its path
     * @throws IllegalStateException for an image given by name without {@value #DAEMON_JAR_PROPERTY}
     */
    public Path daemonJar() {
        if (daemonJar == null) {
            throw new IllegalStateException("The hosts' keys are made with the daemon jar: set -D" + DAEMON_JAR_PROPERTY
                    + " too");
        }
        return daemonJar;
    }

    /**
     * The image's name, building it first when no image of this content exists yet.
     *
     * @return a local image name ({@code zeroagents-hosts:<content hash>}, or the given one)
     */
    public synchronized String name() {
        if (name == null) {
            name = given != null ? given : buildImage();
        }
        return name;
    }

    private String buildImage() {
        Path jar = daemonJar();
        try {
            byte[] script = script();
            long stamp = Arrays.hashCode(script) * 31L + Files.getLastModifiedTime(jar).toMillis();
            for (String entry : classPath) {
                stamp = 31 * stamp + entry.hashCode();
                stamp = 31 * stamp + lastModified(Path.of(entry));
            }
            String tag = "zeroagents-hosts:" + Long.toHexString(stamp).toLowerCase(Locale.ROOT);
            if (exists(tag)) {
                return tag;
            }
            Path scriptFile = Files.createTempFile("zeroagents-build-image", ".sh");
            Path list = Files.createTempFile("zeroagents-classpath", ".txt");
            try {
                Files.write(scriptFile, script);
                Files.write(list, classPath, StandardCharsets.UTF_8);
                ProcessBuilder builder = new ProcessBuilder("bash", scriptFile.toString(), tag, list.toString(),
                        jar.toString()).redirectErrorStream(true);
                builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
                Process process = builder.start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                    process.destroyForcibly();
                    throw new IllegalStateException("Building the hosts' image " + tag + " failed:\n" + output);
                }
            } finally {
                Files.deleteIfExists(list);
                Files.deleteIfExists(scriptFile);
            }
            return tag;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot build the hosts' image with " + jar + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while building the hosts' image", e);
        }
    }

    /**
     * When a class path entry last changed: a directory's own time changes only when its direct
     * entries do, so a recompiled class deep inside it counts through its file.
     */
    private static long lastModified(Path entry) throws IOException {
        if (!Files.isDirectory(entry)) {
            return Files.getLastModifiedTime(entry).toMillis();
        }
        try (java.util.stream.Stream<Path> files = Files.walk(entry)) {
            long latest = 0;
            for (Path file : (Iterable<Path>) files::iterator) {
                latest = Math.max(latest, Files.getLastModifiedTime(file).toMillis());
            }
            return latest;
        }
    }

    private static byte[] script() throws IOException {
        try (InputStream in = Objects.requireNonNull(HostImage.class.getResourceAsStream("build-image.sh"),
                "build-image.sh is missing from the test kit's jar")) {
            return in.readAllBytes();
        }
    }

    private static boolean exists(String tag) {
        try {
            DockerClientFactory.instance().client().inspectImageCmd(tag).exec();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
