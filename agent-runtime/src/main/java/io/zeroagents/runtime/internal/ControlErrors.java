package io.zeroagents.runtime.internal;

import io.zeroagents.AgentException;
import io.zeroagents.AgentNotRunningException;
import io.zeroagents.AgentTimeoutException;
import io.zeroagents.DuplicateAgentNameException;
import io.zeroagents.MessageDecodingException;
import io.zeroagents.MessageEncodingException;
import io.zeroagents.PatternMismatchException;
import io.zeroagents.RemoteAgentException;
import io.zeroagents.UnknownAgentException;
import io.zeroagents.UnknownAliasException;
import io.zeroagents.runtime.internal.control.ControlResponse;
import io.zeroagents.runtime.internal.control.ErrorCode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How a failure crosses the control protocol: the host turns the exception an operation threw into
 * an {@link ErrorCode} with its message and stack, and the proxy turns that back into the same
 * io.zeroagents exception class with the same message, the remote stack as its cause.
 *
 * <p>Codes go by the exception's exact class: a subclass the protocol does not name (an
 * {@code EnvelopeFormatException}, a {@code NameServerException}) arrives as a
 * {@link RemoteAgentException}, as it did when the protocol carried class names.
 *
 * <p>The stack, and the list of methods in the message of a call of an unknown one, show the
 * agent's code: they go to the host's admins only ({@link ControlAccess}). Other callers get the
 * code and the message without them, and their proxy throws the exception without a cause.
 */
final class ControlErrors {
    private static final Map<Class<? extends RuntimeException>, ErrorCode> CODES = Map.ofEntries(
            Map.entry(BadRequest.class, ErrorCode.BAD_REQUEST),
            Map.entry(Forbidden.class, ErrorCode.FORBIDDEN),
            Map.entry(UnknownAgentException.class, ErrorCode.UNKNOWN_AGENT),
            Map.entry(UnknownAliasException.class, ErrorCode.UNKNOWN_ALIAS),
            Map.entry(PatternMismatchException.class, ErrorCode.PATTERN_MISMATCH),
            Map.entry(AgentTimeoutException.class, ErrorCode.TIMEOUT),
            Map.entry(AgentNotRunningException.class, ErrorCode.NOT_RUNNING),
            Map.entry(DuplicateAgentNameException.class, ErrorCode.DUPLICATE_NAME),
            Map.entry(MessageDecodingException.class, ErrorCode.DECODING),
            Map.entry(MessageEncodingException.class, ErrorCode.ENCODING),
            Map.entry(AgentException.class, ErrorCode.AGENT_ERROR),
            Map.entry(AgentMethods.UnknownMethodException.class, ErrorCode.AGENT_ERROR));

    private ControlErrors() {
    }

    /** The code the host sends for {@code e}. */
    static ErrorCode code(RuntimeException e) {
        return CODES.getOrDefault(e.getClass(), ErrorCode.REMOTE_FAILURE);
    }

    /**
     * The host's answer to request {@code requestId} when its operation threw {@code e}.
     *
     * @param admin whether the caller is an admin of the host, who sees the stack and the methods
     */
    static ControlResponse failure(long requestId, RuntimeException e, boolean admin) {
        ControlResponse.Builder answer = ControlResponse.newBuilder().setRequestId(requestId).setOk(false)
                .setError(code(e));
        if (!admin) {
            return answer.setErrorMessage(e instanceof AgentMethods.UnknownMethodException unknown
                    ? unknown.withoutMethods() : String.valueOf(e.getMessage())).build();
        }
        // A wrapped failure (a method of the agent that threw) shows the stack of what it wraps.
        Throwable shown = e instanceof RemoteAgentException && e.getCause() != null ? e.getCause() : e;
        StringWriter trace = new StringWriter();
        shown.printStackTrace(new PrintWriter(trace));
        return answer.setErrorMessage(String.valueOf(e.getMessage())).setRemoteStack(trace.toString()).build();
    }

    /**
     * The exception a proxy throws for a failed answer: the class its code names, the remote stack
     * as cause when the answer has one (an admin's).
     */
    static AgentException exception(ControlResponse response) {
        String message = response.getErrorMessage();
        @Nullable RemoteStackTrace cause = response.getRemoteStack().isEmpty() ? null
                : new RemoteStackTrace(response.getRemoteStack());
        return switch (response.getError()) {
            case UNKNOWN_AGENT -> new UnknownAgentException(message, cause);
            case UNKNOWN_ALIAS -> new UnknownAliasException(message, cause);
            case PATTERN_MISMATCH -> new PatternMismatchException(message, cause);
            case TIMEOUT -> new AgentTimeoutException(message, cause);
            case NOT_RUNNING -> new AgentNotRunningException(message, cause);
            case DUPLICATE_NAME -> new DuplicateAgentNameException(message, cause);
            case DECODING -> new MessageDecodingException(message, cause);
            case ENCODING -> new MessageEncodingException(message, cause);
            // A malformed request is a fault of the proxy's side, as a plain AgentException was in version 1.
            // A refusal names what was refused and how to become an admin; no API exception says more.
            case AGENT_ERROR, BAD_REQUEST, FORBIDDEN -> new AgentException(message, cause);
            // A host of a later version may send codes this one does not know.
            case REMOTE_FAILURE, ERROR_UNSPECIFIED, UNRECOGNIZED -> new RemoteAgentException(message, cause);
        };
    }

    /**
     * A request the host cannot carry out as sent (another version, no operation, a required field
     * missing, a name it does not know): answered {@link ErrorCode#BAD_REQUEST}.
     */
    static final class BadRequest extends AgentException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }

    /**
     * A request the caller may not make: an admin's operation from a caller that is not an admin
     * of the host ({@link ControlAccess}); answered {@link ErrorCode#FORBIDDEN}.
     */
    static final class Forbidden extends AgentException {
        private static final long serialVersionUID = 1L;

        Forbidden(String message) {
            super(message);
        }
    }

    /** The stack of an exception thrown in another process, as text: the cause of the local one. */
    static final class RemoteStackTrace extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RemoteStackTrace(String remoteStack) {
            super("remote stack trace:\n" + remoteStack, null, false, false);
        }
    }
}
