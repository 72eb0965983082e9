package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How failures cross the control protocol ({@link ControlErrors}): every error code becomes the
 * io.zeroagents exception class it names, and an exception the host throws reaches the proxy as
 * the same class with the same message, as when the protocol carried class names.
 */
class ControlErrorsTest {
    private static final Map<ErrorCode, Class<? extends AgentException>> THROWN = new EnumMap<>(Map.ofEntries(
            Map.entry(ErrorCode.ERROR_UNSPECIFIED, RemoteAgentException.class),
            Map.entry(ErrorCode.BAD_REQUEST, AgentException.class),
            Map.entry(ErrorCode.UNKNOWN_AGENT, UnknownAgentException.class),
            Map.entry(ErrorCode.UNKNOWN_ALIAS, UnknownAliasException.class),
            Map.entry(ErrorCode.PATTERN_MISMATCH, PatternMismatchException.class),
            Map.entry(ErrorCode.TIMEOUT, AgentTimeoutException.class),
            Map.entry(ErrorCode.NOT_RUNNING, AgentNotRunningException.class),
            Map.entry(ErrorCode.DUPLICATE_NAME, DuplicateAgentNameException.class),
            Map.entry(ErrorCode.DECODING, MessageDecodingException.class),
            Map.entry(ErrorCode.ENCODING, MessageEncodingException.class),
            Map.entry(ErrorCode.AGENT_ERROR, AgentException.class),
            Map.entry(ErrorCode.FORBIDDEN, AgentException.class),
            Map.entry(ErrorCode.REMOTE_FAILURE, RemoteAgentException.class)));

    @Test
    void exception_everyErrorCode_isTheApiExceptionItNamesWithTheRemoteStackAsCause() {
        for (ErrorCode code : ErrorCode.values()) {
            if (code == ErrorCode.UNRECOGNIZED) {
                continue;
            }
            Class<? extends AgentException> expected = THROWN.get(code);
            assertTrue(expected != null, "no exception class expected for " + code + ": add it to this test");
            AgentException thrown = ControlErrors.exception(ControlResponse.newBuilder().setOk(false).setError(code)
                    .setErrorMessage("why " + code).setRemoteStack("at Remote.frame").build());
            assertEquals(expected, thrown.getClass(), code.name());
            assertEquals("why " + code, thrown.getMessage());
            assertInstanceOf(ControlErrors.RemoteStackTrace.class, thrown.getCause());
            assertTrue(thrown.getCause().getMessage().contains("at Remote.frame"), thrown.getCause().getMessage());
        }
    }

    @Test
    void exception_codeOfALaterVersion_isARemoteAgentException() {
        AgentException thrown = ControlErrors.exception(ControlResponse.newBuilder().setOk(false).setErrorValue(99)
                .setErrorMessage("new").build());
        assertEquals(RemoteAgentException.class, thrown.getClass());
        assertEquals("new", thrown.getMessage());
    }

    @Test
    void failureThenException_apiExceptions_keepTheirClassAndMessage() {
        List<AgentException> thrown = List.of(new UnknownAgentException("a"), new UnknownAliasException("b"),
                new PatternMismatchException("c"), new AgentTimeoutException("d"), new AgentNotRunningException("e"),
                new DuplicateAgentNameException("f"), new MessageDecodingException("g"),
                new MessageEncodingException("h", null), new AgentException("i"), new RemoteAgentException("j"));
        for (AgentException e : thrown) {
            ControlResponse response = ControlErrors.failure(42, e, true);
            assertEquals(42, response.getRequestId());
            assertFalse(response.getOk());
            AgentException back = ControlErrors.exception(response);
            assertEquals(e.getClass(), back.getClass(), response.getError().name());
            assertEquals(e.getMessage(), back.getMessage());
        }
    }

    @Test
    void failureThenException_otherExceptions_becomeRemoteAgentExceptionsWithTheirMessage() {
        // A subclass the protocol does not name travels as what it is not: a failure of the agent.
        List<RuntimeException> thrown = List.of(new IllegalArgumentException("negative"),
                new AgentException("subclass") { }, new IllegalStateException("state"));
        for (RuntimeException e : thrown) {
            ControlResponse response = ControlErrors.failure(1, e, true);
            assertEquals(ErrorCode.REMOTE_FAILURE, response.getError());
            AgentException back = ControlErrors.exception(response);
            assertEquals(RemoteAgentException.class, back.getClass());
            assertEquals(e.getMessage(), back.getMessage());
            assertTrue(response.getRemoteStack().contains(e.getClass().getName()), response.getRemoteStack());
        }
    }

    @Test
    void failure_badRequest_answersBadRequestAndThrowsAgentException() {
        ControlResponse response = ControlErrors.failure(3, new ControlErrors.BadRequest("no operation"), true);
        assertEquals(ErrorCode.BAD_REQUEST, response.getError());
        AgentException back = ControlErrors.exception(response);
        assertEquals(AgentException.class, back.getClass());
        assertEquals("no operation", back.getMessage());
    }

    @Test
    void failure_remoteAgentExceptionWithACause_showsTheCausesStack() {
        ControlResponse response = ControlErrors.failure(5, new RemoteAgentException("wrapped",
                new UnsupportedOperationException("inner")), true);
        assertTrue(response.getRemoteStack().startsWith(UnsupportedOperationException.class.getName() + ": inner"),
                response.getRemoteStack());
        assertEquals("wrapped", response.getErrorMessage());
    }

    @Test
    void failure_forACallerWhoIsNotAnAdmin_carriesNoStackAndNoListOfMethods() {
        ControlResponse failed = ControlErrors.failure(6, new RemoteAgentException("Method 'fail' threw",
                new IllegalStateException("inner")), false);
        ControlResponse unknown = ControlErrors.failure(7, new AgentMethods.UnknownMethodException(
                "Agent 'A' has no method 'x' (methods: [secretOp])", "Agent 'A' has no method 'x'"), false);

        assertEquals(ErrorCode.REMOTE_FAILURE, failed.getError());
        assertEquals("Method 'fail' threw", failed.getErrorMessage());
        assertEquals("", failed.getRemoteStack());
        assertEquals(ErrorCode.AGENT_ERROR, unknown.getError());
        assertEquals("Agent 'A' has no method 'x'", unknown.getErrorMessage());
        assertEquals("", unknown.getRemoteStack());
        AgentException back = ControlErrors.exception(unknown);
        assertEquals(AgentException.class, back.getClass());
        assertNull(back.getCause(), "no remote stack to show");
        assertTrue(ControlErrors.failure(8, new AgentMethods.UnknownMethodException("Agent 'A' has no method 'x'"
                + " (methods: [secretOp])", "Agent 'A' has no method 'x'"), true).getErrorMessage().contains("secretOp"),
                "an admin sees the methods");
    }

    @Test
    void failure_forbidden_answersForbiddenAndThrowsAgentExceptionWithTheRefusal() {
        ControlResponse response = ControlErrors.failure(9, new ControlErrors.Forbidden("refused 'kill'"), false);

        assertEquals(ErrorCode.FORBIDDEN, response.getError());
        AgentException back = ControlErrors.exception(response);
        assertEquals(AgentException.class, back.getClass());
        assertEquals("refused 'kill'", back.getMessage());
    }
}
