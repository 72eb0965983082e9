package io.zeroagents.nameserver;

import java.util.function.Supplier;

/**
 * Runs test code with a system property set, then puts the property back as it was. Tests that use
 * it hold JUnit's {@code SYSTEM_PROPERTIES} resource lock, so no other test sees the value.
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
        String before = System.setProperty(key, value);
        try {
            return code.get();
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }
}
