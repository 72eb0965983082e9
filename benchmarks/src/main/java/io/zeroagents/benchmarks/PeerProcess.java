package io.zeroagents.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The harness's handle on a second JVM running {@link Peer}: the same {@code java} and class path,
 * commands on its stdin, answers on its stdout ({@code @OK}, {@code @ERR}, {@code @DONE} lines).
 * Every peer is killed when it is closed, when the harness exits (a shutdown hook), and by itself
 * when its stdin closes, so no process outlives a run, even one that failed.
 */
final class PeerProcess implements AutoCloseable {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "kill-peers"));
    }

    private static final String EXITED = "@ERR the peer JVM exited";

    private final String name;
    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    PeerProcess(String name, List<String> jvmArgs) throws IOException {
        this(name, jvmArgs, Peer.class, null);
    }

    /**
     * A JVM running {@code mainClass}, which speaks {@link Peer}'s protocol; its stderr goes to
     * {@code log} (appended) when one is given, else to the harness's.
     */
    PeerProcess(String name, List<String> jvmArgs, Class<?> mainClass, @Nullable Path log) throws IOException {
        this.name = name;
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        process = new ProcessBuilder(command).redirectError(log == null ? ProcessBuilder.Redirect.INHERIT
                : ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        LIVE.add(process);
        commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readAnswers, "answers-of-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    private void readAnswers() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("@DONE")) {
                    events.add(line);
                } else if (line.startsWith("@OK") || line.startsWith("@ERR")) {
                    replies.add(line);
                } else {
                    System.err.println("[" + name + "] " + line);
                }
            }
        } catch (IOException e) {
            // The process is gone; the sentinel below tells whoever waits.
        }
        replies.add(EXITED);
        events.add(EXITED);
    }

    /** Whether the peer's process still runs. */
    boolean alive() {
        return process.isAlive();
    }

    /** Sends a command and returns what follows {@code @OK} in its answer. */
    String call(String command, Duration limit) {
        try {
            commands.write(command + "\n");
            commands.flush();
        } catch (IOException e) {
            throw new IllegalStateException("Peer " + name + " does not take commands: " + e, e);
        }
        return answer(replies, command, limit);
    }

    String call(String command) {
        return call(command, Duration.ofSeconds(60));
    }

    /** Waits for the next {@code @DONE} event and returns what follows it. */
    String awaitDone(Duration limit) {
        return answer(events, "@DONE", limit);
    }

    /** Whether a {@code @DONE} event comes within {@code limit}; consumes it. */
    boolean pollDone(Duration limit) {
        try {
            String line = events.poll(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (line != null && line.equals(EXITED)) {
                events.add(line);
                throw new IllegalStateException("Peer " + name + " exited");
            }
            return line != null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for peer " + name, e);
        }
    }

    private String answer(BlockingQueue<String> queue, String what, Duration limit) {
        String line;
        try {
            line = queue.poll(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for peer " + name, e);
        }
        if (line == null) {
            throw new IllegalStateException("Peer " + name + " did not answer '" + what + "' within "
                    + limit.toMillis() + " ms");
        }
        if (line.startsWith("@ERR")) {
            if (line.equals(EXITED)) {
                queue.add(line);
            }
            throw new IllegalStateException("Peer " + name + " failed '" + what + "': " + line.substring(4).trim());
        }
        int space = line.indexOf(' ');
        return space < 0 ? "" : line.substring(space + 1);
    }

    @Override
    public void close() {
        try {
            commands.write("quit\n");
            commands.flush();
            commands.close();
        } catch (IOException e) {
            // Already gone.
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            LIVE.remove(process);
        }
    }
}
