package io.zeroagents.nameserver;

import io.zeroagents.nameserver.protocol.Request;
import io.zeroagents.transport.CurveKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Decides which requests come from an admin: those carrying the name server's admin token, and,
 * with CURVE, those from a client whose public key the key directory's {@value AdminToken#ADMINS_FILE} file
 * lists. Only stopping agents, shutting down and evicting names need one; every other request is a
 * member's.
 *
 * <p>The admins file holds one Z85 public key per line (as in an
 * {@code authorized/*.public} certificate's {@code public-key}): the first word of a line, when it
 * has the 40 characters of a key; what follows it on the line, and lines whose first word is not a
 * key (blank lines, comments such as {@code # admins}), are ignored. A {@code #} does not start a
 * comment inside a line, since Z85 keys may contain one. The file is read at each admin request,
 * which are rare, so a key added or removed counts at once.
 */
final class AdminAccess {
    private static final Logger LOG = LogManager.getLogger(AdminAccess.class);
    // A 32-byte CURVE key in Z85 text.
    private static final int Z85_KEY_CHARS = 40;

    private final String token;
    private final @Nullable Path tokenFile;
    private final @Nullable Path adminsFile;
    // Deletes the token file when the JVM exits without closing the name server (a program that
    // never shuts its embedded name server down), so no stale token is left behind.
    private final @Nullable Thread onExit;

    /**
     * @param token      the name server's admin token
     * @param tokenFile  where it was written, for the messages; null when only the JVM holds it
     * @param adminsFile the CURVE admins file, or null without CURVE
     */
    AdminAccess(String token, @Nullable Path tokenFile, @Nullable Path adminsFile) {
        this.token = token;
        this.tokenFile = tokenFile;
        this.adminsFile = adminsFile;
        this.onExit = tokenFile == null ? null
                : new Thread(() -> deleteTokenFile(tokenFile, token), "zeroagents-admin-token-cleanup");
        if (onExit != null) {
            Runtime.getRuntime().addShutdownHook(onExit);
        }
    }

    /**
     * Makes a name server's admin token and writes it where the command line finds it, first
     * deleting the files that name servers killed on this machine left there ({@link StaleTokens}).
     * A name server whose file cannot be written still serves; only its own JVM can then act as its
     * admin.
     *
     * @param directory where to write the token file, or null for none
     * @param port      the name server's port, which names the file
     * @param curve     the name server's CURVE keys, whose directory holds the admins file; or null
     * @return the access, owning the file until {@link #close()}
     */
    static AdminAccess start(@Nullable Path directory, int port, @Nullable CurveKeys curve) {
        String token = AdminToken.generate();
        Path adminsFile = curve == null ? null : curve.directory().resolve(AdminToken.ADMINS_FILE);
        if (directory == null) {
            return new AdminAccess(token, null, adminsFile);
        }
        Path file = AdminToken.file(directory, port);
        StaleTokens.prune(directory, port);
        try {
            AdminToken.write(file, token);
            return new AdminAccess(token, file, adminsFile);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Name server on port {} could not write its admin token to {} ({}); only this JVM can stop"
                    + " its agents", port, file, e.getMessage());
            return new AdminAccess(token, null, adminsFile);
        }
    }

    String token() {
        return token;
    }

    @Nullable Path tokenFile() {
        return tokenFile;
    }

    /** Deletes the token file, unless a later name server on the port replaced it. */
    void close() {
        if (onExit != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(onExit);
            } catch (IllegalStateException e) {
                // The JVM is exiting: the hook deletes the file.
                return;
            }
        }
        if (tokenFile != null) {
            deleteTokenFile(tokenFile, token);
        }
    }

    private static void deleteTokenFile(Path file, String token) {
        try {
            AdminToken.delete(file, token);
        } catch (IOException e) {
            LOG.warn("Could not delete the admin token {}: {}", file, e.getMessage());
        }
    }

    /**
     * Says why a request may not be served, or null when it may: a request that needs no admin,
     * or one from an admin.
     *
     * @param request   the request
     * @param clientKey the client's CURVE public key, or null without CURVE
     * @return the refusal, naming the operation, what is missing and where the token is
     */
    @Nullable String refusal(Request request, @Nullable String clientKey) {
        boolean needsAdmin = switch (request.getBodyCase()) {
            case STOP_AGENTS, SHUTDOWN, EVICT -> true;
            default -> false;
        };
        if (!needsAdmin || AdminToken.matches(token, request.getAdminToken())
                || (clientKey != null && admins().contains(clientKey))) {
            return null;
        }
        String operation = RequestDispatcher.operation(request);
        StringBuilder why = new StringBuilder(operation).append(" needs the admin token");
        if (!request.getAdminToken().isEmpty()) {
            why.append(" (the token it carried is not this name server's: a token file of an earlier run?)");
        }
        if (tokenFile != null) {
            why.append("; the CLI reads it from ").append(tokenFile)
                    .append(", readable only by the user who started the name server");
        } else {
            why.append("; only the program that runs this name server holds it");
        }
        if (adminsFile != null) {
            why.append(", or a CURVE key listed in ").append(adminsFile);
            if (clientKey != null) {
                why.append(" (this client's key ").append(clientKey).append(" is not)");
            }
        }
        return why.toString();
    }

    private Set<String> admins() {
        Set<String> keys = new HashSet<>();
        if (adminsFile == null) {
            return keys;
        }
        try {
            for (String line : Files.readAllLines(adminsFile, StandardCharsets.UTF_8)) {
                String first = line.strip().split("\\s+", 2)[0];
                if (first.length() == Z85_KEY_CHARS) {
                    keys.add(first);
                }
            }
        } catch (NoSuchFileException e) {
            // No admins file: no key is an admin's, and the token is the only way.
        } catch (IOException e) {
            LOG.warn("Cannot read the CURVE admins file {}; no key counts as an admin's until it can be read: {}",
                    adminsFile, e.getMessage());
        }
        return keys;
    }
}
