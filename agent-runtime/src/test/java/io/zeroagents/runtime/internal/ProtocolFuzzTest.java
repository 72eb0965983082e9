package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.zeroagents.nameserver.NameServerClient;
import io.zeroagents.nameserver.protocol.Ping;
import io.zeroagents.nameserver.protocol.Request;
import io.zeroagents.nameserver.protocol.Response;
import io.zeroagents.runtime.internal.control.ControlRequest;
import io.zeroagents.runtime.internal.control.ControlRequest.OperationCase;
import io.zeroagents.runtime.internal.control.ControlResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * Fuzz targets for the two protocols a stranger can reach over the network: a live name server
 * and a live agent host's control endpoint, each fed any multipart message from a plain DEALER.
 *
 * <p>The property: whatever arrives, the server answers the next well-formed request from the same
 * peer (it keeps serving, no hang), and everything it sends back is a well-formed response. An
 * input is {@code n} frames: its first byte gives {@code n} (1 to 4), then every frame but the last
 * is a length byte and that many bytes, and the last frame is the rest.
 *
 * <p>Control requests whose operation would open connections, stop the agent or run code on a
 * schedule are not sent: the fuzzer would otherwise make the agent connect to any address it
 * invents, and ending the agent ends what there is to fuzz.
 */
class ProtocolFuzzTest {
    private static final int ANSWER_MILLIS = 5_000;
    private static final Set<OperationCase> NOT_SENT = EnumSet.of(OperationCase.BIND, OperationCase.CONNECT,
            OperationCase.SET_LOGGER, OperationCase.KILL, OperationCase.SHUTDOWN, OperationCase.STOP,
            OperationCase.RESUME, OperationCase.CALL, OperationCase.EACH, OperationCase.AFTER, OperationCase.CLOSE,
            OperationCase.CLOSE_ALL, OperationCase.RECV, OperationCase.SEND_RECV, OperationCase.SEND,
            OperationCase.REQUEST);

    private static TestRuntime runtime;
    private static ZMQ.Socket nameServer;
    private static ZMQ.Socket control;
    private static long syncId = 1L << 40;

    @BeforeAll
    static void start() {
        runtime = new TestRuntime();
        runtime.agent("Target").setAttr("x", 1);
        nameServer = dealer(runtime.nameServer.address());
        try (NameServerClient client = new NameServerClient(runtime.nameServer.address(), Duration.ofSeconds(5))) {
            control = dealer(client.lookup("Target").getControlEndpoint());
        }
    }

    @AfterAll
    static void stop() {
        nameServer.close();
        control.close();
        runtime.close();
    }

    @FuzzTest(maxDuration = "20s")
    void nameServer_anyMessage_keepsServingWithWellFormedAnswers(byte[] input) {
        send(nameServer, frames(input));
        long id = ++syncId;
        nameServer.send(Request.newBuilder().setVersion(1).setRequestId(id).setPing(Ping.getDefaultInstance()).build()
                .toByteArray());
        while (true) {
            byte[] answer = nameServer.recv();
            if (answer == null) {
                fail("the name server stopped answering");
            }
            try {
                if (Response.parseFrom(answer).getRequestId() == id) {
                    return;
                }
            } catch (InvalidProtocolBufferException e) {
                fail("the name server sent something that is not a Response: " + e);
            }
        }
    }

    @FuzzTest(maxDuration = "20s")
    void controlEndpoint_anyMessage_keepsServingWithWellFormedAnswers(byte[] input) {
        List<byte[]> frames = frames(input);
        for (byte[] frame : frames) {
            try {
                if (NOT_SENT.contains(ControlRequest.parseFrom(frame).getOperationCase())) {
                    return;
                }
            } catch (InvalidProtocolBufferException e) {
                // not a request: send it as it is
            }
        }
        send(control, frames);
        long id = ++syncId;
        control.send(ControlRequest.newBuilder().setVersion(ControlEndpoint.VERSION).setRequestId(id).setAgent("Target")
                .setPing(io.zeroagents.runtime.internal.control.Ping.getDefaultInstance()).build().toByteArray());
        while (true) {
            byte[] answer = control.recv();
            if (answer == null) {
                fail("the control endpoint stopped answering");
            }
            try {
                ControlResponse response = ControlResponse.parseFrom(answer);
                if (response.getRequestId() == id) {
                    assertTrue(response.getOk(), "the agent no longer answers a ping: " + response);
                    return;
                }
            } catch (InvalidProtocolBufferException e) {
                fail("the control endpoint sent something that is not a ControlResponse: " + e);
            }
        }
    }

    private static ZMQ.Socket dealer(String endpoint) {
        ZMQ.Socket socket = runtime.context.createSocket(SocketType.DEALER);
        socket.setLinger(0);
        socket.setReceiveTimeOut(ANSWER_MILLIS);
        socket.setHandshakeIvl(1000);
        socket.connect(endpoint);
        return socket;
    }

    /** Splits an input into 1 to 4 frames (see the class comment). */
    static List<byte[]> frames(byte[] input) {
        List<byte[]> frames = new ArrayList<>();
        if (input.length == 0) {
            frames.add(input);
            return frames;
        }
        int count = Byte.toUnsignedInt(input[0]) % 4 + 1;
        int at = 1;
        for (int i = 1; i < count && at < input.length; i++) {
            int length = Math.min(Byte.toUnsignedInt(input[at++]), input.length - at);
            frames.add(Arrays.copyOfRange(input, at, at + length));
            at += length;
        }
        frames.add(Arrays.copyOfRange(input, Math.min(at, input.length), input.length));
        return frames;
    }

    private static void send(ZMQ.Socket socket, List<byte[]> frames) {
        for (int i = 0; i < frames.size(); i++) {
            socket.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
        }
    }
}
