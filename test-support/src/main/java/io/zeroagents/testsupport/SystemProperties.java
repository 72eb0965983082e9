package io.zeroagents.testsupport;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Runs test code with system properties set, then puts each back as it was: the value it had
 * before, or none. System properties are global to the JVM: a test that uses this while other tests
 * may run in parallel holds JUnit's {@code SYSTEM_PROPERTIES} resource lock, so that none of them
 * sees the value.
 */
public final class SystemProperties {

    private SystemProperties() {
    }

    /**
     * Sets {@code key} to {@code value}, runs {@code code}, then restores or clears {@code key}.
     *
     * @param key   the property
     * @param value its value while {@code code} runs
     * @param code  what runs with it
     * @param <T>   what {@code code} returns
     * @return what {@code code} returned
     */
    public static <T> T with(String key, String value, Supplier<T> code) {
        return with(Map.of(key, value), code);
    }

    /**
     * Sets each of {@code properties}, runs {@code code}, then restores or clears each of them, also
     * when {@code code} throws.
     *
     * @param properties the properties and their values while {@code code} runs
     * @param code       what runs with them
     * @param <T>        what {@code code} returns
     * @return what {@code code} returned
     */
    public static <T> T with(Map<String, String> properties, Supplier<T> code) {
        Map<String, @Nullable String> before = new HashMap<>();
        try {
            properties.forEach((key, value) -> before.put(key, System.setProperty(key, value)));
            return code.get();
        } finally {
            before.forEach((key, value) -> {
                if (value == null) {
                    System.clearProperty(key);
                } else {
                    System.setProperty(key, value);
                }
            });
        }
    }

    /**
     * {@link #with(String, String, Supplier)} for code that returns nothing.
     *
     * @param key   the property
     * @param value its value while {@code code} runs
     * @param code  what runs with it
     */
    public static void run(String key, String value, Runnable code) {
        run(Map.of(key, value), code);
    }

    /**
     * {@link #with(Map, Supplier)} for code that returns nothing.
     *
     * @param properties the properties and their values while {@code code} runs
     * @param code       what runs with them
     */
    public static void run(Map<String, String> properties, Runnable code) {
        with(properties, () -> {
            code.run();
            return null;
        });
    }
}
