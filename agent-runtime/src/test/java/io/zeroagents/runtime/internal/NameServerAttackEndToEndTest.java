package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.zeroagents.Proxy;
import io.zeroagents.nameserver.NameServerClient;
import io.zeroagents.nameserver.protocol.AgentEntry;
import io.zeroagents.nameserver.protocol.Evict;
import io.zeroagents.nameserver.protocol.Heartbeat;
import io.zeroagents.nameserver.protocol.ListAgents;
import io.zeroagents.nameserver.protocol.Register;
import io.zeroagents.nameserver.protocol.Request;
import io.zeroagents.nameserver.protocol.Response;
import io.zeroagents.nameserver.protocol.Shutdown;
import io.zeroagents.nameserver.protocol.Status;
import io.zeroagents.nameserver.protocol.StopAgents;
import io.zeroagents.nameserver.protocol.Unregister;
import io.zeroagents.nameserver.registry.OwnerKey;
import io.zeroagents.testsupport.Await;
import io.zeroagents.testsupport.RawZmtpPeer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real agent host and its agent against someone who reaches the name-server port with a raw ZMTP
 * peer and knows everything the port tells anyone: every attack is refused, the agent runs on under
 * its own entry through many heartbeats, and the name server keeps serving; then the legitimate
 * admin, with the name server's token, stops the agent.
 */
@Timeout(60)
class NameServerAttackEndToEndTest {
    private static final AtomicLong IDS = new AtomicLong(1);

    private static Response send(RawZmtpPeer attacker, Request.Builder request) throws InvalidProtocolBufferException {
        long id = IDS.incrementAndGet();
        attacker.sendMessage(request.setVersion(1).setRequestId(id).build().toByteArray());
        while (true) {
            byte[] answer = attacker.receive();
            assertNotNull(answer, "the name server did not answer " + request.getBodyCase());
            Response response = Response.parseFrom(answer);
            if (response.getRequestId() == id) {
                return response;
            }
        }
    }

    @Test
    void everyAttack_refused_andTheRealAgentRunsOnUntilTheAdminStopsIt() throws Exception {
        try (TestRuntime runtime = new TestRuntime(Map.of("zeroagents.heartbeat", "100"));
             RawZmtpPeer attacker = RawZmtpPeer.connect(runtime.nameServer.address(), "DEALER");
             NameServerClient names = new NameServerClient(runtime.nameServer.address(), Duration.ofSeconds(5))) {
            Proxy alice = runtime.agent("Alice");
            AgentEntry real = names.lookup("Alice");
            ByteString attackerSecret = OwnerKey.newSecret();

            AgentEntry read = send(attacker, Request.newBuilder().setList(ListAgents.getDefaultInstance()))
                    .getAgents().getAgents(0);
            assertEquals(real.getHostId(), read.getHostId(), "anyone reads the host id; it authorizes nothing");
            List<Response> answers = List.of(
                    send(attacker, Request.newBuilder().setRegister(Register.newBuilder().setHostSecret(attackerSecret)
                            .setAgent(read.toBuilder().setControlEndpoint("tcp://203.0.113.66:6666")))),
                    send(attacker, Request.newBuilder().setUnregister(Unregister.newBuilder().setName("Alice")
                            .setHostId(read.getHostId()).setHostSecret(attackerSecret))),
                    send(attacker, Request.newBuilder().setStopAgents(StopAgents.getDefaultInstance())),
                    send(attacker, Request.newBuilder().setEvict(Evict.newBuilder().setName("Alice"))),
                    send(attacker, Request.newBuilder().setShutdown(Shutdown.getDefaultInstance())),
                    send(attacker, Request.newBuilder().setHeartbeat(Heartbeat.newBuilder().setHostId(read.getHostId())
                            .setHostSecret(attackerSecret).addNames("Alice"))));

            assertEquals(List.of(Status.DUPLICATE_NAME, Status.NOT_OWNER, Status.FORBIDDEN, Status.FORBIDDEN,
                    Status.FORBIDDEN, Status.OK), answers.stream().map(Response::getStatus).toList(), answers.toString());
            assertEquals(List.of("Alice"), answers.get(5).getHeartbeat().getUnknownNamesList());
            assertEquals(5, runtime.nameServer.refusedRequests());
            // Many heartbeats later the agent still runs, under its own entry, and answers.
            Await.pause(Duration.ofMillis(800));
            assertTrue(alice.isRunning());
            assertEquals(real.getControlEndpoint(), names.lookup("Alice").getControlEndpoint());
            assertEquals("pong", alice.ping());

            names.stopAgents(List.of("Alice"), runtime.nameServer.adminToken());
            Await.until(Duration.ofSeconds(10), () -> !alice.isRunning() && names.list().isEmpty(),
                    "the admin's stop to reach Alice's host, which stops and unregisters her");
        }
    }
}
