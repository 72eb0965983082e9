package io.zeroagents.testkit;

import io.zeroagents.Agents;
import io.zeroagents.NameServer;
import io.zeroagents.NameServerOptions;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that runs an embedded name server ({@link Agents#runNameServer}) per test or
 * per test class, injects it, and shuts it (and every agent registered with it) down afterwards.
 *
 * <p>Declaratively, annotate a field or parameter of type {@link NameServer} with
 * {@link EmbeddedNameServer}; the declaration chooses the lifecycle (see there). Programmatically,
 * register an instance: in a {@code static} field it runs one name server for the class, in an
 * instance field one per test, and it resolves {@link NameServer} parameters without an
 * annotation:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final NameServerExtension NS = new NameServerExtension();   // one for the class
 *
 * @Test
 * void worker_answers(NameServer ns) {           // or NS.nameServer()
 *     Proxy worker = Agents.runAgent("Worker", AgentOptions.builder().nameServer(ns.address()).build());
 *     ...
 * }
 * }</pre>
 *
 * <p>Agents started without an explicit name server register with the one started last in the
 * JVM, so tests that run concurrently should pass {@link NameServer#address()} to their agents.
 * The name servers live in JUnit's extension store, so one registered instance serves concurrent
 * tests; {@link #nameServer()} is meant for tests that run one at a time.
 *
 * @since 0.1
 */
public final class NameServerExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(NameServerExtension.class);
    private static final String KEY = "nameServer";

    private final Supplier<NameServer> start;
    /** Set when a test class holds this instance in a static field: one name server for the class. */
    private volatile boolean perClass;
    /** Set when a test instance holds this instance in a field: one name server per test. */
    private volatile boolean perTest;
    private volatile @Nullable NameServer current;

    /**
     * An extension whose name servers take a free loopback port and the default options.
     * JUnit uses this constructor for {@link EmbeddedNameServer}.
     */
    public NameServerExtension() {
        this(Agents::runNameServer);
    }

    /**
     * An extension whose name servers run with these options (a fixed port, federation peers...).
     *
     * @param options the options of every name server it starts
     */
    public NameServerExtension(NameServerOptions options) {
        this(() -> Agents.runNameServer(Objects.requireNonNull(options, "options")));
    }

    private NameServerExtension(Supplier<NameServer> start) {
        this.start = start;
    }

    /**
     * The name server this instance started last: the class's, or the running test's.
     *
     * @return the name server
     * @throws IllegalStateException outside a test of a class that registered this instance
     */
    public NameServer nameServer() {
        NameServer server = current;
        if (server == null) {
            throw new IllegalStateException("No name server is running: nameServer() answers inside the tests (or"
                    + " @BeforeAll/@BeforeEach methods) of a class that registers this NameServerExtension");
        }
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IllegalAccessException {
        Class<?> testClass = context.getRequiredTestClass();
        perClass = heldBy(testClass, null);
        if (perClass) {
            server(context);
        }
        for (Field field : annotatedFields(testClass, true)) {
            field.set(null, server(context));
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IllegalAccessException {
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            perTest |= heldBy(instance.getClass(), instance);
        }
        if (perTest && !perClass) {
            server(context);
        }
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            for (Field field : annotatedFields(instance.getClass(), false)) {
                field.set(instance, server(context));
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        shutDown(context);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IllegalAccessException {
        for (Field field : annotatedFields(context.getRequiredTestClass(), true)) {
            field.set(null, null);
        }
        shutDown(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == NameServer.class
                && (perClass || perTest || parameter.isAnnotated(EmbeddedNameServer.class));
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return server(context);
    }

    /**
     * The name server for this context, started on first use: the class's when the class has one
     * (or the context is the class's own), else the test's.
     */
    private NameServer server(ExtensionContext context) {
        ExtensionContext owner = context;
        if (context.getTestMethod().isPresent() && classWide(context)) {
            owner = context.getParent().orElse(context);
        }
        NameServer server = owner.getStore(NAMESPACE).getOrComputeIfAbsent(KEY, key -> start.get(), NameServer.class);
        current = server;
        return server;
    }

    private boolean classWide(ExtensionContext context) {
        return perClass || !perTest && !annotatedFields(context.getRequiredTestClass(), true).isEmpty();
    }

    /** Shuts down the name server this context started, if it started one. */
    private void shutDown(ExtensionContext context) {
        NameServer server = context.getStore(NAMESPACE).remove(KEY, NameServer.class);
        if (server != null) {
            if (current == server) {
                current = null;
            }
            server.shutdown();
        }
    }

    /**
     * Whether a field of the test class holds this instance: its static fields when
     * {@code instance} is null, else the instance's fields. JUnit makes the instances that
     * {@link EmbeddedNameServer} asks for itself, and no field holds those.
     */
    private boolean heldBy(Class<?> testClass, @Nullable Object instance) {
        for (Class<?> type = testClass; type != null; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) == (instance == null)
                        && field.getType() == NameServerExtension.class && field.trySetAccessible()) {
                    try {
                        if (field.get(instance) == this) {
                            return true;
                        }
                    } catch (IllegalAccessException e) {
                        // Not readable: not how a test registers it.
                    }
                }
            }
        }
        return false;
    }

    private static java.util.List<Field> annotatedFields(Class<?> testClass, boolean statics) {
        java.util.List<Field> fields = new java.util.ArrayList<>();
        for (Class<?> type = testClass; type != null; type = type.getSuperclass()) {
            Arrays.stream(type.getDeclaredFields())
                    .filter(field -> field.isAnnotationPresent(EmbeddedNameServer.class))
                    .filter(field -> Modifier.isStatic(field.getModifiers()) == statics)
                    .forEach(field -> {
                        if (field.getType() != NameServer.class || Modifier.isFinal(field.getModifiers())) {
                            throw new ExtensionConfigurationException("@EmbeddedNameServer field '" + field.getName()
                                    + "' of " + field.getDeclaringClass().getName()
                                    + " must be a non-final field of type NameServer");
                        }
                        field.setAccessible(true);
                        fields.add(field);
                    });
        }
        return fields;
    }
}
