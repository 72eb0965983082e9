package io.zeroagents.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SystemPropertiesTest {
    private static final String SET = "zeroagents.test.support.set";
    private static final String ABSENT = "zeroagents.test.support.absent";

    @AfterEach
    void clear() {
        System.clearProperty(SET);
        System.clearProperty(ABSENT);
    }

    @Test
    void with_propertySetBefore_seesTheNewValueThenRestoresTheOldOne() {
        System.setProperty(SET, "before");

        String seen = SystemProperties.with(SET, "during", () -> System.getProperty(SET));

        assertEquals("during", seen);
        assertEquals("before", System.getProperty(SET));
    }

    @Test
    void with_propertyAbsentBefore_clearsItAfterwards() {
        String seen = SystemProperties.with(ABSENT, "during", () -> System.getProperty(ABSENT));

        assertEquals("during", seen);
        assertNull(System.getProperty(ABSENT));
    }

    @Test
    void run_codeThrows_stillRestoresEveryProperty() {
        System.setProperty(SET, "before");

        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> SystemProperties.run(Map.of(SET, "during", ABSENT, "during"), () -> {
                    throw new IllegalStateException("failed midway");
                }));

        assertEquals("failed midway", thrown.getMessage());
        assertEquals("before", System.getProperty(SET));
        assertNull(System.getProperty(ABSENT));
    }

    @Test
    void run_severalProperties_setsEachWhileTheCodeRuns() {
        String[] seen = new String[2];

        SystemProperties.run(Map.of(SET, "one", ABSENT, "two"), () -> {
            seen[0] = System.getProperty(SET);
            seen[1] = System.getProperty(ABSENT);
        });

        assertEquals("one", seen[0]);
        assertEquals("two", seen[1]);
        assertNull(System.getProperty(SET));
        assertNull(System.getProperty(ABSENT));
    }
}
