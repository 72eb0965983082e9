package io.zeroagents.nameserver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
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
 * name server that happens to use the same port.
 *
 * @since 0.1
 */
public final class AdminToken {
    /**
     * The file of a CURVE key directory that lists the public keys of the name servers' admins: one
     * Z85 key first on each line; what follows it, and lines that do not start with a key, are
     * ignored.
     */
    public static final String ADMINS_FILE = "admins";
    private static final int TOKEN_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private AdminToken() {
    }

    /**
     * Where name servers of this user keep their tokens: {@code ~/.zeroagents/nameservers}.
     *
     * @return the directory, which may not exist yet
     */
    public static Path defaultDirectory() {
        return Path.of(System.getProperty("user.home"), ".zeroagents", "nameservers");
    }

    /**
     * The token file of the name server on a port.
     *
     * @param directory the tokens' directory
     * @param port      the name server's port
     * @return {@code directory/nameserver-PORT.token}
     */
    public static Path file(Path directory, int port) {
        return directory.resolve("nameserver-" + port + ".token");
    }

    /**
     * Makes a new token: 32 random bytes, URL-safe Base64.
     *
     * @return the token
     */
    public static String generate() {
        byte[] bytes = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Whether a presented token is the expected one, compared in constant time.
     *
     * @param expected  the name server's token
     * @param presented what a request carried, possibly nothing
     * @return true if they are equal and not empty
     */
    public static boolean matches(String expected, @Nullable String presented) {
        return presented != null && !presented.isEmpty() && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
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
        Path directory = Objects.requireNonNull(file.toAbsolutePath().getParent(), "a token file has a directory");
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] ownerOnlyDirectory = posix ? new FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))} : new FileAttribute<?>[0];
        Files.createDirectories(directory, ownerOnlyDirectory);
        // createTempFile makes the file rw------- on POSIX file systems, before a byte is written.
        Path temporary = Files.createTempFile(directory, file.getFileName().toString(), ".new");
        try {
            Files.writeString(temporary, token + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Reads a token file.
     *
     * @param file the token file
     * @return the token, or empty if there is no such file
     * @throws IOException if the file exists but cannot be read (for example, another user's)
     */
    public static Optional<String> read(Path file) throws IOException {
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            return token.isEmpty() ? Optional.empty() : Optional.of(token);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (AccessDeniedException e) {
            throw new IOException("Cannot read the admin token " + file + ": it belongs to the user who started the"
                    + " name server; run the command as that user", e);
        }
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
        if (read(file).filter(token::equals).isPresent()) {
            Files.deleteIfExists(file);
        }
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
        int colon = address.lastIndexOf(':');
        if (!address.startsWith("tcp://") || colon < "tcp://".length()) {
            return Optional.empty();
        }
        String host = address.substring("tcp://".length(), colon);
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return loopback(host) ? read(file(directory, port)) : Optional.empty();
    }

    private static boolean loopback(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.equals("localhost")) {
            return true;
        }
        // Literal addresses only: a name that resolves (through DNS) proves nothing about where it points.
        if (!bare.isEmpty() && (Character.isDigit(bare.charAt(0)) || bare.contains(":"))) {
            try {
                return InetAddress.getByName(bare).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }
}
