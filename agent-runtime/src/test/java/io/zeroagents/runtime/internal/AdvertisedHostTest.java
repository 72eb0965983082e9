package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AdvertisedHostTest {

    @Test
    void advertise_wildcardWithConfiguredHost_usesIt() {
        assertEquals("tcp://10.1.2.3:5555", AdvertisedHost.advertise("tcp://0.0.0.0:5555", "10.1.2.3"));
        assertEquals("tcp://node-7:5555", AdvertisedHost.advertise("tcp://*:5555", "node-7"));
        assertEquals("tcp://10.1.2.3:5555", AdvertisedHost.advertise("tcp://[::]:5555", "10.1.2.3"));
    }

    @Test
    void advertise_specificHostOrOtherTransport_isLeftAsBound() {
        assertEquals("tcp://127.0.0.1:5555", AdvertisedHost.advertise("tcp://127.0.0.1:5555", "10.1.2.3"));
        assertEquals("inproc://a/b/1", AdvertisedHost.advertise("inproc://a/b/1", "10.1.2.3"));
        assertEquals("ipc:///tmp/x", AdvertisedHost.advertise("ipc:///tmp/x", null));
    }

    @Test
    void advertise_wildcardWithoutConfiguredHost_detectsAConnectableHost() {
        String advertised = AdvertisedHost.advertise("tcp://0.0.0.0:5555", null);
        String host = advertised.substring("tcp://".length(), advertised.lastIndexOf(':'));
        assertFalse(AdvertisedHost.isWildcard(host), advertised);
        assertTrue(advertised.endsWith(":5555"), advertised);
    }
}
