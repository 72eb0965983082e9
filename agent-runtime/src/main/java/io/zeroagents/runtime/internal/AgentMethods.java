package io.zeroagents.runtime.internal;

import java.lang.invoke.SerializedLambda;

import io.zeroagents.Agent;
import io.zeroagents.AgentException;
import io.zeroagents.AgentMethod;
import io.zeroagents.BaseAgent;
import io.zeroagents.RemoteAgentException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Calls an agent's methods by name: those added with {@code setMethod} first, then the public
 * methods of the agent's class. Thread-safe, so unsafe proxy calls can use it off the loop.
 *
 * <p>It also tells the framework's methods from the agent's own ({@link #callsFramework}): a
 * method of {@link BaseAgent} or {@link Object}, or one of the agent's class that overrides one,
 * operates the agent as a proxy's admin operations do ({@code shutdown}, {@code setAttr}), so the
 * control endpoint lets only admins call it by name.
 */
final class AgentMethods {
    /**
     * The signatures (name and parameter types) of every method {@link BaseAgent} and its
     * supertypes declare or inherit, public or not: what the framework declares.
     */
    private static final Set<List<Object>> FRAMEWORK_SIGNATURES = frameworkSignatures();
    /** Per agent class, the names of its public methods that the framework declares. */
    private static final ClassValue<Set<String>> FRAMEWORK_NAMES = new ClassValue<>() {
        @Override
        protected Set<String> computeValue(Class<?> type) {
            Set<String> names = new HashSet<>();
            for (Method method : type.getMethods()) {
                if (isFramework(method)) {
                    names.add(method.getName());
                }
            }
            return Set.copyOf(names);
        }
    };

    private final String agentName;
    private final Agent self;
    private final Object instance;
    private final Map<String, AgentMethod> added = new ConcurrentHashMap<>();
    /** The public methods of the agent's class, read once: getMethods() copies them on every call. */
    private final Method[] publicMethods;
    /** The names of those that the framework declares, for a check that costs a call one set lookup. */
    private final Set<String> frameworkNames;

    AgentMethods(String agentName, Agent self, Object instance) {
        this.agentName = agentName;
        this.self = self;
        this.instance = instance;
        this.publicMethods = instance.getClass().getMethods();
        this.frameworkNames = FRAMEWORK_NAMES.get(instance.getClass());
    }

    private static Set<List<Object>> frameworkSignatures() {
        Set<List<Object>> signatures = new HashSet<>();
        for (Method method : BaseAgent.class.getMethods()) {
            signatures.add(signature(method));
        }
        for (Class<?> type = BaseAgent.class; type != null; type = type.getSuperclass()) {
            for (Method method : type.getDeclaredMethods()) {
                signatures.add(signature(method));
            }
        }
        return Set.copyOf(signatures);
    }

    private static List<Object> signature(Method method) {
        return List.of(method.getName(), List.of(method.getParameterTypes()));
    }

    private static boolean isFramework(Method method) {
        return FRAMEWORK_SIGNATURES.contains(signature(method));
    }

    /**
     * Whether {@link #call} with these arguments would run a method the framework declares (or
     * one overriding it) rather than one of the agent's own or one added to it. A name no
     * framework method has, the common case, costs one set lookup.
     */
    boolean callsFramework(String name, @Nullable Object[] args) {
        if (!frameworkNames.contains(name) || added.containsKey(name)) {
            return false;
        }
        Method method = classMethod(name, args);
        return method != null && isFramework(method);
    }

    void add(String name, AgentMethod method) {
        if (name.isBlank()) {
            throw new IllegalArgumentException("Method name must not be blank");
        }
        added.put(name, method);
    }

    /**
     * Names method references after the methods they refer to (osBrain's unnamed
     * {@code set_method}). A serializable lambda tells its implementation method's name through
     * {@link SerializedLambda}; a lambda expression's is synthetic ({@code lambda$main$0}), so it
     * is refused with a message that says how to name it.
     */
    static java.util.Map<String, AgentMethod> byReferenceName(String agentName, AgentMethod... methods) {
        java.util.Map<String, AgentMethod> named = new java.util.LinkedHashMap<>();
        for (AgentMethod method : methods) {
            String name = referenceName(method);
            if (name == null || name.startsWith("lambda$")) {
                throw new IllegalArgumentException("A method added to agent '" + agentName + "' without a name must be"
                        + " a method reference such as Calc::setX; this one is a lambda, so name it with"
                        + " setMethod(\"name\", lambda)");
            }
            named.put(name, method);
        }
        return named;
    }

    private static @Nullable String referenceName(AgentMethod method) {
        try {
            java.lang.reflect.Method writeReplace = method.getClass().getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            return writeReplace.invoke(method) instanceof SerializedLambda lambda ? lambda.getImplMethodName() : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Not a lambda or method reference (a class implementing AgentMethod): it has no name to take.
            return null;
        }
    }

    @Nullable AgentMethod added(String name) {
        return added.get(name);
    }

    /** The public method of the agent's class called {@code name} that accepts {@code args}. */
    @Nullable Method classMethod(String name, @Nullable Object[] args) {
        for (Method method : publicMethods) {
            if (!method.getName().equals(name) || Modifier.isStatic(method.getModifiers())
                    || method.getParameterCount() != args.length || method.getDeclaringClass() == Object.class) {
                continue;
            }
            Class<?>[] types = method.getParameterTypes();
            boolean fits = true;
            for (int i = 0; i < types.length && fits; i++) {
                fits = Boxing.accepts(types[i], args[i]);
            }
            if (fits) {
                return method;
            }
        }
        return null;
    }

    /** The public one-parameter method called {@code name}, used as a socket handler. */
    @Nullable Method handlerMethod(String name) {
        Method withReplier = null;
        for (Method method : publicMethods) {
            if (!method.getName().equals(name) || Modifier.isStatic(method.getModifiers())
                    || method.getDeclaringClass() == Object.class) {
                continue;
            }
            if (method.getParameterCount() == 1) {
                return method;
            }
            if (method.getParameterCount() == 2 && method.getParameterTypes()[1] == io.zeroagents.Replier.class) {
                withReplier = method;
            }
        }
        // A (request, Replier) method answers through the replier, possibly early (osBrain's yield).
        return withReplier;
    }

    @Nullable Object call(String name, @Nullable Object[] args) {
        AgentMethod method = added.get(name);
        if (method != null) {
            try {
                return method.invoke(self, args);
            } catch (Exception e) {
                throw failure(name, e);
            }
        }
        Method reflected = classMethod(name, args);
        if (reflected == null) {
            String missing = "Agent '" + agentName + "' has no method '" + name + "' taking " + describe(args);
            throw new UnknownMethodException(missing + " (methods: " + names() + ")", missing);
        }
        return invoke(reflected, args);
    }

    @Nullable Object invoke(Method method, @Nullable Object... args) {
        // Public methods of a non-public agent class are reachable only through setAccessible.
        method.trySetAccessible();
        try {
            return method.invoke(instance, args);
        } catch (InvocationTargetException e) {
            throw failure(method.getName(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new AgentException("Method '" + method.getName() + "' of agent '" + agentName
                    + "' is not accessible: make its class public", e);
        }
    }

    RemoteAgentException failure(String method, Throwable cause) {
        if (cause instanceof RemoteAgentException remote) {
            return remote;
        }
        return new RemoteAgentException("Method '" + method + "' of agent '" + agentName + "' threw " + cause, cause);
    }

    private static String describe(@Nullable Object[] args) {
        return args.length + " argument" + (args.length == 1 ? "" : "s")
                + (args.length == 0 ? "" : " " + Arrays.stream(args)
                        .map(a -> a == null ? "null" : a.getClass().getSimpleName()).toList());
    }

    private TreeSet<String> names() {
        TreeSet<String> names = new TreeSet<>(added.keySet());
        for (Method method : publicMethods) {
            if (method.getDeclaringClass() != Object.class && !Modifier.isStatic(method.getModifiers())
                    && method.getDeclaringClass() != io.zeroagents.BaseAgent.class) {
                names.add(method.getName());
            }
        }
        return names;
    }

    /**
     * A call of a method the agent does not have. Its message lists the methods the agent has,
     * which only the host's admins see over the control protocol; others get
     * {@link #withoutMethods()}.
     */
    static final class UnknownMethodException extends AgentException {
        private static final long serialVersionUID = 1L;
        private final String withoutMethods;

        UnknownMethodException(String message, String withoutMethods) {
            super(message);
            this.withoutMethods = withoutMethods;
        }

        /** The message without the list of methods. */
        String withoutMethods() {
            return withoutMethods;
        }
    }
}
