package io.zeroagents.transport;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;
import org.zeromq.ZAuth;
import org.zeromq.ZCert;
import org.zeromq.ZCertStore;
import org.zeromq.ZConfig;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The CURVE keys of one process of a ZeroAgents system, read from a key directory, and how they
 * are put on sockets.
 *
 * <p>The directory (made by {@code java -jar nameserver.jar keys init DIR}) holds:
 * <ul>
 *   <li>{@value #SERVER_FILE}: the system's server certificate (public and secret key), the same
 *       on every host: every socket that binds (agents' sockets, control endpoints, name servers)
 *       serves with it, and every socket that connects trusts its public key;</li>
 *   <li>{@value #CLIENT_FILE}: this host's own client certificate;</li>
 *   <li>{@value #AUTHORIZED_DIR}{@code /}: the public certificates of the clients allowed in, one
 *       file each: the allow-list. A client whose key is not there is refused, and the refusal is
 *       logged with its address and key.</li>
 * </ul>
 * A plain-text peer, or one that trusts another server key, cannot complete the handshake at all.
 *
 * <p>Secret files are readable by their owner only, and never logged. On a POSIX file system
 * {@link #init} creates them with mode 600 and the directories with 700 (the permissions are given
 * at creation, so no other user can open a file in the moment between writing and restricting it),
 * and {@link #load} refuses a secret file that group or others may read or write.
 */
public final class CurveKeys {
    /** The system's server certificate, in the key directory. */
    public static final String SERVER_FILE = "server.secret";
    /** This host's client certificate, in the key directory. */
    public static final String CLIENT_FILE = "client.secret";
    /** The folder of authorized clients' public certificates, in the key directory. */
    public static final String AUTHORIZED_DIR = "authorized";
    /** What the key directory and its folders are made with: their owner's alone. */
    private static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    /** What a secret file is made with: readable and writable by its owner alone. */
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    /** The bits a secret file must not have. */
    private static final Set<PosixFilePermission> NOT_OWNER = EnumSet.complementOf(EnumSet.of(
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
    /** The ZAP domain ZeroAgents' server sockets authenticate in. */
    static final String DOMAIN = "zeroagents";
    private static final Logger LOG = LogManager.getLogger(CurveKeys.class);

    private final Path directory;
    private final ZCert server;
    private final ZCert client;
    private final java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();

    private CurveKeys(Path directory, ZCert server, ZCert client) {
        this.directory = directory;
        this.server = server;
        this.client = client;
    }

    /**
     * Reads the keys of a key directory.
     *
     * @param directory a directory made by {@code keys init}
     * @return the keys
     * @throws IllegalArgumentException naming the file that is missing or unreadable, or a secret
     *                                  file that group or others may read or write (and how to fix it)
     */
    public static CurveKeys load(Path directory) {
        return new CurveKeys(directory, read(directory.resolve(SERVER_FILE)), read(directory.resolve(CLIENT_FILE)));
    }

    private static ZCert read(Path file) {
        refuseShared(file);
        try {
            ZConfig config = ZConfig.load(file.toString());
            String publicKey = config.getValue("curve/public-key");
            String secretKey = config.getValue("curve/secret-key");
            if (publicKey == null || secretKey == null) {
                throw new IllegalArgumentException("CURVE certificate " + file + " lacks its public or secret key");
            }
            return new ZCert(publicKey, secretKey);
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException known && known.getMessage().startsWith("CURVE")) {
                throw known;
            }
            throw new IllegalArgumentException("Cannot read CURVE certificate " + file + " (make the key directory with"
                    + " 'java -jar nameserver.jar keys init DIR'): " + e.getMessage(), e);
        }
    }

    /**
     * Creates a key directory, or completes one: a server certificate unless there is one (copy
     * the same {@value #SERVER_FILE} to every host of a system), a client certificate for this host
     * unless there is one, and its public certificate in {@value #AUTHORIZED_DIR}. Directories it
     * creates get mode 700 and secret files mode 600, from their creation on (POSIX file systems).
     *
     * @param directory  the directory
     * @param clientName the name under which this host's public key is authorized
     * @return the keys now in the directory
     * @throws IOException when the files cannot be written
     */
    public static CurveKeys init(Path directory, String clientName) throws IOException {
        Files.createDirectories(directory.resolve(AUTHORIZED_DIR), ownerOnly(OWNER_DIRECTORY));
        for (String file : new String[] {SERVER_FILE, CLIENT_FILE}) {
            Path path = directory.resolve(file);
            if (!Files.exists(path)) {
                ZCert cert = new ZCert();
                cert.setMeta("name", file.equals(SERVER_FILE) ? "zeroagents-system" : clientName);
                writeSecret(path, cert);
            }
        }
        CurveKeys keys = load(directory);
        ZCert publicOnly = new ZCert(keys.client.getPublicKeyAsZ85());
        publicOnly.setMeta("name", clientName);
        publicOnly.savePublic(directory.resolve(AUTHORIZED_DIR).resolve(clientName + ".public").toString());
        return keys;
    }

    /**
     * Writes a certificate's secret file, created with mode 600 where the file system has POSIX
     * permissions: created first and restricted afterwards, it could be opened by another user in
     * between, and an open file stays readable.
     */
    private static void writeSecret(Path path, ZCert cert) throws IOException {
        FileAttribute<?>[] attributes = ownerOnly(OWNER_FILE);
        if (attributes.length == 0) {
            LOG.warn("{} has no POSIX permissions: protect {} so that only this host's user can read it",
                    path.getFileSystem(), path);
        }
        Files.createFile(path, attributes);
        try (Writer out = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            cert.saveSecret(out);
        }
    }

    /** The permissions to create with, on a file system that has POSIX permissions; none elsewhere. */
    private static FileAttribute<?>[] ownerOnly(Set<PosixFilePermission> permissions) {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
                : new FileAttribute<?>[0];
    }

    /**
     * Refuses a secret file that group or others may read or write: whoever reads it can pose as
     * this host (or, for the server file, as every server of the system).
     */
    private static void refuseShared(Path file) {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return; // no POSIX permissions on this file system: nothing to check here
        } catch (IOException e) {
            return; // missing or unreadable: reading it says so
        }
        if (permissions.stream().anyMatch(NOT_OWNER::contains)) {
            throw new IllegalArgumentException("CURVE secret key file " + file + " is open to group or others ("
                    + PosixFilePermissions.toString(permissions) + "): anyone who reads it can pose as this host."
                    + " Make it readable by its owner only: chmod 600 " + file);
        }
    }

    /**
     * The key directory.
     *
     * @return the directory these keys came from
     */
    public Path directory() {
        return directory;
    }

    /**
     * This host's client public key, in Z85 text.
     *
     * @return the key
     */
    public String clientPublicKey() {
        return client.getPublicKeyAsZ85();
    }

    /**
     * Makes a socket that binds a CURVE server: it encrypts and lets in only authorized clients
     * (checked by the {@link #authenticator} of its context).
     *
     * @param socket a socket about to bind
     */
    public void serve(ZMQ.Socket socket) {
        socket.setZAPDomain(DOMAIN);
        socket.setCurveServer(true);
        socket.setCurveSecretKey(server.getSecretKey());
    }

    /**
     * Makes a socket that connects a CURVE client of the system's servers, with this host's key.
     *
     * @param socket a socket about to connect
     */
    public void connectAsClient(ZMQ.Socket socket) {
        socket.setCurveServerKey(server.getPublicKey());
        socket.setCurvePublicKey(client.getPublicKey());
        socket.setCurveSecretKey(client.getSecretKey());
    }

    /**
     * Starts the authenticator of a context: it checks the client key of every CURVE handshake on
     * the context's server sockets against {@value #AUTHORIZED_DIR} (re-read when it changes) and
     * logs each refusal. A client let in gets its Z85 public key as its ZAP user id, which JeroMQ
     * attaches to its messages (metadata {@code User-Id}; read it with {@link AdminKeys#clientKey}).
     * One per context; close it before the context.
     *
     * @param context the context whose server sockets it guards
     * @return the running authenticator
     */
    public ZAuth authenticator(ZContext context) {
        ZCertStore allowed = new ZCertStore(directory.resolve(AUTHORIZED_DIR).toString());
        ZAuth.Auth curve = checking(request -> allowed.containsPublicKey(request.clientKey), request ->
                "CURVE: refused a client from " + request.address + " whose key " + request.clientKey + " is not in "
                        + directory.resolve(AUTHORIZED_DIR));
        ZAuth.Auth refuse = checking(request -> false, request -> "CURVE: refused a " + request.mechanism
                + " client from " + request.address + ": only CURVE clients are let in");
        return new ZAuth(context, "zeroagents-curve-auth", Map.of("CURVE", curve, "NULL", refuse, "PLAIN", refuse));
    }

    /** A ZAP check that logs and counts each refusal. */
    private ZAuth.Auth checking(java.util.function.Predicate<ZAuth.ZapRequest> allow,
                                java.util.function.Function<ZAuth.ZapRequest, String> refusal) {
        return new ZAuth.Auth() {
            @Override
            public boolean configure(org.zeromq.ZMsg configuration, boolean verbose) {
                return true;
            }

            @Override
            public boolean authorize(ZAuth.ZapRequest request, boolean verbose) {
                if (allow.test(request)) {
                    // The key becomes the connection's User-Id, which JeroMQ attaches to every message
                    // received on it: servers (their admin checks) learn who sent each one. Tagged,
                    // as a client can send a User-Id of its own in its handshake (AdminKeys).
                    request.userId = AdminKeys.userId(request.clientKey);
                    return true;
                }
                LOG.warn("{} ({} refused so far)", refusal.apply(request), refused.incrementAndGet());
                return false;
            }
        };
    }

    /**
     * How many clients the authenticators of these keys refused, for tests and monitoring.
     *
     * @return the count since these keys were loaded
     */
    public long refusedClients() {
        return refused.get();
    }

    /**
     * Reads the keys named by a setting, when it names any.
     *
     * @param directory the key directory, or {@code null} or blank for no encryption
     * @return the keys, or {@code null}
     */
    public static @Nullable CurveKeys fromSetting(@Nullable String directory) {
        return directory == null || directory.isBlank() ? null : load(Path.of(Objects.requireNonNull(directory)));
    }

    @Override
    public String toString() {
        return "CurveKeys[" + directory + ", client " + clientPublicKey() + "]";
    }
}
