package io.zeroagents.runtime.internal;

import io.zeroagents.BaseAgent;
import io.zeroagents.RemoteAgentException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Calls the protected hooks of {@link BaseAgent} ({@code onInit}, {@code beforeLoop},
 * {@code idle}). They are protected so users cannot call them through a proxy; the runtime reaches
 * them by reflection, resolved once.
 */
final class LifecycleHooks {
    private static final Method ON_INIT = hook("onInit");
    private static final Method BEFORE_LOOP = hook("beforeLoop");
    private static final Method IDLE = hook("idle");

    private LifecycleHooks() {
    }

    private static Method hook(String name) {
        try {
            Method method = BaseAgent.class.getDeclaredMethod(name);
            method.setAccessible(true);
            return method;
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static void onInit(BaseAgent agent) {
        call(ON_INIT, agent);
    }

    static void beforeLoop(BaseAgent agent) {
        call(BEFORE_LOOP, agent);
    }

    static void idle(BaseAgent agent) {
        call(IDLE, agent);
    }

    /** Whether the agent's class overrides {@code idle}, so the loop need not wake for nothing. */
    static boolean overridesIdle(Class<?> type) {
        for (Class<?> c = type; c != BaseAgent.class && c != null; c = c.getSuperclass()) {
            try {
                c.getDeclaredMethod("idle");
                return true;
            } catch (NoSuchMethodException e) {
                // keep looking up the hierarchy
            }
        }
        return false;
    }

    private static void call(Method hook, BaseAgent agent) {
        try {
            hook.invoke(agent);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new RemoteAgentException(hook.getName() + "() of agent '" + agent.name() + "' threw " + cause, cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
