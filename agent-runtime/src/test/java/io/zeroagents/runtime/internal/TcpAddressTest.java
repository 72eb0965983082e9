package io.zeroagents.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link TcpAddress}: ZeroMQ tcp addresses taken apart and put back together. */
class TcpAddressTest {

    @Test
    void parse_hostAndPort_givesBoth() {
        assertEquals(new TcpAddress("example.org", "5051"), TcpAddress.parse("tcp://example.org:5051"));
    }

    @Test
    void parse_portStar_keepsTheStar() {
        assertEquals(new TcpAddress("127.0.0.1", "*"), TcpAddress.parse("tcp://127.0.0.1:*"));
    }

    @Test
    void parse_bracketedIpv6_givesTheBareAddressAndPrintsItBracketed() {
        TcpAddress address = TcpAddress.parse("tcp://[::1]:7000");

        assertEquals("::1", address.host());
        assertEquals("tcp://[::1]:7000", address.toString());
    }

    @Test
    void parse_noPort_hasNone() {
        assertEquals(new TcpAddress("192.168.10.24", null), TcpAddress.parse("tcp://192.168.10.24"));
    }

    @Test
    void parse_otherTransportOrNoHost_isRefusedNamingTheAddress() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TcpAddress.parse("ipc://x"));
        assertTrue(e.getMessage().contains("ipc://x"));
        assertThrows(IllegalArgumentException.class, () -> TcpAddress.parse("tcp://:5000"));
        assertThrows(IllegalArgumentException.class, () -> TcpAddress.parse("tcp://host:port"));
    }

    @Test
    void wildcardAndLiteral_tellHostsApart() {
        assertTrue(TcpAddress.parse("tcp://*:1").wildcard());
        assertTrue(TcpAddress.parse("tcp://0.0.0.0:1").wildcard());
        assertTrue(TcpAddress.parse("tcp://10.0.0.1:1").literal());
        assertFalse(TcpAddress.parse("tcp://localhost:1").literal());
    }

    @Test
    void resolved_hostName_becomesItsAddressAndLiteralsStay() throws Exception {
        assertTrue(TcpAddress.parse("tcp://localhost:*").resolved().literal());
        assertEquals(TcpAddress.parse("tcp://10.0.0.1:5"), TcpAddress.parse("tcp://10.0.0.1:5").resolved());
    }
}
