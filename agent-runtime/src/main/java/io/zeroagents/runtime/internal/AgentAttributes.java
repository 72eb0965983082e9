package io.zeroagents.runtime.internal;

import io.zeroagents.AgentException;
import io.zeroagents.BaseAgent;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * An agent's attributes: the instance fields of its class where one has the attribute's name
 * (so OOP agents read them as plain fields), a map for the rest. Thread-safe for the map; fields
 * are as safe as the agent's own code makes them, which is why unsafe calls are opt-in.
 */
final class AgentAttributes {
    private final String agentName;
    private final Object instance;
    private final Map<String, Field> fields;
    // Optional.empty() stands for a null value: ConcurrentHashMap holds no nulls.
    private final Map<String, Optional<Object>> values = new ConcurrentHashMap<>();

    AgentAttributes(String agentName, Object instance) {
        this.agentName = agentName;
        this.instance = instance;
        this.fields = fieldsOf(instance.getClass());
    }

    private static Map<String, Field> fieldsOf(Class<?> type) {
        Map<String, Field> found = new HashMap<>();
        for (Class<?> c = type; c != null && c != BaseAgent.class && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                int modifiers = field.getModifiers();
                // Final fields are attributes too: readable, and refused with a clear error when set.
                if (Modifier.isStatic(modifiers) || field.isSynthetic()) {
                    continue;
                }
                // A subclass field hides a superclass field of the same name, as in Java itself.
                if (!found.containsKey(field.getName())) {
                    field.setAccessible(true);
                    found.put(field.getName(), field);
                }
            }
        }
        return Map.copyOf(found);
    }

    void set(String name, @Nullable Object value) {
        Field field = fields.get(name);
        if (field == null) {
            values.put(name, Optional.ofNullable(value));
            return;
        }
        if (Modifier.isFinal(field.getModifiers())) {
            throw new AgentException("Attribute '" + name + "' of agent '" + agentName + "' is a final field of "
                    + field.getDeclaringClass().getName() + "; it cannot be set (change its contents, or make it"
                    + " non-final)");
        }
        try {
            field.set(instance, value);
        } catch (IllegalArgumentException e) {
            throw new AgentException("Attribute '" + name + "' of agent '" + agentName + "' is a "
                    + field.getType().getName() + " field; cannot set it to "
                    + (value == null ? "null" : "a " + value.getClass().getName()), e);
        } catch (IllegalAccessException e) {
            throw new AgentException("Attribute '" + name + "' of agent '" + agentName + "' is not writable", e);
        }
    }

    @Nullable Object get(String name) {
        Field field = fields.get(name);
        if (field == null) {
            Optional<Object> value = values.get(name);
            return value == null ? null : value.orElse(null);
        }
        try {
            return field.get(instance);
        } catch (IllegalAccessException e) {
            throw new AgentException("Attribute '" + name + "' of agent '" + agentName + "' is not readable", e);
        }
    }

    <T> @Nullable T get(String name, Class<T> type) {
        return Boxing.cast(get(name), type, "Attribute '" + name + "' of agent '" + agentName + "' is");
    }
}
