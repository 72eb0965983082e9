package io.zeroagents.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zeroagents.AgentAddress;
import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.BindOptions;
import io.zeroagents.Codec;
import io.zeroagents.NameServer;
import io.zeroagents.Pattern;
import io.zeroagents.Proxy;
import io.zeroagents.Transport;
import io.zeroagents.it.support.AgentProcesses;
import io.zeroagents.it.support.Inbox;
import io.zeroagents.testkit.NameServerExtension;
import io.zeroagents.testsupport.ChildProcess;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
class TransportAndDefaultsTest {
    @RegisterExtension
    final NameServerExtension ns = new NameServerExtension();

    /** Binds with the global defaults and prints the address. */
    public static final class DefaultsProgram {
        public static void main(String[] args) {
            NameServer nameServer = Agents.runNameServer();
            AgentAddress addr = Agents.runAgent("Probe").bind(Pattern.PUSH, "main");
            System.out.println("ADDRESS: " + addr.endpoint() + " CODEC: " + addr.codec());
            nameServer.shutdown();
        }
    }

    /** Runs an agent on the name server named by the global default, and lists that name server's agents. */
    public static final class DefaultNameServerProgram {
        public static void main(String[] args) {
            Proxy agent = Agents.runAgent("FromChild");
            System.out.println("AGENTS: " + Agents.nameServer(System.getProperty("zeroagents.nameserver")).agents());
            agent.shutdown();
        }
    }

    @Test
    void defaults_nameServerProperty_registersAgentOfAnotherProcessThere() throws Exception {
        ChildProcess.Result result = ChildProcess.run(DefaultNameServerProgram.class,
                List.of("-Dzeroagents.nameserver=" + ns.nameServer().address()), Map.of(), entry -> true);

        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("AGENTS: [FromChild]"), result.output());
        assertEquals(List.of(), ns.nameServer().agents());
    }

    @Test
    void bind_defaultTransport_isTcpOnLoopbackWithRealPort() {
        AgentAddress addr = Agents.runAgent("Alice").bind(Pattern.PUSH, "main");

        assertTrue(addr.endpoint().matches("tcp://127\\.0\\.0\\.1:\\d+"), addr.endpoint());
        assertEquals(Transport.TCP, addr.transport());
        assertEquals(Codec.AUTO, addr.codec());
    }

    @Test
    void bind_agentOptionInproc_isOverriddenPerBind() {
        Proxy agent = Agents.runAgent("Alice", AgentOptions.builder().transport(Transport.INPROC).build());

        AgentAddress inproc = agent.bind(Pattern.PUSH, "fast");
        AgentAddress tcp = agent.bind(Pattern.PUSH, "far", BindOptions.builder().transport(Transport.TCP).build());

        assertEquals(Transport.INPROC, inproc.transport());
        assertEquals(Transport.TCP, tcp.transport());
    }

    @Test
    void send_overInproc_reachesAgentOfSameJvm() {
        Proxy alice = Agents.runAgent("Alice");
        AgentAddress addr = alice.bind(Pattern.PUSH, "main", BindOptions.builder().transport(Transport.INPROC).build());
        Inbox<String> inbox = new Inbox<>();
        Agents.runAgent("Bob").connect(addr, "main", String.class, (agent, msg) -> inbox.add(msg));

        alice.send("main", "in process");

        assertEquals(List.of("in process"), inbox.await(1));
    }

    @Test
    void send_givenAddressAndJsonCodec_usesBoth() {
        Proxy alice = Agents.runAgent("Alice", AgentOptions.builder().codec(Codec.JSON).build());
        AgentAddress addr = alice.bind(Pattern.PUSH, "main",
                BindOptions.builder().address("tcp://127.0.0.1:*").build());
        Inbox<Map<String, Object>> inbox = new Inbox<>();
        Agents.runAgent("Bob").connect(addr, "main", Object.class, (agent, msg) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) msg;
            inbox.add(map);
        });

        alice.send("main", Map.of("k", 1));

        assertEquals(Codec.JSON, addr.codec());
        assertEquals(List.of(Map.of("k", 1)), inbox.await(1));
    }

    @Test
    void defaults_fromSystemProperties_applyToEveryAgent() throws Exception {
        ChildProcess.Result result = ChildProcess.run(DefaultsProgram.class,
                List.of("-Dzeroagents.default.transport=inproc", "-Dzeroagents.default.codec=json"), Map.of(),
                entry -> true);

        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("ADDRESS: inproc://") && result.output().contains("CODEC: json"),
                result.output());
    }

    @Test
    void defaults_fromEnvironment_applyWhenNoPropertyIsSet() throws Exception {
        ChildProcess.Result result = ChildProcess.run(DefaultsProgram.class, List.of(),
                Map.of("ZEROAGENTS_DEFAULT_CODEC", "string"), entry -> true);

        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("CODEC: string"), result.output());
    }

    @Test
    void bind_hostName_isResolvedAndAdvertisedAsAnAddress() {
        Proxy server = Agents.runAgent("Server");
        AgentAddress addr = server.bind(Pattern.PULL, "in", BindOptions.builder().address("localhost").build());
        assertTrue(addr.endpoint().matches("tcp://127\\.0\\.0\\.1:\\d+"), addr.endpoint());
        Inbox<String> inbox = new Inbox<>();
        server.close("in");
        io.zeroagents.it.support.Rebind.whenFree(server, Pattern.PULL, "named",
                addr.endpoint().replace("127.0.0.1", "localhost"),
                io.zeroagents.SocketHandler.onMessage(String.class, (agent, msg) -> inbox.add(msg)));
        Proxy client = Agents.runAgent("Client");
        client.connect(new AgentAddress(addr.endpoint().replace("127.0.0.1", "localhost"), Pattern.PULL, addr.codec()),
                "out");
        client.send("out", "by name");
        assertEquals(List.of("by name"), inbox.await(1));
    }

    @Test
    void bind_wildcardHost_advertisesAnAddressPeersCanConnectTo() throws Exception {
        // Plain text beyond loopback is refused unless a JVM consents: the server runs in one that does.
        try (ChildProcess server = ChildProcess.main("server", AgentProcesses.TcpBinder.class,
                List.of("-Dzeroagents.nameserver=" + ns.nameServer().address(), "-Dzeroagents.insecure.no.curve=true"),
                "Server", "*")) {
            String bound = server.awaitLine("BOUND ").substring("BOUND ".length());
            AgentAddress addr = Agents.nameServer(ns.nameServer().address()).addr("Server", "in");
            assertTrue(!addr.endpoint().contains("*") && !addr.endpoint().contains("0.0.0.0"), addr.endpoint());
            assertEquals(bound, addr.endpoint());
            Proxy client = Agents.runAgent("Client");
            client.connect(addr, "out");
            client.send("out", "over the advertised address");
            server.awaitLine("RECEIVED over the advertised address");
            // The agent of the other JVM leaves now, not when its lease runs out after the kill.
            ns.nameServer().shutdownAgents();
        }
    }
}
