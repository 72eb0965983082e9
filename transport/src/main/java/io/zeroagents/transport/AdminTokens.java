package io.zeroagents.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
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
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Admin tokens kept in files: the secret that makes a client the admin of a server of this
 * machine (a name server, an agent host's control endpoint), and the owner-only file, named after
 * the server's port, where the server writes it and programs of the same user find it.
 *
 * <p>A server makes a new random token each time it starts ({@link #issue}) and writes it to
 * {@code DIRECTORY/PREFIX-PORT.token} ({@link #file}), a file only the user who started it can
 * read: POSIX permissions {@code rw-------} from the moment it exists, in a directory made
 * {@code rwx------}. It deletes the file when it closes, or when the JVM exits without closing
 * it. A client reads the file of the port it talks to ({@link #forLoopback}, {@link #forThisMachine})
 * and sends the token with its requests. So whoever can read the user's files is the server's admin.
 *
 * <p>A client reads a token only for an address of this machine: it must not send it to another
 * machine's server that happens to use the same port. Host names other than {@code localhost} are
 * not resolved, since what a name resolves to proves nothing about where it points.
 */
public final class AdminTokens {
    /** How many random bytes a token has. */
    public static final int TOKEN_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Logger LOG = LogManager.getLogger(AdminTokens.class);

    private AdminTokens() {
    }

    /**
     * A directory for the token files of one kind of server: {@code ~/.zeroagents/NAME}.
     *
     * @param name the directory's name, e.g. {@code nameservers}
     * @return the directory, which may not exist yet
     */
    public static Path directory(String name) {
        return Path.of(System.getProperty("user.home"), ".zeroagents", name);
    }

    /**
     * The token file of the server on a port.
     *
     * @param directory the tokens' directory
     * @param prefix    what kind of server, e.g. {@code nameserver}
     * @param port      the server's port
     * @return {@code directory/PREFIX-PORT.token}
     */
    public static Path file(Path directory, String prefix, int port) {
        return directory.resolve(prefix + "-" + port + ".token");
    }

    /**
     * Makes a new token: {@value #TOKEN_BYTES} random bytes, URL-safe Base64 without padding.
     *
     * @return the token
     */
    public static String generate() {
        byte[] bytes = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * The bytes of a token, as {@link #generate()} encoded them.
     *
     * @param token a token
     * @return its bytes
     * @throws IllegalArgumentException if the token is not URL-safe Base64
     */
    public static byte[] bytes(String token) {
        return Base64.getUrlDecoder().decode(token);
    }

    /**
     * Whether a presented token is the expected one, compared in constant time.
     *
     * @param expected  the server's token
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
                    + " server; run the command as that user", e);
        }
    }

    /**
     * Deletes a token file if it still holds this token (a server started later on the same port
     * may have replaced it).
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
     * Reads the token of a server on a loopback address from its file.
     *
     * @param directory the tokens' directory
     * @param prefix    what kind of server, as its file is named
     * @param address   the server's endpoint, {@code tcp://host:port}
     * @return the token; empty if the host is not {@code localhost} or a loopback address, or
     *         there is no such file
     * @throws IOException if the file exists but cannot be read
     */
    public static Optional<String> forLoopback(Path directory, String prefix, String address) throws IOException {
        return forAddress(directory, prefix, address, false);
    }

    /**
     * Reads the token of a server of this machine from its file: on a loopback address, or on an
     * address of one of its network interfaces, where a server bound on all interfaces is reached.
     *
     * @param directory the tokens' directory
     * @param prefix    what kind of server, as its file is named
     * @param address   the server's endpoint, {@code tcp://host:port}
     * @return the token; empty if the address is not one of this machine's or there is no such file
     * @throws IOException if the file exists but cannot be read
     */
    public static Optional<String> forThisMachine(Path directory, String prefix, String address) throws IOException {
        return forAddress(directory, prefix, address, true);
    }

    private static Optional<String> forAddress(Path directory, String prefix, String address, boolean ownAddresses)
            throws IOException {
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
        boolean local = ownAddresses ? onThisMachine(host) : loopback(host);
        return local ? read(file(directory, prefix, port)) : Optional.empty();
    }

    /**
     * Whether a host, as an endpoint names it, is {@code localhost} or a loopback address.
     *
     * @param host a host name or literal address, IPv6 in brackets or not
     * @return true if it is
     */
    public static boolean loopback(String host) {
        InetAddress address = literal(host);
        return host.equals("localhost") || (address != null && address.isLoopbackAddress());
    }

    /**
     * Whether a host, as an endpoint names it, is this machine: {@code localhost}, a loopback
     * address or an address of one of its network interfaces, given literally.
     *
     * @param host a host name or literal address, IPv6 in brackets or not
     * @return true if traffic to it stays on this machine
     */
    public static boolean onThisMachine(String host) {
        if (loopback(host)) {
            return true;
        }
        InetAddress address = literal(host);
        try {
            return address != null && !address.isAnyLocalAddress() && NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    /** A literal address; null for a name, which is not resolved (DNS proves nothing about where it points). */
    private static @Nullable InetAddress literal(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.isEmpty() || !(Character.isDigit(bare.charAt(0)) || bare.contains(":"))) {
            return null;
        }
        try {
            return InetAddress.getByName(bare);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /**
     * Makes a server's token and writes it to its file, where programs of the same user find it. A
     * server whose file cannot be written still serves (the failure is logged); only its own JVM
     * then holds the token.
     *
     * @param directory where to write the token file, or null for none
     * @param prefix    what kind of server, which names the file
     * @param port      the server's port, which names the file
     * @param server    the server as the log names it, e.g. {@code "Name server on port 9091"}
     * @return the token, owning its file until {@link Issued#close()}
     */
    public static Issued issue(@Nullable Path directory, String prefix, int port, String server) {
        String token = generate();
        if (directory == null) {
            return new Issued(token, null);
        }
        Path file = file(directory, prefix, port);
        try {
            write(file, token);
            return new Issued(token, file);
        } catch (IOException | RuntimeException e) {
            LOG.warn("{} could not write its admin token to {} ({}); only this JVM can act as its admin", server, file,
                    e.getMessage());
            return new Issued(token, null);
        }
    }

    /**
     * A token a server made, and the file it wrote it to, which it deletes when closed; a shutdown
     * hook deletes it if the JVM exits first (a program that never closes its server), so no stale
     * token is left behind.
     */
    public static final class Issued implements AutoCloseable {
        private final String token;
        private final @Nullable Path file;
        private final @Nullable Thread onExit;

        private Issued(String token, @Nullable Path file) {
            this.token = token;
            this.file = file;
            this.onExit = file == null ? null : new Thread(() -> deleteFile(file, token), "zeroagents-admin-token-cleanup");
            if (onExit != null) {
                Runtime.getRuntime().addShutdownHook(onExit);
            }
        }

        /**
         * The token.
         *
         * @return the token, URL-safe Base64
         */
        public String token() {
            return token;
        }

        /**
         * Where the token was written.
         *
         * @return the file; empty when none was asked for or it could not be written
         */
        public Optional<Path> file() {
            return Optional.ofNullable(file);
        }

        /** Deletes the token file, unless a later server on the port replaced it. */
        @Override
        public void close() {
            if (onExit != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(onExit);
                } catch (IllegalStateException e) {
                    // The JVM is exiting: the hook deletes the file.
                    return;
                }
            }
            if (file != null) {
                deleteFile(file, token);
            }
        }

        private static void deleteFile(Path file, String token) {
            try {
                delete(file, token);
            } catch (IOException e) {
                LOG.warn("Could not delete the admin token {}: {}", file, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "AdminTokens.Issued[" + (file == null ? "in memory" : file) + "]";
        }
    }
}
