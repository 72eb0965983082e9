package io.zeroagents.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
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
 * Secret files must be readable by the process only; they are never logged.
 */
public final class CurveKeys {
    /** The system's server certificate, in the key directory. */
    public static final String SERVER_FILE = "server.secret";
    /** This host's client certificate, in the key directory. */
    public static final String CLIENT_FILE = "client.secret";
    /** The folder of authorized clients' public certificates, in the key directory. */
    public static final String AUTHORIZED_DIR = "authorized";
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
     * @throws IllegalArgumentException naming the file that is missing or unreadable
     */
    public static CurveKeys load(Path directory) {
        return new CurveKeys(directory, read(directory.resolve(SERVER_FILE)), read(directory.resolve(CLIENT_FILE)));
    }

    private static ZCert read(Path file) {
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
     * unless there is one, and its public certificate in {@value #AUTHORIZED_DIR}.
     *
     * @param directory  the directory
     * @param clientName the name under which this host's public key is authorized
     * @return the keys now in the directory
     * @throws IOException when the files cannot be written
     */
    public static CurveKeys init(Path directory, String clientName) throws IOException {
        Files.createDirectories(directory.resolve(AUTHORIZED_DIR));
        for (String file : new String[] {SERVER_FILE, CLIENT_FILE}) {
            Path path = directory.resolve(file);
            if (!Files.exists(path)) {
                ZCert cert = new ZCert();
                cert.setMeta("name", file.equals(SERVER_FILE) ? "zeroagents-system" : clientName);
                cert.saveSecret(path.toString());
                restrict(path);
            }
        }
        CurveKeys keys = load(directory);
        ZCert publicOnly = new ZCert(keys.client.getPublicKeyAsZ85());
        publicOnly.setMeta("name", clientName);
        publicOnly.savePublic(directory.resolve(AUTHORIZED_DIR).resolve(clientName + ".public").toString());
        return keys;
    }

    private static void restrict(Path secret) {
        try {
            Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("Could not make {} readable by its owner only: {}", secret, e.getMessage());
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
     * attaches to its messages (metadata {@code User-Id}). One per context; close it before the context.
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
                    // received on it: servers (the name server's admin check) learn who sent each one.
                    request.userId = request.clientKey;
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
