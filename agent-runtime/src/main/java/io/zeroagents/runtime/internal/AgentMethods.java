package io.zeroagents.runtime.internal;

import java.lang.invoke.SerializedLambda;

import io.zeroagents.Agent;
import io.zeroagents.AgentException;
import io.zeroagents.AgentMethod;
import io.zeroagents.RemoteAgentException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Calls an agent's methods by name: those added with {@code setMethod} first, then the public
 * methods of the agent's class. Thread-safe, so unsafe proxy calls can use it off the loop.
 */
final class AgentMethods {
    private final String agentName;
    private final Agent self;
    private final Object instance;
    private final Map<String, AgentMethod> added = new ConcurrentHashMap<>();
    /** The public methods of the agent's class, read once: getMethods() copies them on every call. */
    private final Method[] publicMethods;

    AgentMethods(String agentName, Agent self, Object instance) {
        this.agentName = agentName;
        this.self = self;
        this.instance = instance;
        this.publicMethods = instance.getClass().getMethods();
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
            throw new AgentException("Agent '" + agentName + "' has no method '" + name + "' taking "
                    + describe(args) + " (methods: " + names() + ")");
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
}
