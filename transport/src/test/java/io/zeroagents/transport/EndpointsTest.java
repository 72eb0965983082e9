package io.zeroagents.transport;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which binds other machines may reach, and so need CURVE. */
class EndpointsTest {

    @ParameterizedTest
    @ValueSource(strings = {"tcp://127.0.0.1:9091", "tcp://127.0.0.1:*", "tcp://127.1.2.3:5555", "tcp://[::1]:5555",
            "tcp://::1:5555", "tcp://localhost:5555", "TCP://LOCALHOST:*", "inproc://agent/alias/1", "ipc://*",
            "ipc:///tmp/zeroagents.sock"})
    void isReachableFromOtherMachines_loopbackInprocOrIpc_isFalse(String endpoint) {
        assertFalse(Endpoints.isReachableFromOtherMachines(endpoint), endpoint);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp://0.0.0.0:9091", "tcp://*:9091", "tcp://*:*", "tcp://[::]:5555", "tcp://:5555",
            "tcp://10.0.0.5:9091", "tcp://192.168.1.20:*", "tcp://[fe80::1]:5555", "tcp://no-such-host.invalid:5555",
            "pgm://eth0;239.192.1.1:5555", "tcp://127.0.0.1;10.0.0.5:5555"})
    void isReachableFromOtherMachines_wildcardOtherAddressUnresolvedOrOtherTransport_isTrue(String endpoint) {
        assertTrue(Endpoints.isReachableFromOtherMachines(endpoint), endpoint);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp://no-port", "tcp://"})
    void isReachableFromOtherMachines_tcpWithoutPort_isLeftToTheBindToRefuse(String endpoint) {
        assertFalse(Endpoints.isReachableFromOtherMachines(endpoint), endpoint);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp://127.0.0.1:9091", "tcp://[::1]:5555", "tcp://localhost:5555", "ipc://*",
            "inproc://agent/alias/1"})
    void isOnThisMachine_loopbackIpcOrInproc_isTrue(String endpoint) {
        assertTrue(Endpoints.isOnThisMachine(endpoint), endpoint);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp://192.0.2.7:9091", "tcp://*:9091", "tcp://no-such-host.invalid:5555",
            "pgm://eth0;239.192.1.1:5555"})
    void isOnThisMachine_otherAddressWildcardUnresolvedOrOtherTransport_isFalse(String endpoint) {
        assertFalse(Endpoints.isOnThisMachine(endpoint), endpoint);
    }

    @org.junit.jupiter.api.Test
    void isOnThisMachine_anAddressOfThisMachinesInterfaces_isTrue() throws Exception {
        java.util.Optional<java.net.InetAddress> own = java.net.NetworkInterface.networkInterfaces()
                .flatMap(java.net.NetworkInterface::inetAddresses)
                .filter(address -> address instanceof java.net.Inet4Address && !address.isLoopbackAddress())
                .findFirst();
        org.junit.jupiter.api.Assumptions.assumeTrue(own.isPresent(), "no IPv4 interface besides loopback");

        assertTrue(Endpoints.isOnThisMachine("tcp://" + own.get().getHostAddress() + ":9091"));
    }
}
