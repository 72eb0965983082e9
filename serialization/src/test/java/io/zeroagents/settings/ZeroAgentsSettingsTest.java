package io.zeroagents.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ZeroAgentsSettingsTest {

    @Test
    void all_keys_haveOnePropertyEachAndTheVariableNamedAfterIt() {
        Set<String> seen = new HashSet<>();
        for (ConfigKey<?> key : ZeroAgentsSettings.all()) {
            assertTrue(key.property().startsWith("zeroagents."), key.property());
            assertTrue(seen.add(key.property()), "listed twice: " + key.property());
            assertEquals(key.property().toUpperCase(Locale.ROOT).replace('.', '_'), key.variable());
            assertTrue(!key.description().isBlank() && !key.documentedDefault().isBlank(), key.property());
        }
    }

    @Test
    void all_everyPublicKeyConstant_isListed() throws IllegalAccessException {
        Set<Object> constants = new HashSet<>();
        for (java.lang.reflect.Field field : ZeroAgentsSettings.class.getFields()) {
            if (field.getType() == ConfigKey.class) {
                constants.add(field.get(null));
            }
        }

        assertEquals(constants, Set.copyOf(ZeroAgentsSettings.all()));
    }
}
