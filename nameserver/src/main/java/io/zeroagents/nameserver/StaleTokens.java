package io.zeroagents.nameserver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Removes the admin token files of name servers that are gone: a name server deletes its file when
 * it stops, but one that was killed ({@code kill -9}, a crash, a container stopped) leaves it
 * behind. Each name server prunes its token directory when it starts.
 *
 * <p>The criterion: a token file is stale when nothing on this machine listens on its port. A name
 * server binds its port before it writes its file and holds it until it deletes the file, so as
 * long as it runs, its port is taken. The check binds the wildcard address on that port, without
 * {@code SO_REUSEADDR}: the operating system refuses the bind while any socket of this machine
 * holds the port, whatever address it bound (loopback, one interface, all of them), so a name
 * server bound anywhere keeps its file. The reverse does not hold, and errs on the side of
 * keeping: an unrelated program on the port, or a connection still closing, keeps a stale file
 * until the next start. A process id would not do better: the file holds the token alone (the
 * command line reads it whole), and ids are reused. A file is deleted only if it still holds the
 * token read before the check, so one that a new name server on that port wrote meanwhile stays.
 *
 * <p>The directory is taken to be this machine's alone, as the files are named by port; a home
 * directory shared between machines would have their name servers prune each other's files.
 *
 * <p>Temporary files of a write cut short ({@code nameserver-PORT.token*.new}, renamed into place
 * within moments when the write completes) are removed once they are a minute old.
 */
final class StaleTokens {
    /** How old a temporary file must be before it counts as left by a write that never finished. */
    static final Duration TEMPORARY_AGE = Duration.ofMinutes(1);
    private static final Pattern TOKEN = Pattern.compile("nameserver-(\\d+)\\.token");
    private static final Pattern TEMPORARY = Pattern.compile("nameserver-\\d+\\.token.*\\.new");
    private static final Logger LOG = LogManager.getLogger(StaleTokens.class);

    private StaleTokens() {
    }

    /**
     * Deletes the stale token files of a directory, logging each.
     *
     * @param directory the tokens' directory; nothing happens when it does not exist
     * @param ownPort   the port of the name server that prunes, whose file it writes next
     * @return the files deleted
     */
    static List<Path> prune(Path directory, int ownPort) {
        List<Path> deleted = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return deleted;
        }
        List<Path> files;
        try (Stream<Path> listed = Files.list(directory)) {
            files = listed.sorted().toList();
        } catch (IOException e) {
            LOG.warn("Cannot look for stale admin tokens in {}: {}", directory, e.getMessage());
            return deleted;
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            Matcher token = TOKEN.matcher(name);
            try {
                if (token.matches() && pruneToken(file, Integer.parseInt(token.group(1)), ownPort)) {
                    deleted.add(file);
                } else if (TEMPORARY.matcher(name).matches() && Files.getLastModifiedTime(file).toInstant()
                        .isBefore(Instant.now().minus(TEMPORARY_AGE)) && Files.deleteIfExists(file)) {
                    deleted.add(file);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("Cannot check or delete the admin token file {}: {}", file, e.getMessage());
            }
        }
        deleted.forEach(file -> LOG.info("Deleted {}: its name server is gone (nothing listens on its port)", file));
        return deleted;
    }

    private static boolean pruneToken(Path file, int port, int ownPort) throws IOException {
        if (port == ownPort || port <= 0 || port > 65_535) {
            return false;
        }
        Optional<String> before = AdminToken.read(file);
        if (before.isEmpty() || listening(port)) {
            return false;
        }
        AdminToken.delete(file, before.get());
        return !Files.exists(file);
    }

    /**
     * Whether some socket of this machine holds {@code port}: whether binding the wildcard address
     * there, without address reuse, is refused.
     */
    static boolean listening(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(false);
            probe.bind(new InetSocketAddress(port));
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
