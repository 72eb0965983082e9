package io.zeroagents.settings;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The one reader of settings: the system property of a {@link ConfigKey} if set, else its
 * environment variable, else its default. A blank value counts as unset, so
 * {@code -Dzeroagents.x=} does not hide the variable. Values are trimmed before they are parsed.
 *
 * <p>{@link #system()} reads the JVM's properties and environment afresh on every call, so a value
 * is whatever it is when the reader asks; tests read from maps with {@link #of}.
 */
public final class ConfigSource {
    private static final ConfigSource SYSTEM = new ConfigSource(System::getProperty, System::getenv);

    private final Function<String, @Nullable String> properties;
    private final Function<String, @Nullable String> environment;

    private ConfigSource(Function<String, @Nullable String> properties,
                         Function<String, @Nullable String> environment) {
        this.properties = properties;
        this.environment = environment;
    }

    /**
     * The JVM's system properties and environment variables.
     *
     * @return the source
     */
    public static ConfigSource system() {
        return SYSTEM;
    }

    /**
     * A source over a property lookup and an environment map, for tests and for settings handed
     * over from another process.
     *
     * @param properties  a property's value by name, null when unset
     * @param environment the environment variables
     * @return the source
     */
    public static ConfigSource of(Function<String, @Nullable String> properties, Map<String, String> environment) {
        return new ConfigSource(properties, environment::get);
    }

    /**
     * Reads a key, falling back to its default.
     *
     * @param key the key
     * @param <T> its value's type
     * @return the value set, or the default
     * @throws IllegalArgumentException naming the property, the variable and what they accept, when
     *                                  the value set is bad
     * @throws IllegalStateException    when the key has no default and is unset; use {@link #find}
     */
    public <T> T read(ConfigKey<T> key) {
        return find(key).or(key::defaultValue).orElseThrow(() -> new IllegalStateException(
                key.property() + " has no default; read it with find"));
    }

    /**
     * Reads a key, without its default.
     *
     * @param key the key
     * @param <T> its value's type
     * @return the value set, empty when neither the property nor the variable is
     * @throws IllegalArgumentException naming the property, the variable and what they accept, when
     *                                  the value set is bad
     */
    public <T> Optional<T> find(ConfigKey<T> key) {
        String value = properties.apply(key.property());
        if (value == null || value.isBlank()) {
            value = environment.apply(key.variable());
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(key.parse(value));
    }
}
