package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import io.zeroagents.nameserver.NameServerClient;
import io.zeroagents.nameserver.protocol.AgentEntry;
import io.zeroagents.nameserver.protocol.Ping;
import io.zeroagents.nameserver.protocol.Register;
import io.zeroagents.nameserver.protocol.Request;
import io.zeroagents.nameserver.protocol.Response;
import io.zeroagents.nameserver.protocol.Status;
import io.zeroagents.nameserver.registry.OwnerKey;
import io.zeroagents.runtime.internal.control.Bind;
import io.zeroagents.runtime.internal.control.Close;
import io.zeroagents.runtime.internal.control.Connect;
import io.zeroagents.runtime.internal.control.ControlRequest;
import io.zeroagents.runtime.internal.control.ControlResponse;
import io.zeroagents.runtime.internal.control.Each;
import io.zeroagents.runtime.internal.control.ErrorCode;
import io.zeroagents.runtime.internal.control.GetAttr;
import io.zeroagents.runtime.internal.control.Payload;
import io.zeroagents.runtime.internal.control.Send;
import io.zeroagents.runtime.internal.control.SetAttr;
import io.zeroagents.testsupport.Await;
import io.zeroagents.testsupport.RawZmtpPeer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a stranger can send to a live name server and to an agent host's control endpoint:
 * garbage, truncated requests, wrong frame counts, unknown versions, requests their operation
 * cannot use, oversized frames and frame headers declaring huge sizes. Each is dropped and counted
 * or refused with an error answer; the server keeps serving and every correct request before,
 * between and after them is answered.
 */
@Timeout(60)
class ProtocolHostileInputTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicLong NEXT_ID = new AtomicLong();

    private final TestRuntime runtime = new TestRuntime();

    @AfterEach
    void close() {
        runtime.close();
    }

    @Test
    void nameServer_hostileRequestsBetweenValidOnes_areDroppedOrRefusedAndEveryValidOneIsServed() throws Exception {
        byte[] garbage = new byte[300];
        new Random(3).nextBytes(garbage);
        byte[] register = request(2).setRegister(Register.newBuilder().setAgent(
                AgentEntry.newBuilder().setName("Mallory").setHostId("h").setControlEndpoint("tcp://127.0.0.1:1"))).build()
                .toByteArray();
        List<byte[][]> unanswered = List.of(
                new byte[][] {garbage},
                new byte[][] {Arrays.copyOf(register, register.length - 4)},
                new byte[][] {request(3).setPing(Ping.getDefaultInstance()).build().toByteArray(), new byte[] {1}},
                new byte[][] {new byte[0], new byte[0], new byte[0], new byte[0]});
        List<byte[]> refused = List.of(
                request(4).setVersion(2).setPing(Ping.getDefaultInstance()).build().toByteArray(),
                request(5).setVersion(-1).setPing(Ping.getDefaultInstance()).build().toByteArray(),
                request(6).build().toByteArray());
        long droppedBefore = runtime.nameServer.droppedRequests();

        try (NameServerClient client = new NameServerClient(runtime.nameServer.address(), WAIT);
                RawZmtpPeer raw = RawZmtpPeer.connect(runtime.nameServer.address(), "DEALER")) {
            int served = 0;
            ByteString secret = OwnerKey.newSecret();
            for (byte[][] message : unanswered) {
                raw.sendMessage(message);
                assertEquals(runtime.nameServer.serverId(), client.ping());
                served++;
            }
            for (byte[] request : refused) {
                raw.sendMessage(request);
                Response answer = Response.parseFrom(raw.receive());
                assertEquals(Status.BAD_REQUEST, answer.getStatus(), answer.toString());
                assertEquals(Request.parseFrom(request).getRequestId(), answer.getRequestId());
                client.register(AgentEntry.newBuilder().setName("Valid" + served).setHostId("h1").build(), secret);
                served++;
            }
            raw.sendMessage(request(7).setPing(Ping.getDefaultInstance()).build().toByteArray());
            assertEquals(Status.OK, Response.parseFrom(raw.receive()).getStatus(), "the raw peer itself is still served");

            int expected = unanswered.size() + refused.size();
            Await.until(WAIT, () -> runtime.nameServer.droppedRequests() - droppedBefore == expected,
                    () -> expected + " dropped, counted " + (runtime.nameServer.droppedRequests() - droppedBefore));
            assertEquals(List.of("Valid4", "Valid5", "Valid6"), client.list().stream().map(AgentEntry::getName)
                    .filter(name -> name.startsWith("Valid")).toList());
            assertTrue(client.list().stream().noneMatch(e -> e.getName().equals("Mallory")), "a truncated register counted");
        }
    }

    @Test
    void nameServer_oversizedOrHugeDeclaredFrames_costTheirConnectionOnly() {
        try (NameServerClient client = new NameServerClient(runtime.nameServer.address(), WAIT)) {
            try (RawZmtpPeer raw = RawZmtpPeer.connect(runtime.nameServer.address(), "DEALER")) {
                raw.declare(Long.MAX_VALUE, new byte[] {1, 2});
                assertTrue(raw.closedByPeer(WAIT), "the name server kept a connection declaring a huge frame");
            }
            try (RawZmtpPeer raw = RawZmtpPeer.connect(runtime.nameServer.address(), "DEALER")) {
                boolean written = raw.trySendMessage(new byte[(1 << 20) + 1]);
                assertTrue(!written || raw.closedByPeer(WAIT), "the name server read a request over 1 MiB");
            }
            assertEquals(runtime.nameServer.serverId(), client.ping());
        }
    }

    @Test
    void controlEndpoint_hostileRequestsBetweenValidOnes_areDroppedOrRefusedAndProxiesAreServed() throws Exception {
        runtime.agent("Target").setAttr("x", 7);
        byte[] garbage = new byte[300];
        new Random(5).nextBytes(garbage);
        byte[] getAttr = getAttr("x").build().toByteArray();
        List<byte[][]> unanswered = List.of(
                new byte[][] {garbage},
                new byte[][] {Arrays.copyOf(getAttr, getAttr.length - 1)},
                new byte[][] {getAttr, getAttr},
                new byte[][] {new byte[0], new byte[0], new byte[0]});
        List<ControlRequest> refused = List.of(
                getAttr("x").setVersion(ControlEndpoint.VERSION + 1).build(),
                control().build(),
                // An operation of a later protocol version: a field this host does not know.
                control().setUnknownFields(UnknownFieldSet.newBuilder().addField(999, UnknownFieldSet.Field
                        .newBuilder().addLengthDelimited(ByteString.copyFromUtf8("format_disk")).build()).build()).build(),
                control().setBind(Bind.getDefaultInstance()).build(),
                control().setConnect(Connect.newBuilder().setAlias("alias")).build(),
                control().setClose(Close.newBuilder().setAlias("x").setLingerMs(-1)).build(),
                control().setSend(Send.newBuilder().setAlias("nowhere")).build(),
                control().setSetAttr(SetAttr.newBuilder().setName("y").setValue(Payload.newBuilder().setCodec("json")
                        .setData(ByteString.copyFromUtf8("{\"unclosed\": [")))).build(),
                control().setSetAttr(SetAttr.newBuilder().setName("y").setValue(Payload.newBuilder()
                        .setCodec("no-such-codec"))).build(),
                control().setEach(Each.newBuilder().setPeriodNanos(-5).setMethod("tick")).build(),
                control().setPing(io.zeroagents.runtime.internal.control.Ping.getDefaultInstance()).setAgent("Nobody")
                        .build());

        try (ControlEndpoint endpoint = runtime.controlEndpoint(Settings.DEFAULT_CONTROL_SPIN);
                ControlClient client = runtime.controlClient(endpoint.endpoint());
                RawZmtpPeer raw = RawZmtpPeer.connect(endpoint.endpoint(), "DEALER")) {
            int served = 0;
            for (byte[][] message : unanswered) {
                raw.sendMessage(message);
                assertEquals("7", attributeThrough(client));
                served++;
            }
            // With the host's admin token, so that each is refused for what it carries, not for who sent it.
            long[] token = ControlAccess.words(endpoint.adminToken());
            for (ControlRequest request : refused) {
                raw.sendMessage(ControlAccess.present(request.toBuilder(), token).build().toByteArray());
                ControlResponse answer = ControlResponse.parseFrom(raw.receive());
                assertFalse(answer.getOk(), request.getOperationCase() + " was carried out: " + answer);
                assertFalse(answer.getErrorMessage().isEmpty(), answer.toString());
                assertNotEquals(ErrorCode.FORBIDDEN, answer.getError(), answer.toString());
                assertEquals(request.getRequestId(), answer.getRequestId());
                assertEquals("7", attributeThrough(client));
                served++;
            }
            raw.declare(1L << 40, new byte[] {1});
            assertTrue(raw.closedByPeer(WAIT), "the control endpoint kept a connection declaring a huge frame");
            assertEquals("7", attributeThrough(client));

            int dropped = unanswered.size() + 1; // the unknown version is dropped and answered
            assertEquals(dropped, endpoint.droppedRequests());
            assertEquals(unanswered.size() + refused.size() + 1, served + 1);
        }
        assertTrue(runtime.core("Target").alive(), "the agent kept running");
    }

    @Test
    void controlEndpoint_oversizedRequest_costsItsConnectionOnly() throws Exception {
        runtime.agent("Target").setAttr("x", 7);
        try (ControlEndpoint endpoint = runtime.controlEndpoint(Duration.ZERO);
                ControlClient client = runtime.controlClient(endpoint.endpoint())) {
            try (RawZmtpPeer raw = RawZmtpPeer.connect(endpoint.endpoint(), "DEALER")) {
                boolean written = raw.trySendMessage(control().setSetAttr(SetAttr.newBuilder().setName("big")
                        .setValue(Payload.newBuilder().setCodec("raw").setData(ByteString.copyFrom(
                                new byte[(int) ControlEndpoint.maxMessageBytes(TestRuntime.MAX_FRAME_BYTES)]))))
                        .build().toByteArray());
                assertTrue(!written || raw.closedByPeer(WAIT), "the control endpoint read a request over its limit");
            }
            assertEquals("7", attributeThrough(client));
        }
    }

    private static Request.Builder request(long id) {
        return Request.newBuilder().setVersion(1).setRequestId(id);
    }

    /** A control request for agent Target without its operation, each with a request id of its own. */
    private static ControlRequest.Builder control() {
        return ControlRequest.newBuilder().setVersion(ControlEndpoint.VERSION).setRequestId(NEXT_ID.incrementAndGet())
                .setAgent("Target");
    }

    private static ControlRequest.Builder getAttr(String name) {
        return control().setGetAttr(GetAttr.newBuilder().setName(name));
    }

    private static String attributeThrough(ControlClient client) throws InvalidProtocolBufferException {
        ControlResponse response = client.call(ControlRequest.newBuilder().setAgent("Target")
                .setGetAttr(GetAttr.newBuilder().setName("x")), WAIT, "Target");
        assertTrue(response.getOk(), response.toString());
        assertNotNull(response.getValue());
        return response.getValue().getData().toString(StandardCharsets.UTF_8);
    }
}
