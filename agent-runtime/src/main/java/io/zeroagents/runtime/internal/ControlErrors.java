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

/**
 * How a failure crosses the control protocol: the host turns the exception an operation threw into
 * an {@link ErrorCode} with its message and stack, and the proxy turns that back into the same
 * io.zeroagents exception class with the same message, the remote stack as its cause.
 *
 * <p>Codes go by the exception's exact class: a subclass the protocol does not name (an
 * {@code EnvelopeFormatException}, a {@code NameServerException}) arrives as a
 * {@link RemoteAgentException}, as it did when the protocol carried class names.
 */
final class ControlErrors {
    private static final Map<Class<? extends RuntimeException>, ErrorCode> CODES = Map.of(
            BadRequest.class, ErrorCode.BAD_REQUEST,
            UnknownAgentException.class, ErrorCode.UNKNOWN_AGENT,
            UnknownAliasException.class, ErrorCode.UNKNOWN_ALIAS,
            PatternMismatchException.class, ErrorCode.PATTERN_MISMATCH,
            AgentTimeoutException.class, ErrorCode.TIMEOUT,
            AgentNotRunningException.class, ErrorCode.NOT_RUNNING,
            DuplicateAgentNameException.class, ErrorCode.DUPLICATE_NAME,
            MessageDecodingException.class, ErrorCode.DECODING,
            MessageEncodingException.class, ErrorCode.ENCODING,
            AgentException.class, ErrorCode.AGENT_ERROR);

    private ControlErrors() {
    }

    /** The code the host sends for {@code e}. */
    static ErrorCode code(RuntimeException e) {
        return CODES.getOrDefault(e.getClass(), ErrorCode.REMOTE_FAILURE);
    }

    /** The host's answer to request {@code requestId} when its operation threw {@code e}. */
    static ControlResponse failure(long requestId, RuntimeException e) {
        // A wrapped failure (a method of the agent that threw) shows the stack of what it wraps.
        Throwable shown = e instanceof RemoteAgentException && e.getCause() != null ? e.getCause() : e;
        StringWriter trace = new StringWriter();
        shown.printStackTrace(new PrintWriter(trace));
        return ControlResponse.newBuilder().setRequestId(requestId).setOk(false).setError(code(e))
                .setErrorMessage(String.valueOf(e.getMessage())).setRemoteStack(trace.toString()).build();
    }

    /** The exception a proxy throws for a failed answer: the class its code names, the remote stack as cause. */
    static AgentException exception(ControlResponse response) {
        String message = response.getErrorMessage();
        RemoteStackTrace cause = new RemoteStackTrace(response.getRemoteStack());
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
            case AGENT_ERROR, BAD_REQUEST -> new AgentException(message, cause);
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

    /** The stack of an exception thrown in another process, as text: the cause of the local one. */
    static final class RemoteStackTrace extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RemoteStackTrace(String remoteStack) {
            super("remote stack trace:\n" + remoteStack, null, false, false);
        }
    }
}
