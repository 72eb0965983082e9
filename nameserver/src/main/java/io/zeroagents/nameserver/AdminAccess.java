package io.zeroagents.nameserver;

import io.zeroagents.nameserver.protocol.Request;
import io.zeroagents.transport.AdminKeys;
import io.zeroagents.transport.AdminTokens;
import io.zeroagents.transport.CurveKeys;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Decides which requests come from an admin: those carrying the name server's admin token, and,
 * with CURVE, those from a client whose public key the key directory's {@value AdminToken#ADMINS_FILE}
 * file lists ({@link AdminKeys}, re-read at each admin request). Only stopping agents, shutting
 * down and evicting names need one; every other request is a member's.
 */
final class AdminAccess {
    private final AdminTokens.Issued token;
    private final @Nullable AdminKeys admins;

    private AdminAccess(AdminTokens.Issued token, @Nullable AdminKeys admins) {
        this.token = token;
        this.admins = admins;
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
        if (directory != null) {
            StaleTokens.prune(directory, port);
        }
        return new AdminAccess(AdminTokens.issue(directory, AdminToken.PREFIX, port, "Name server on port " + port),
                AdminKeys.of(curve));
    }

    String token() {
        return token.token();
    }

    @Nullable Path tokenFile() {
        return token.file().orElse(null);
    }

    /** Deletes the token file, unless a later name server on the port replaced it. */
    void close() {
        token.close();
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
        if (!needsAdmin || AdminTokens.matches(token.token(), request.getAdminToken())
                || (admins != null && admins.contains(clientKey))) {
            return null;
        }
        String operation = RequestDispatcher.operation(request);
        StringBuilder why = new StringBuilder(operation).append(" needs the admin token");
        if (!request.getAdminToken().isEmpty()) {
            why.append(" (the token it carried is not this name server's: a token file of an earlier run?)");
        }
        Path tokenFile = tokenFile();
        if (tokenFile != null) {
            why.append("; the CLI reads it from ").append(tokenFile)
                    .append(", readable only by the user who started the name server");
        } else {
            why.append("; only the program that runs this name server holds it");
        }
        if (admins != null) {
            why.append(", or a CURVE key listed in ").append(admins.file());
            if (clientKey != null) {
                why.append(" (this client's key ").append(clientKey).append(" is not)");
            }
        }
        return why.toString();
    }
}
