package io.zeroagents.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.zeroagents.AgentOptions;
import io.zeroagents.Agents;
import io.zeroagents.NameServer;
import io.zeroagents.Proxy;
import io.zeroagents.testsupport.Await;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs small test classes (the fixtures below) through JUnit with the extension, and checks which
 * name servers their tests got and that each was shut down after its test or class.
 */
@Timeout(60)
class NameServerExtensionTest {
    /** The addresses the fixtures' tests saw, in the order they ran. */
    static final List<String> SEEN = new CopyOnWriteArrayList<>();

    @Test
    void instanceField_eachTestGetsItsOwnNameServer_shutDownAfterIt() {
        List<String> seen = run(PerTestField.class);
        assertEquals(2, seen.size(), seen.toString());
        assertNotEquals(seen.get(0), seen.get(1), "each test has a name server of its own");
        seen.forEach(NameServerExtensionTest::assertShutDown);
    }

    @Test
    void staticField_oneNameServerForTheClass_alsoInjectedIntoParameters_shutDownAfterIt() {
        List<String> seen = run(PerClassField.class);
        assertEquals(4, seen.size(), seen.toString());
        assertEquals(1, seen.stream().distinct().count(), "one name server for the class: " + seen);
        assertShutDown(seen.get(0));
    }

    @Test
    void annotatedParameter_withoutFields_isTheTestsOwn() {
        List<String> seen = run(PerTestParameter.class);
        assertEquals(2, seen.size(), seen.toString());
        assertNotEquals(seen.get(0), seen.get(1));
        seen.forEach(NameServerExtensionTest::assertShutDown);
    }

    @Test
    void registeredInStaticField_oneForTheClass_resolvesPlainParameters() {
        List<String> seen = run(RegisteredStatic.class);
        assertEquals(4, seen.size(), seen.toString());
        assertEquals(1, seen.stream().distinct().count(), seen.toString());
        assertShutDown(seen.get(0));
    }

    @Test
    void registeredInInstanceField_oneForEachTest_agentsRegisterWithIt() {
        List<String> seen = run(RegisteredPerTest.class);
        assertEquals(4, seen.size(), seen.toString());
        assertEquals(seen.get(0), seen.get(1), "parameter and accessor agree within a test");
        assertNotEquals(seen.get(0), seen.get(2));
        seen.forEach(NameServerExtensionTest::assertShutDown);
    }

    private static List<String> run(Class<?> fixture) {
        SEEN.clear();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(fixture))
                .build(), listener);
        TestExecutionSummary summary = listener.getSummary();
        summary.getFailures().forEach(failure -> failure.getException().printStackTrace());
        assertEquals(0, summary.getTotalFailureCount(), () -> fixture.getSimpleName() + " failed: "
                + summary.getFailures().stream().map(f -> f.getException().toString()).toList());
        assertEquals(2, summary.getTestsSucceededCount(), fixture.getSimpleName());
        return List.copyOf(SEEN);
    }

    /** A name server that was shut down frees its port. */
    private static void assertShutDown(String address) {
        int port = URI.create(address).getPort();
        Await.until(() -> {
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return socket.isBound();
            } catch (IOException e) {
                return false;
            }
        }, "the name server at " + address + " shut down");
    }

    static class PerTestField {
        @EmbeddedNameServer
        NameServer ns;

        @Test
        void first() {
            SEEN.add(ns.address());
        }

        @Test
        void second() {
            SEEN.add(ns.address());
        }
    }

    static class PerClassField {
        @EmbeddedNameServer
        static NameServer ns;

        @BeforeAll
        static void before(@EmbeddedNameServer NameServer fromParameter) {
            assertSame(ns, fromParameter);
        }

        @Test
        void first(@EmbeddedNameServer NameServer fromParameter) {
            SEEN.add(ns.address());
            SEEN.add(fromParameter.address());
        }

        @Test
        void second() {
            SEEN.add(ns.address());
            SEEN.add(ns.address());
        }
    }

    static class PerTestParameter {
        @Test
        void first(@EmbeddedNameServer NameServer ns) {
            SEEN.add(ns.address());
        }

        @Test
        void second(@EmbeddedNameServer NameServer ns) {
            SEEN.add(ns.address());
        }
    }

    static class RegisteredStatic {
        @RegisterExtension
        static final NameServerExtension NS = new NameServerExtension();

        @Test
        void first(NameServer ns) {
            SEEN.add(ns.address());
            SEEN.add(NS.nameServer().address());
        }

        @Test
        void second(NameServer ns) {
            SEEN.add(ns.address());
            SEEN.add(NS.nameServer().address());
        }
    }

    static class RegisteredPerTest {
        @RegisterExtension
        final NameServerExtension extension = new NameServerExtension();
        NameServer fromBeforeEach;

        @BeforeEach
        void before(NameServer ns) {
            fromBeforeEach = ns;
        }

        @Test
        void first(NameServer ns) {
            assertSame(fromBeforeEach, ns);
            Proxy agent = Agents.runAgent("Worker", AgentOptions.builder().nameServer(ns.address()).build());
            assertEquals(List.of("Worker"), ns.agents());
            SEEN.add(ns.address());
            SEEN.add(extension.nameServer().address());
            agent.ping();
        }

        @Test
        void second(NameServer ns) {
            assertEquals(List.of(), ns.agents(), "the first test's agent went with its name server");
            SEEN.add(ns.address());
            SEEN.add(extension.nameServer().address());
        }
    }
}
