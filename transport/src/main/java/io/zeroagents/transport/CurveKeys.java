package io.zeroagents.transport;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 * The CURVE keys of one host of a ZeroAgents system, read from its key directory, and how they are
 * put on sockets.
 *
 * <p>Every host (a machine, or a container, running name servers or agents) has a key pair of its
 * own, made there and never copied: its servers (agents' bound sockets, control endpoints, name
 * servers) serve with it, and its clients connect with it. The directory (made by
 * {@code java -jar nameserver.jar keys init DIR}) holds:
 * <ul>
 *   <li>{@value #HOST_FILE}: this host's certificate, public and secret key;</li>
 *   <li>{@value #AUTHORIZED_DIR}{@code /}: the public certificates of the clients allowed in, one
 *       file each: the allow-list. A client whose key is not there is refused, and the refusal is
 *       logged with its address and key;</li>
 *   <li>{@value #SERVERS_DIR}{@code /}: the servers trusted at addresses given directly (a name
 *       server's, a plain ZeroMQ program's), each public certificate naming its endpoints (see
 *       {@link #trust}).</li>
 * </ul>
 *
 * <p>A connecting socket pins the key of the server it expects ({@link #connectAsClient}), and the
 * handshake completes only with the holder of that key's secret. The key comes with the address
 * when a name server handed the address out (it records the key each host authenticated with);
 * otherwise {@link #serverKeyFor} finds it in {@value #SERVERS_DIR}, or, for an endpoint on this
 * machine, takes this host's own key (a server of this machine serves with this directory's key,
 * and nobody without its secret can pose as one). A plain-text peer, or one that serves with
 * another key than the one pinned, cannot complete the handshake at all.
 *
 * <p>Secret files are readable by their owner only, and never logged. On a POSIX file system
 * {@link #init} creates them with mode 600 and the directories with 700 (the permissions are given
 * at creation, so no other user can open a file in the moment between writing and restricting it),
 * and {@link #load} refuses a secret file that group or others may read or write.
 *
 * <p>The layout of earlier versions, one {@code server.secret} copied to every host beside each
 * host's {@code client.secret}, is refused by {@link #load} with a message saying how to migrate;
 * {@link #init} migrates it (see there).
 */
public final class CurveKeys {
    /** This host's certificate, in the key directory. */
    public static final String HOST_FILE = "host.secret";
    /** The folder of authorized clients' public certificates, in the key directory. */
    public static final String AUTHORIZED_DIR = "authorized";
    /** The folder of servers trusted at addresses given directly, in the key directory. */
    public static final String SERVERS_DIR = "servers";
    /** The length of a CURVE key in Z85 text. */
    public static final int Z85_KEY_CHARS = 40;
    /** The shared server certificate of the earlier layout, copied to every host. */
    static final String OLD_SERVER_FILE = "server.secret";
    /** The host's client certificate of the earlier layout. */
    static final String OLD_CLIENT_FILE = "client.secret";
    /** The ZAP domain ZeroAgents' server sockets authenticate in. */
    static final String DOMAIN = "zeroagents";
    private static final Logger LOG = LogManager.getLogger(CurveKeys.class);

    private final Path directory;
    private final ZCert host;
    private final TrustedServers servers;
    private final java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();

    private CurveKeys(Path directory, ZCert host) {
        this.directory = directory;
        this.host = host;
        this.servers = new TrustedServers(directory.resolve(SERVERS_DIR));
    }

    /**
     * Reads the keys of a key directory.
     *
     * @param directory a directory made by {@code keys init}
     * @return the keys
     * @throws IllegalArgumentException naming the file that is missing or unreadable, a secret file
     *                                  that group or others may read or write (and how to fix it),
     *                                  or a directory of the earlier layout (and how to migrate it)
     */
    public static CurveKeys load(Path directory) {
        if (Files.exists(directory.resolve(OLD_SERVER_FILE)) || (Files.exists(directory.resolve(OLD_CLIENT_FILE))
                && !Files.exists(directory.resolve(HOST_FILE)))) {
            throw new IllegalArgumentException("CURVE key directory " + directory + " has the layout of an earlier"
                    + " ZeroAgents: " + OLD_SERVER_FILE + ", one server key copied to every host. Every host now has a"
                    + " key pair of its own (" + HOST_FILE + ") and clients pin each server's key. Migrate it with"
                    + " 'java -jar nameserver.jar keys init " + directory + "' (it keeps " + OLD_CLIENT_FILE
                    + "'s key pair as " + HOST_FILE + ", so allow-lists elsewhere stay valid, and deletes the shared "
                    + OLD_SERVER_FILE + "), then trust the other hosts' name servers as the README's 'Security'"
                    + " section shows");
        }
        return new CurveKeys(directory, KeyFiles.readSecret(directory.resolve(HOST_FILE)));
    }

    /**
     * Creates a key directory, or completes one: this host's certificate unless there is one, its
     * public certificate in {@value #AUTHORIZED_DIR} (so this host's own clients get in), and the
     * folders. Directories it creates get mode 700 and secret files mode 600, from their creation
     * on (POSIX file systems).
     *
     * <p>A directory of the earlier layout is migrated: its {@code client.secret}, this host's own
     * key pair, becomes {@value #HOST_FILE} (the allow-lists of other hosts that hold its public key
     * stay valid), and {@code server.secret}, the server key every host shared, is deleted: every
     * copy of it elsewhere must go too, as whoever holds one could pose as any server of the system.
     *
     * @param directory the directory
     * @param name      the name under which this host's public key is authorized and exported
     * @return the keys now in the directory
     * @throws IOException when the files cannot be written
     */
    public static CurveKeys init(Path directory, String name) throws IOException {
        KeyFiles.createDirectories(directory.resolve(AUTHORIZED_DIR));
        KeyFiles.createDirectories(directory.resolve(SERVERS_DIR));
        Path hostFile = directory.resolve(HOST_FILE);
        Path oldClient = directory.resolve(OLD_CLIENT_FILE);
        Path oldServer = directory.resolve(OLD_SERVER_FILE);
        if (!Files.exists(hostFile) && Files.exists(oldClient)) {
            KeyFiles.readSecret(oldClient); // refuses one open to others before it becomes the host's key
            Files.move(oldClient, hostFile);
            LOG.info("CURVE keys in {}: {} is now {}, this host's key pair", directory, OLD_CLIENT_FILE, HOST_FILE);
        } else if (!Files.exists(hostFile)) {
            ZCert cert = new ZCert();
            cert.setMeta("name", name);
            KeyFiles.writeSecret(hostFile, cert);
        }
        if (Files.deleteIfExists(oldServer)) {
            LOG.warn("CURVE keys in {}: deleted {}, the server key every host of the earlier layout shared; delete"
                    + " its copies on the other hosts too", directory, OLD_SERVER_FILE);
        }
        CurveKeys keys = load(directory);
        keys.savePublic(directory.resolve(AUTHORIZED_DIR).resolve(name + ".public"), name);
        return keys;
    }

    /**
     * Trusts a server at addresses given directly: writes its public certificate into the key
     * directory's {@value #SERVERS_DIR}, named after the certificate's {@code name}, with the
     * endpoints where it serves.
     *
     * @param directory   the key directory
     * @param certificate the server host's public certificate, as {@code keys export} prints it
     * @param endpoints   where it serves, {@code tcp://HOST:PORT}, or {@code tcp://HOST:*} for every port
     * @return the file written
     * @throws IOException              when the file cannot be written
     * @throws IllegalArgumentException when the certificate has no valid public key or an endpoint is
     *                                  not a tcp endpoint
     */
    public static Path trust(Path directory, Path certificate, List<String> endpoints) throws IOException {
        return new TrustedServers(directory.resolve(SERVERS_DIR)).trust(certificate, endpoints);
    }

    /**
     * This host's public certificate, in ZeroMQ's certificate format: what other hosts put in their
     * {@value #AUTHORIZED_DIR} to let this host in, and trust with {@link #trust} to reach its
     * servers at addresses given directly.
     *
     * @return the certificate's text, with the host's name as metadata
     */
    public String publicCertificate() {
        ZConfig certificate = publicConfig(name());
        StringWriter out = new StringWriter();
        try {
            certificate.save(out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The name this host's certificate was made with, or the directory's name when it has none. */
    private String name() {
        String name = host.getMetadata().get("name");
        if (name == null || name.isBlank()) {
            Path fileName = directory.toAbsolutePath().getFileName();
            return fileName == null ? "host" : fileName.toString();
        }
        return name;
    }

    private ZConfig publicConfig(String name) {
        ZConfig certificate = new ZConfig("root", null);
        certificate.addComment("   ZeroAgents host certificate (public): put it in other hosts' " + AUTHORIZED_DIR
                + "/ to let this host in,");
        certificate.addComment("   and trust it there (keys trust) to reach this host's servers at addresses given directly.");
        certificate.putValue("metadata/name", name);
        certificate.putValue("curve/public-key", host.getPublicKeyAsZ85());
        return certificate;
    }

    private void savePublic(Path file, String name) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            publicConfig(name).save(out);
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
     * This host's public key, in Z85 text: the key its servers serve with and its clients connect with.
     *
     * @return the key
     */
    public String publicKey() {
        return host.getPublicKeyAsZ85();
    }

    /**
     * Makes a socket that binds a CURVE server with this host's key: it encrypts and lets in only
     * authorized clients (checked by the {@link #authenticator} of its context).
     *
     * @param socket a socket about to bind
     */
    public void serve(ZMQ.Socket socket) {
        socket.setZAPDomain(DOMAIN);
        socket.setCurveServer(true);
        socket.setCurveSecretKey(host.getSecretKey());
    }

    /**
     * Makes a socket that connects a CURVE client with this host's key, pinned to one server's key:
     * the handshake completes only with the holder of that key's secret.
     *
     * @param socket    a socket about to connect
     * @param serverKey the public key, Z85, of the server it must reach
     * @throws IllegalArgumentException when the key is not a Z85 CURVE key
     */
    public void connectAsClient(ZMQ.Socket socket, String serverKey) {
        byte[] pinned;
        try {
            pinned = new ZCert(serverKey).getPublicKey();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + serverKey + "' is not a CURVE server key (" + Z85_KEY_CHARS
                    + " Z85 characters): " + e.getMessage(), e);
        }
        socket.setCurveServerKey(pinned);
        socket.setCurvePublicKey(host.getPublicKey());
        socket.setCurveSecretKey(host.getSecretKey());
    }

    /**
     * The key of the server a socket connecting to {@code endpoint} must reach, when nothing came
     * with the address: the trusted server whose certificate in {@value #SERVERS_DIR} names the
     * endpoint; otherwise, for an endpoint on this machine ({@link Endpoints#isOnThisMachine}), this
     * host's own key.
     *
     * @param endpoint where the socket connects
     * @return the server's public key, Z85
     * @throws IllegalArgumentException naming the endpoint and the certificate to add when no key is
     *                                  known for it, or when certificates disagree about it
     */
    public String serverKeyFor(String endpoint) {
        TrustedServers.Trusted trusted = servers.find(endpoint);
        if (trusted != null) {
            return trusted.key();
        }
        if (Endpoints.isOnThisMachine(endpoint)) {
            return publicKey();
        }
        throw new IllegalArgumentException("No CURVE server key is known for " + endpoint + ": it did not come from a"
                + " name server, and no certificate in " + servers.folder() + " names it. Get that server host's"
                + " public certificate ('java -jar nameserver.jar keys export DIR' there) and trust it here:"
                + " 'java -jar nameserver.jar keys trust " + directory + " FILE --endpoint " + endpoint + "'");
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
        return "CurveKeys[" + directory + ", host key " + publicKey() + "]";
    }
}
