package io.zeroagents.nameserver.registry;

import com.google.protobuf.ByteString;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What proves that a request comes from the agent host that registered an entry: the SHA-256
 * digest of the host's secret.
 *
 * <p>Each agent host makes a random secret ({@link #newSecret()}) and sends it with every request
 * about its entries. A registry keeps only the digest, so neither a listing nor a look at the
 * registry's storage (a federation's shared map) yields anything that would let someone act as the
 * host; the secret's 256 random bits make the plain digest as hard to reverse as a keyed one, and
 * every name server of a federation can check it. The host id of an entry is a label that anyone
 * can read and that authorizes nothing.
 *
 * <p>Immutable. {@link #toString()} shows nothing of the digest.
 *
 * @since 0.1
 */
public final class OwnerKey {
    /** The fewest secret bytes a registry takes: fewer could be guessed. */
    public static final int MIN_SECRET_BYTES = 16;
    private static final int SECRET_BYTES = 32;
    private static final int DIGEST_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ByteString digest;

    private OwnerKey(ByteString digest) {
        this.digest = digest;
    }

    /**
     * Makes a new random secret for an agent host: 32 bytes from a {@link SecureRandom}.
     *
     * @return the secret, to be kept by the host and sent only to its name server
     */
    public static ByteString newSecret() {
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secret);
        return ByteString.copyFrom(secret);
    }

    /**
     * The key of a secret a request carries.
     *
     * @param secret    the host's secret
     * @param operation what the request asks, e.g. {@code "register of agent 'Alice'"}, for the message
     * @return its key
     * @throws IllegalArgumentException if the secret is missing or shorter than
     *                                  {@value #MIN_SECRET_BYTES} bytes; the message says what to send
     */
    public static OwnerKey ofSecret(@Nullable ByteString secret, String operation) {
        if (secret == null || secret.size() < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException(operation + " carries " + (secret == null || secret.isEmpty()
                    ? "no host_secret" : "a host_secret of " + secret.size() + " bytes") + "; every request about an"
                    + " agent's entry needs the secret of the host that registered it (at least " + MIN_SECRET_BYTES
                    + " random bytes), which agent hosts of this version send: upgrade the host");
        }
        return new OwnerKey(ByteString.copyFrom(sha256(secret)));
    }

    /**
     * The key of a secret, for hosts and tests that hold one.
     *
     * @param secret the host's secret, at least {@value #MIN_SECRET_BYTES} bytes
     * @return its key
     * @throws IllegalArgumentException if the secret is too short
     */
    public static OwnerKey ofSecret(ByteString secret) {
        return ofSecret(secret, "The request");
    }

    /**
     * The key a registry stored, read back from its storage.
     *
     * @param digest a digest from {@link #digest()}
     * @return the key
     * @throws IllegalArgumentException if it is not a SHA-256 digest
     */
    public static OwnerKey ofDigest(ByteString digest) {
        Objects.requireNonNull(digest, "digest");
        if (digest.size() != DIGEST_BYTES) {
            throw new IllegalArgumentException("An owner digest has " + DIGEST_BYTES + " bytes, not " + digest.size());
        }
        return new OwnerKey(digest);
    }

    /**
     * The digest a registry stores in place of the secret.
     *
     * @return the SHA-256 digest of the secret
     */
    public ByteString digest() {
        return digest;
    }

    /**
     * Whether a stored digest is this key's, compared in constant time.
     *
     * @param stored a digest a registry stored
     * @return true if the entry was registered with this key's secret
     */
    public boolean matches(ByteString stored) {
        return MessageDigest.isEqual(digest.toByteArray(), stored.toByteArray());
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof OwnerKey key && matches(key.digest);
    }

    @Override
    public int hashCode() {
        return digest.hashCode();
    }

    @Override
    public String toString() {
        return "OwnerKey[…]";
    }

    private static byte[] sha256(ByteString secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.toByteArray());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }
}
