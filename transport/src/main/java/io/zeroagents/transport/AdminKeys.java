package io.zeroagents.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;
import org.zeromq.ZMQ;
import zmq.Msg;
import zmq.io.Metadata;

/**
 * The admins of a CURVE system: the clients whose public keys the key directory's
 * {@value #FILE} file lists, and which key a message came with. Servers (name servers, agent
 * hosts' control endpoints) let such a client do what only an admin may, without a token.
 *
 * <p>The file holds one Z85 public key per line (as in an {@code authorized/*.public}
 * certificate's {@code public-key}): the first word of a line, when it has the 40 characters of a
 * key; what follows it on the line, and lines whose first word is not a key (blank lines, comments
 * such as {@code # admins}), are ignored. A {@code #} does not start a comment inside a line, since
 * Z85 keys may contain one. It is read at each question ({@link #contains}), which servers ask
 * only for admin requests: a key added or removed counts at once.
 *
 * <p>JeroMQ attaches the ZAP handler's user id to every frame it receives over an authenticated
 * connection (the frame's metadata, {@code User-Id}); the authenticator of {@link CurveKeys} sets
 * it to the client's public key in Z85 text ({@link #clientKey}). So the key is known per request.
 * But JeroMQ merges the properties the client itself sends in its handshake over the ZAP handler's,
 * so a client with any authorized key could send a {@code User-Id} of its own, an admin's public
 * key say. The authenticator therefore appends a secret of this JVM to the key it sets
 * ({@link #userId}), and only a {@code User-Id} that ends with it is taken for a key.
 */
public final class AdminKeys {
    /** The file of a CURVE key directory that lists the admins' public keys. */
    public static final String FILE = "admins";
    private static final Logger LOG = LogManager.getLogger(AdminKeys.class);
    // A 32-byte CURVE key in Z85 text.
    private static final int Z85_KEY_CHARS = 40;
    /**
     * What the authenticator appends to a client's key in its User-Id: a space (no Z85 character)
     * and 128 random bits, never sent to any client.
     */
    private static final String TAG = tag();

    private final Path file;

    private AdminKeys(Path file) {
        this.file = file;
    }

    /**
     * The admins of a system's key directory.
     *
     * @param keys the keys in use, or null without CURVE
     * @return the admins listed in its {@value #FILE} file; null without CURVE
     */
    public static @Nullable AdminKeys of(@Nullable CurveKeys keys) {
        return keys == null ? null : new AdminKeys(keys.directory().resolve(FILE));
    }

    /**
     * The file that lists the admins.
     *
     * @return the key directory's {@value #FILE} file, which may not exist
     */
    public Path file() {
        return file;
    }

    /**
     * Whether a client key is an admin's, reading the file now.
     *
     * @param clientKey the key a request came with ({@link #clientKey}), or null
     * @return true if the file lists it; false for null, and when there is no such file or it
     *         cannot be read (which is logged)
     */
    public boolean contains(@Nullable String clientKey) {
        if (clientKey == null) {
            return false;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String first = line.strip().split("\\s+", 2)[0];
                if (first.length() == Z85_KEY_CHARS && first.equals(clientKey)) {
                    return true;
                }
            }
        } catch (NoSuchFileException e) {
            // No admins file: no key is an admin's, and the token is the only way.
        } catch (IOException e) {
            LOG.warn("Cannot read the CURVE admins file {}; no key counts as an admin's until it can be read: {}",
                    file, e.getMessage());
        }
        return false;
    }

    private static String tag() {
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        return " " + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /**
     * The User-Id the authenticator gives a client it lets in: its key and this JVM's tag.
     *
     * @param clientKey the client's Z85 public key
     * @return what {@link #clientKey} reads back as the key
     */
    static String userId(String clientKey) {
        return clientKey + TAG;
    }

    /**
     * The public key the sender of a message authenticated with, as this JVM's authenticator
     * ({@link CurveKeys#authenticator}) reported it on each frame received over a CURVE connection.
     *
     * @param frame a frame a server socket received
     * @return the client's Z85 public key; null without CURVE, and when the client sent a
     *         {@code User-Id} of its own
     */
    public static @Nullable String clientKey(Msg frame) {
        Metadata metadata = frame.getMetadata();
        String userId = metadata == null ? null : metadata.get(Metadata.USER_ID);
        if (userId == null || userId.length() != Z85_KEY_CHARS + TAG.length()) {
            return null;
        }
        int difference = 0;
        for (int i = 0; i < TAG.length(); i++) {
            difference |= userId.charAt(Z85_KEY_CHARS + i) ^ TAG.charAt(i);
        }
        return difference == 0 ? userId.substring(0, Z85_KEY_CHARS) : null;
    }

    @Override
    public String toString() {
        return "AdminKeys[" + file + "]";
    }

    /**
     * Receives frames from a server socket as {@link ZMQ.Socket#recv(int)} does, and tells the key of
     * the client each came from ({@link AdminKeys#clientKey}). The frames of one connection share
     * their metadata, so the key is read once per connection, not per frame. For the one thread
     * that receives from the socket.
     */
    public static final class KeyReader {
        private @Nullable Metadata lastMetadata;
        private @Nullable String lastKey;

        /**
         * Receives one frame.
         *
         * @param socket the server socket
         * @param flags  as for {@link ZMQ.Socket#recv(int)}
         * @return the frame's bytes, or null when none came
         */
        public byte @Nullable [] recv(ZMQ.Socket socket, int flags) {
            Msg frame = recvMsg(socket, flags);
            return frame == null ? null : frame.data();
        }

        /**
         * Receives one frame, whole: its metadata also tells the peer's address.
         *
         * @param socket the server socket
         * @param flags  as for {@link ZMQ.Socket#recvMsg(int)}
         * @return the frame, or null when none came
         */
        public @Nullable Msg recvMsg(ZMQ.Socket socket, int flags) {
            Msg frame = socket.recvMsg(flags);
            if (frame == null) {
                return null;
            }
            Metadata metadata = frame.getMetadata();
            if (metadata != lastMetadata) {
                lastMetadata = metadata;
                lastKey = AdminKeys.clientKey(frame);
            }
            return frame;
        }

        /**
         * The key of the client the last frame received came from.
         *
         * @return its Z85 public key; null without CURVE
         */
        public @Nullable String clientKey() {
            return lastKey;
        }
    }
}
