package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.UnknownFieldSet;
import io.zeroagents.AgentAddress;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.runtime.internal.control.ControlRequest;
import io.zeroagents.runtime.internal.control.ControlRequest.OperationCase;
import io.zeroagents.runtime.internal.control.ControlResponse;
import io.zeroagents.runtime.internal.control.ErrorCode;
import io.zeroagents.runtime.internal.control.GetAttr;
import io.zeroagents.runtime.internal.control.Mode;
import io.zeroagents.testing.AgentAwait;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The host side of the control operations ({@link ControlDispatcher}): every operation of
 * control.proto reaches an operation of the agent, a request without one is refused as malformed
 * while the endpoint keeps serving, and the proxy modes do through the protocol what they do in
 * the agent's own process.
 */
@Timeout(120)
class ControlDispatcherTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final TestRuntime runtime = new TestRuntime();

    @AfterEach
    void close() {
        runtime.close();
    }

    /**
     * The compiler checks that the dispatcher's switch names every case; this checks that each
     * field of the proto's oneof is a case and reaches an operation rather than the refusal of a
     * request that carries none. Each operation goes, with its fields at their defaults, to an agent
     * of its own (some stop it).
     */
    @Test
    void handle_everyOperationOfTheOneof_reachesItsBranch() {
        ControlDispatcher dispatcher = new ControlDispatcher(runtime.host::agent, runtime.codecs, "test", 0,
                ControlAccess.open(null, "test", 0, null));
        OneofDescriptor operations = ControlRequest.getDescriptor().getOneofs().stream()
                .filter(oneof -> oneof.getName().equals("operation")).findFirst().orElseThrow();
        assertEquals(OperationCase.values().length - 1, operations.getFieldCount(), "a case without a field");
        for (FieldDescriptor field : operations.getFields()) {
            String agent = "Op" + field.getNumber();
            runtime.agent(agent);
            ControlRequest.Builder request = ControlRequest.newBuilder().setRequestId(field.getNumber()).setAgent(agent);
            ControlResponse refusal = dispatcher.handle(request.build(), null);
            assertEquals(ErrorCode.BAD_REQUEST, refusal.getError(), refusal.toString());
            request.setField(field, request.newBuilderForField(field).build());
            assertNotEquals(OperationCase.OPERATION_NOT_SET, request.getOperationCase(), field.getName());

            ControlResponse answer = dispatcher.handle(request.build(), null);

            assertEquals(field.getNumber(), answer.getRequestId(), field.getName());
            assertFalse(answer.getError() == ErrorCode.BAD_REQUEST
                            && answer.getErrorMessage().equals(refusal.getErrorMessage()),
                    field.getName() + " has no branch in the dispatcher: " + answer);
        }
    }

    @Test
    void controlEndpoint_requestWithoutOrWithUnknownOperation_answersBadRequestAndKeepsServing() {
        runtime.agent("Target").setAttr("x", 7);
        try (ControlClient client = runtime.controlClientFor("Target")) {
            ControlRequest.Builder none = ControlRequest.newBuilder().setAgent("Target");
            ControlRequest.Builder later = ControlRequest.newBuilder().setAgent("Target").setUnknownFields(
                    UnknownFieldSet.newBuilder().addField(999, UnknownFieldSet.Field.newBuilder()
                            .addLengthDelimited(ByteString.copyFromUtf8("format_disk")).build()).build());
            for (ControlRequest.Builder malformed : new ControlRequest.Builder[] {none, later}) {
                ControlResponse answer = client.call(malformed, WAIT, "Target");

                assertFalse(answer.getOk(), answer.toString());
                assertEquals(ErrorCode.BAD_REQUEST, answer.getError(), answer.toString());
                assertTrue(answer.getErrorMessage().contains("Target"), answer.getErrorMessage());
                ControlResponse served = client.call(ControlRequest.newBuilder().setAgent("Target")
                        .setGetAttr(GetAttr.newBuilder().setName("x")), WAIT, "Target");
                assertTrue(served.getOk(), served.toString());
                assertEquals(7, ((Number) new Payloads(runtime.codecs).decode(served.getValue(), Object.class)).intValue());
            }
        }
        assertTrue(runtime.core("Target").alive(), "the agent kept running");
    }

    @Test
    void remoteProxy_eachMode_runsOperationsAsALocalProxyDoes() {
        runtime.agent("Target");
        try (ControlClient client = runtime.controlClientFor("Target")) {
            Proxy safe = new RemoteProxy("Target", client, Mode.SAFE, runtime.codecs, WAIT);

            safe.unsafe().setAttrs(Map.of("a", 1));
            assertEquals(1, safe.getAttr("a", Integer.class));
            safe.setAttr("b", "two");
            assertEquals("two", safe.unsafe().getAttr("b"));
            // One-way: answered before it ran, so its result is not known yet.
            assertEquals("pong", safe.oneway().ping());
            safe.oneway().setAttr("c", 3);
            assertTrue(AgentAwait.until(() -> Integer.valueOf(3).equals(safe.getAttr("c", Integer.class)), WAIT),
                    "a one-way setAttr never ran");

            AgentAddress bound = safe.bind(Pattern.PULL, "in");
            assertEquals(bound, safe.addr("in"));
            assertEquals(Map.of("in", bound), Map.copyOf(safe.sockets()));
            assertTrue(safe.hasSocket("in"));
            safe.unsafe().close("in", Duration.ZERO);
            assertFalse(safe.hasSocket("in"));
            assertTrue(safe.isRunning());
        }
    }
}
