package io.zeroagents.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Connection limits, and how they fit a process's descriptor limit. */
class ConnectionLimitsTest {

    @Test
    void fitting_descriptorLimitFarAboveTheLimits_keepsThem() {
        ConnectionLimits limits = new ConnectionLimits(4096, 1024);

        assertSame(limits, limits.fitting(1 << 20));
    }

    @Test
    void fitting_descriptorLimitOf1024_leavesAQuarterToTheProcess() {
        assertEquals(new ConnectionLimits(768, 768), new ConnectionLimits(4096, 1024).fitting(1024));
    }

    @Test
    void fitting_descriptorLimitOf256_leavesAtLeast128ToTheProcessAndLowersThePerPeerLimit() {
        assertEquals(new ConnectionLimits(128, 64), new ConnectionLimits(4096, 64).fitting(256));
        assertEquals(new ConnectionLimits(128, 128), new ConnectionLimits(4096, 1024).fitting(256));
    }

    @Test
    void fitting_descriptorLimitBelowTheReserve_keepsOneConnection() {
        assertEquals(new ConnectionLimits(1, 1), new ConnectionLimits(4096, 1024).fitting(100));
    }

    @Test
    void fitting_unknownDescriptorLimit_keepsTheLimits() {
        ConnectionLimits limits = new ConnectionLimits(10, 5);

        assertSame(limits, limits.fitting(0));
    }

    @Test
    void constructor_limitBelowOne_throwsNamingBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ConnectionLimits(0, 5));

        assertEquals("connection limits must be at least 1, got total 0 and per peer 5", e.getMessage());
    }
}
