package io.zeroagents.runtime.internal;

import java.lang.reflect.Method;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * The typed view behind {@code Proxy.as(type)}: a JDK dynamic proxy whose interface methods become
 * calls by name, for local and remote proxies alike.
 */
final class TypedProxy {
    private TypedProxy() {
    }

    /**
     * Creates the view.
     *
     * @param type  an interface
     * @param label what {@code toString} shows
     * @param call  makes the call: the interface method and its arguments (never null) to a result
     */
    static <T> T create(Class<T> type, String label, BiFunction<Method, Object[], @Nullable Object> call) {
        if (!type.isInterface()) {
            throw new IllegalArgumentException("Typed proxies need an interface, got " + type.getName());
        }
        return type.cast(java.lang.reflect.Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return switch (method.getName()) {
                            case "toString" -> label;
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> args != null && proxy == args[0];
                            default -> throw new UnsupportedOperationException(method.getName());
                        };
                    }
                    return call.apply(method, args == null ? new Object[0] : args);
                }));
    }
}
