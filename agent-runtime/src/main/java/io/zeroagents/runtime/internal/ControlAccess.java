package io.zeroagents.runtime.internal;

import io.zeroagents.runtime.internal.control.ControlRequest;
import io.zeroagents.runtime.internal.control.ControlRequest.OperationCase;
import io.zeroagents.runtime.internal.control.ControlRequestOrBuilder;
import io.zeroagents.transport.AdminKeys;
import io.zeroagents.transport.AdminTokens;
import io.zeroagents.transport.CurveKeys;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Who is an admin of an agent host's control endpoint, and which operations need one (the table is
 * {@link ControlDispatcher}'s): the callers that carry the host's admin token, and, with CURVE,
 * those whose public key the key directory's {@value AdminKeys#FILE} file lists ({@link AdminKeys},
 * re-read at each question). Everyone else who reaches the endpoint is a member.
 *
 * <p>The host makes a new random token each time its endpoint opens and writes it, owner-only, to
 * {@code ~/.zeroagents/hosts/control-PORT.token} ({@link AdminTokens}, as a name server writes its
 * own); it deletes the file when the endpoint closes. The proxy side ({@link ControlClient}) reads
 * the file of the endpoint's port when the endpoint is on its machine, at a loopback address or
 * one of the machine's own (a host bound on all interfaces advertises one) ({@link #tokenFor}), and
 * sends the token with every request: so a process of the same user (the parent of an agent in a
 * process of its own, a program and its tools) is an admin, as is the host's own JVM, and nobody
 * else is without a listed CURVE key.
 *
 * <p>The token travels as four 64-bit words ({@link #words}, {@link #present}), which the host
 * compares with its own in constant time without allocating: every request carries them.
 */
final class ControlAccess implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(ControlAccess.class);
    /** What a control endpoint's token file is named after: {@code control-PORT.token}. */
    static final String PREFIX = "control";
    private static final int WORDS = AdminTokens.TOKEN_BYTES / Long.BYTES;

    private final String endpoint;
    private final AdminTokens.Issued issued;
    private final long word1;
    private final long word2;
    private final long word3;
    private final long word4;
    private final @Nullable AdminKeys admins;
    private final AtomicLong refused = new AtomicLong();

    private ControlAccess(String endpoint, AdminTokens.Issued issued, long[] words, @Nullable AdminKeys admins) {
        this.endpoint = endpoint;
        this.issued = issued;
        this.word1 = words[0];
        this.word2 = words[1];
        this.word3 = words[2];
        this.word4 = words[3];
        this.admins = admins;
    }

    /** Where agent hosts of this user keep their tokens: {@code ~/.zeroagents/hosts}. */
    static Path defaultDirectory() {
        return AdminTokens.directory("hosts");
    }

    /**
     * Makes the admin token of a control endpoint and writes it to its file. An endpoint whose file
     * cannot be written still serves (the failure is logged); only its own JVM is then its admin.
     *
     * @param directory where to write the token file, or null for none
     * @param endpoint  the endpoint's address, for messages
     * @param port      the endpoint's port, which names the file
     * @param curve     the CURVE keys in use, whose directory holds the admins file; or null
     */
    static ControlAccess open(@Nullable Path directory, String endpoint, int port, @Nullable CurveKeys curve) {
        AdminTokens.Issued issued = AdminTokens.issue(directory, PREFIX, port, "Agent host control endpoint "
                + endpoint);
        long[] words = words(issued.token());
        if ((words[0] | words[1] | words[2] | words[3]) == 0) {
            // All zero is what a request without the token carries: such a token would admit everyone.
            issued.close();
            return open(directory, endpoint, port, curve);
        }
        return new ControlAccess(endpoint, issued, words, AdminKeys.of(curve));
    }

    /** The token, for this JVM's own proxies to this endpoint. */
    String token() {
        return issued.token();
    }

    /** Where the token was written; empty when it could not be. */
    Optional<Path> tokenFile() {
        return issued.file();
    }

    /** How many requests were refused for want of an admin since the endpoint opened. */
    long refused() {
        return refused.get();
    }

    /**
     * Whether the caller of a request is an admin: it carries this host's token, or came with a
     * CURVE key the admins file lists.
     *
     * @param request   the request
     * @param clientKey the CURVE public key it came with, or null
     */
    boolean isAdmin(ControlRequestOrBuilder request, @Nullable String clientKey) {
        // Constant time: every word is compared, whatever the first difference.
        long difference = (request.getAdminToken1() ^ word1) | (request.getAdminToken2() ^ word2)
                | (request.getAdminToken3() ^ word3) | (request.getAdminToken4() ^ word4);
        return difference == 0 || (admins != null && admins.contains(clientKey));
    }

    /**
     * Whether an operation needs an admin, whatever it is called with; a {@code call} needs one only
     * for the framework's methods, which {@link ControlDispatcher} tells. The switch names every
     * operation, so the compiler refuses one added to control.proto without its role.
     */
    static boolean adminOnly(OperationCase operation) {
        return switch (operation) {
            case PING, IS_RUNNING, ADDR, HAS_SOCKET, SOCKETS, SEND, REQUEST, RECV, SEND_RECV, LIST_TIMERS, LOG, CALL,
                 OPERATION_NOT_SET -> false;
            case BIND, CONNECT, SUBSCRIBE, UNSUBSCRIBE, CLOSE, CLOSE_ALL, GET_ATTR, SET_ATTR, SET_ATTRS, SET_METHODS,
                 EXECUTE, EACH, AFTER, STOP_TIMER, STOP_ALL_TIMERS, SET_LOGGER, STOP, RESUME, SHUTDOWN, KILL -> true;
        };
    }

    /**
     * The refusal of a request from a caller that is not an admin, counted and logged: it names
     * the operation, the agent and how to become an admin.
     *
     * @param what      what was refused, e.g. {@code 'bind'}
     * @param why       why it needs an admin, or null when the operation always does
     * @param request   the request
     * @param clientKey the CURVE public key it came with, or null
     */
    ControlErrors.Forbidden forbidden(String what, @Nullable String why, ControlRequestOrBuilder request,
                                      @Nullable String clientKey) {
        StringBuilder message = new StringBuilder("Agent host ").append(endpoint).append(" refused ").append(what)
                .append(" for agent '").append(request.getAgent()).append("': ")
                .append(why != null ? why : "only an admin of the host may do that")
                .append(", and this caller is not one. An admin's requests carry the host's admin token");
        if (request.getAdminToken1() != 0 || request.getAdminToken2() != 0 || request.getAdminToken3() != 0
                || request.getAdminToken4() != 0) {
            message.append(" (the token this one carried is not this host's: a token file of an earlier run?)");
        }
        Optional<Path> file = issued.file();
        if (file.isPresent()) {
            message.append(", which proxies of the user who runs the host read from ").append(file.get())
                    .append(" when the host is on their machine");
        } else {
            message.append(", which only the host's own process holds");
        }
        if (admins != null) {
            message.append("; or they come with a CURVE key listed in ").append(admins.file());
            if (clientKey != null) {
                message.append(" (this client's key ").append(clientKey).append(" is not)");
            }
        }
        String refusal = message.append('.').toString();
        LOG.warn("Control endpoint {} refused {} for agent '{}'{} ({} refused so far)", endpoint, what,
                request.getAgent(), clientKey == null ? "" : " from CURVE key " + clientKey, refused.incrementAndGet());
        return new ControlErrors.Forbidden(refusal);
    }

    /** Deletes the token file, unless a later endpoint on the port replaced it. */
    @Override
    public void close() {
        issued.close();
    }

    /**
     * The admin token of a control endpoint of this machine, read from its file: what a proxy
     * sends to be an admin.
     *
     * @param directory the tokens' directory, usually {@link #defaultDirectory()}
     * @param endpoint  the endpoint's address
     * @return the token as {@link #words}; empty when the endpoint is not on this machine, or its
     *         file is missing, unreadable (logged) or does not hold a token
     */
    static Optional<long[]> tokenFor(Path directory, String endpoint) {
        try {
            return AdminTokens.forThisMachine(directory, PREFIX, endpoint).map(ControlAccess::words);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Agent host {}: its admin token cannot be read, so this process is not its admin: {}", endpoint,
                    e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * A token as four 64-bit words, bytes 0-7 first, each big-endian.
     *
     * @throws IllegalArgumentException if it is not URL-safe Base64 of {@value AdminTokens#TOKEN_BYTES} bytes
     */
    static long[] words(String token) {
        byte[] bytes = AdminTokens.bytes(token);
        if (bytes.length != AdminTokens.TOKEN_BYTES) {
            throw new IllegalArgumentException("an admin token has " + AdminTokens.TOKEN_BYTES + " bytes, not "
                    + bytes.length);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long[] words = new long[WORDS];
        for (int i = 0; i < WORDS; i++) {
            words[i] = buffer.getLong();
        }
        return words;
    }

    /** Puts a token's words in a request, or clears them for none. */
    static ControlRequest.Builder present(ControlRequest.Builder request, long @Nullable [] words) {
        if (words == null) {
            return request.clearAdminToken1().clearAdminToken2().clearAdminToken3().clearAdminToken4();
        }
        return request.setAdminToken1(words[0]).setAdminToken2(words[1]).setAdminToken3(words[2])
                .setAdminToken4(words[3]);
    }

    @Override
    public String toString() {
        return "ControlAccess[" + endpoint + "]";
    }
}
