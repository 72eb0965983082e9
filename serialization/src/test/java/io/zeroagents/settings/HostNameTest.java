package io.zeroagents.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HostNameTest {

    @Test
    void local_hostnameVariableSet_winsWithoutALookup() {
        assertEquals(Optional.of("ns-paris"), HostName.local(" ns-paris "));
    }

    @Test
    void local_hostnameVariableUnsetOrBlank_asksTheResolver() {
        Optional<String> resolved;
        try {
            resolved = Optional.of(InetAddress.getLocalHost().getHostName());
        } catch (UnknownHostException e) {
            resolved = Optional.empty();
        }

        assertEquals(resolved, HostName.local(null));
        assertEquals(resolved, HostName.local(" "));
    }
}
