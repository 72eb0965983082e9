package io.zeroagents.runtime.internal;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The wrapper class of each primitive type, for matching values against declared types. */
final class Boxing {
    private static final Map<Class<?>, Class<?>> WRAPPERS = Map.of(
            boolean.class, Boolean.class, byte.class, Byte.class, char.class, Character.class,
            short.class, Short.class, int.class, Integer.class, long.class, Long.class,
            float.class, Float.class, double.class, Double.class, void.class, Void.class);

    private Boxing() {
    }

    static Class<?> box(Class<?> type) {
        return type.isPrimitive() ? WRAPPERS.get(type) : type;
    }

    /** Whether {@code value} can be passed for a parameter of {@code type}. */
    static boolean accepts(Class<?> type, Object value) {
        return value == null ? !type.isPrimitive() : box(type).isInstance(value);
    }

    /**
     * A method's result as {@code resultType}; {@code null} for a void or null result. A
     * {@link ClassCastException} names the method and the agent whose method it is.
     */
    static <T> @Nullable T castResult(String agent, String method, Class<T> resultType, @Nullable Object result) {
        if (resultType == void.class || resultType == Void.class) {
            return null;
        }
        return cast(result, resultType, "Method '" + method + "' of agent '" + agent + "' returned");
    }

    /**
     * {@code value} as {@code type} (a primitive type takes its wrapper's values); {@code null} for
     * {@code null}. A {@link ClassCastException} begins with {@code described}, e.g. "Attribute 'x'
     * of agent 'Alice' is", and names both types.
     */
    static <T> @Nullable T cast(@Nullable Object value, Class<T> type, String described) {
        if (value == null) {
            return null;
        }
        Class<?> boxed = box(type);
        if (!boxed.isInstance(value)) {
            throw new ClassCastException(described + " a " + value.getClass().getName() + ", not a " + type.getName());
        }
        @SuppressWarnings("unchecked")
        T cast = (T) boxed.cast(value);
        return cast;
    }
}
