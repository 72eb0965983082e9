package io.zeroagents.settings;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One {@code zeroagents.*} setting: its system property, its environment variable, how its text is
 * read ({@link ValueType}), its default and what it is for. The keys are listed in
 * {@link ZeroAgentsSettings}; a {@link ConfigSource} reads them.
 *
 * <p>The environment variable is derived from the property ({@code zeroagents.default.hwm} is
 * {@code ZEROAGENTS_DEFAULT_HWM}), so the two names of a setting can never drift apart.
 *
 * @param <T> the value's type
 */
public final class ConfigKey<T> {
    /** What every setting's property begins with. */
    public static final String PREFIX = "zeroagents.";

    private final String property;
    private final String variable;
    private final ValueType<T> type;
    private final @Nullable T defaultValue;
    private final String whenUnset;
    private final String description;

    private ConfigKey(String name, ValueType<T> type, @Nullable T defaultValue, String whenUnset, String description) {
        this.property = PREFIX + name;
        this.variable = property.toUpperCase(Locale.ROOT).replace('.', '_');
        this.type = type;
        this.defaultValue = defaultValue;
        this.whenUnset = whenUnset;
        this.description = description;
    }

    /**
     * A key with a default value.
     *
     * @param name         the property without {@code zeroagents.}, e.g. {@code default.hwm}
     * @param type         how its text is read
     * @param defaultValue what it is when unset
     * @param description  what it is for, one sentence
     * @param <T>          the value's type
     * @return the key
     */
    static <T> ConfigKey<T> of(String name, ValueType<T> type, T defaultValue, String description) {
        return new ConfigKey<>(name, type, Objects.requireNonNull(defaultValue, "defaultValue"), "", description);
    }

    /**
     * A key without a default value: unset means something else happens, which {@code whenUnset}
     * says.
     *
     * @param name        the property without {@code zeroagents.}
     * @param type        how its text is read
     * @param whenUnset   what happens when it is unset, e.g. {@code off}
     * @param description what it is for, one sentence
     * @param <T>         the value's type
     * @return the key
     */
    static <T> ConfigKey<T> optional(String name, ValueType<T> type, String whenUnset, String description) {
        return new ConfigKey<>(name, type, null, whenUnset, description);
    }

    /**
     * The system property, which wins over the environment variable.
     *
     * @return e.g. {@code zeroagents.default.hwm}
     */
    public String property() {
        return property;
    }

    /**
     * The environment variable, read when the property is unset or blank.
     *
     * @return e.g. {@code ZEROAGENTS_DEFAULT_HWM}
     */
    public String variable() {
        return variable;
    }

    /**
     * How the key's text is read.
     *
     * @return the type
     */
    public ValueType<T> type() {
        return type;
    }

    /**
     * The value when neither the property nor the variable is set.
     *
     * @return the default, empty for a key whose absence means something else
     */
    public Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /**
     * The default as the documentation writes it: the value in backquotes with its unit, such as
     * {@code `1000` ms}, or what happens when the key is unset, such as {@code off}.
     *
     * @return the documented default
     */
    public String documentedDefault() {
        if (defaultValue == null) {
            return whenUnset;
        }
        String unit = type.unit();
        return "`" + type.format(defaultValue) + "`" + (unit.isEmpty() ? "" : " " + unit);
    }

    /**
     * What the setting is for.
     *
     * @return one sentence
     */
    public String description() {
        return description;
    }

    /**
     * Reads a value of this key.
     *
     * @param value the text, which may have blanks around it
     * @return the value
     * @throws IllegalArgumentException naming the property, the variable and what they accept
     */
    public T parse(String value) {
        try {
            return type.parse(value.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Bad value '" + value + "' for " + property + " / " + variable
                    + ": must be " + type.accepted(), e);
        }
    }

    /**
     * Writes a value of this key as text {@link #parse(String)} reads back, for handing settings
     * to another process.
     *
     * @param value the value
     * @return its text
     */
    public String format(T value) {
        return type.format(value);
    }

    /**
     * Reads this key from the system properties and the environment.
     *
     * @return the value, or the default
     * @throws IllegalArgumentException when the value set is bad
     * @throws IllegalStateException    when the key has no default and is unset; use {@link #find()}
     */
    public T read() {
        return ConfigSource.system().read(this);
    }

    /**
     * Reads this key from the system properties and the environment, without its default.
     *
     * @return the value set, empty when none is
     * @throws IllegalArgumentException when the value set is bad
     */
    public Optional<T> find() {
        return ConfigSource.system().find(this);
    }

    @Override
    public String toString() {
        return property;
    }
}
