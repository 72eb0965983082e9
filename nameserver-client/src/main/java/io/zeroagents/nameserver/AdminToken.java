package io.zeroagents.nameserver;

import io.zeroagents.transport.AdminKeys;
import io.zeroagents.transport.AdminTokens;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A name server's admin token: the secret that lets a client stop agents, evict names and shut the
 * name server down, and where it is kept.
 *
 * <p>A name server makes a new random token each time it starts and writes it to
 * {@code ~/.zeroagents/nameservers/nameserver-PORT.token} ({@link #defaultDirectory()}, {@link
 * #file(Path, int)}), a file only the user who started it can read: POSIX permissions
 * {@code rw-------} from the moment it exists, in a directory made {@code rwx------}. It deletes the
 * file when it closes; the files of name servers that were killed instead are deleted by the next
 * name server that starts with the same directory, once nothing listens on their ports. The command line reads the file of the port it talks to, and a runtime
 * attached to a name server on this machine does the same; an embedded name server hands its token
 * to its own handle in memory. So whoever can read the user's files is the name server's admin, and
 * nobody else is, except (with CURVE) the clients whose public keys the key directory's
 * {@code admins} file lists.
 *
 * <p>The token is read only for loopback addresses: it must not be sent to some other machine's
 * name server that happens to use the same port. The files are handled as every admin token's are
 * ({@link AdminTokens}, which agent hosts' control endpoints use too).
 *
 * @since 0.1
 */
public final class AdminToken {
    /**
     * The file of a CURVE key directory that lists the public keys of the admins (of name servers
     * and agent hosts alike): one Z85 key first on each line; what follows it, and lines that do not
     * start with a key, are ignored ({@link AdminKeys}).
     */
    public static final String ADMINS_FILE = AdminKeys.FILE;
    /** What a name server's token file is named after: {@code nameserver-PORT.token}. */
    static final String PREFIX = "nameserver";

    private AdminToken() {
    }

    /**
     * Where name servers of this user keep their tokens: {@code ~/.zeroagents/nameservers}.
     *
     * @return the directory, which may not exist yet
     */
    public static Path defaultDirectory() {
        return AdminTokens.directory("nameservers");
    }

    /**
     * The token file of the name server on a port.
     *
     * @param directory the tokens' directory
     * @param port      the name server's port
     * @return {@code directory/nameserver-PORT.token}
     */
    public static Path file(Path directory, int port) {
        return AdminTokens.file(directory, PREFIX, port);
    }

    /**
     * Makes a new token: 32 random bytes, URL-safe Base64.
     *
     * @return the token
     */
    public static String generate() {
        return AdminTokens.generate();
    }

    /**
     * Whether a presented token is the expected one, compared in constant time.
     *
     * @param expected  the name server's token
     * @param presented what a request carried, possibly nothing
     * @return true if they are equal and not empty
     */
    public static boolean matches(String expected, @Nullable String presented) {
        return AdminTokens.matches(expected, presented);
    }

    /**
     * Writes a token to its file, readable and writable by the current user only from the moment the
     * file exists: it is written to a new owner-only file beside it, then moved over the old one.
     *
     * @param file  the token file
     * @param token the token
     * @throws IOException if the directory or the file cannot be written
     */
    public static void write(Path file, String token) throws IOException {
        AdminTokens.write(file, token);
    }

    /**
     * Reads a token file.
     *
     * @param file the token file
     * @return the token, or empty if there is no such file
     * @throws IOException if the file exists but cannot be read (for example, another user's)
     */
    public static Optional<String> read(Path file) throws IOException {
        return AdminTokens.read(file);
    }

    /**
     * Deletes a token file if it still holds this token (a name server started later on the same
     * port may have replaced it).
     *
     * @param file  the token file
     * @param token the token the caller wrote
     * @throws IOException if the file cannot be read or deleted
     */
    public static void delete(Path file, String token) throws IOException {
        AdminTokens.delete(file, token);
    }

    /**
     * Reads the token of a name server on this machine from its file in a directory.
     *
     * @param directory the tokens' directory, usually {@link #defaultDirectory()}
     * @param address   the name server's endpoint, {@code tcp://host:port}
     * @return the token; empty if the address is not a loopback one or there is no such file
     * @throws IOException if the file exists but cannot be read
     */
    public static Optional<String> forAddress(Path directory, String address) throws IOException {
        return AdminTokens.forLoopback(directory, PREFIX, address);
    }
}
