package io.zeroagents.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.junit.jupiter.api.Test;

/** {@link DropLog}: a line per peer per interval, the rest counted into the peer's next line. */
class DropLogTest {
    private static final Duration INTERVAL = Duration.ofSeconds(10);

    private final AtomicLong now = new AtomicLong();
    private final DropLog log = new DropLog(LogManager.getLogger(DropLogTest.class), INTERVAL, now::get);

    @Test
    void admit_manyDropsOfOnePeerInAnInterval_admitsTheFirstAndCountsTheRestIntoTheNext() {
        assertEquals(0, log.admit("10.0.0.1"));
        for (int i = 0; i < 1_000; i++) {
            assertEquals(-1, log.admit("10.0.0.1"));
        }
        now.addAndGet(INTERVAL.toNanos());

        assertEquals(1_000, log.admit("10.0.0.1"), "the next line says how many were not logged");
        assertEquals(-1, log.admit("10.0.0.1"));
    }

    @Test
    void warn_twoPeers_eachGetsALineOfItsOwn() {
        assertTrue(log.warn("10.0.0.1", "dropped {}", "a"));
        assertTrue(log.warn("10.0.0.2", "dropped {}", "b"));
        assertFalse(log.warn("10.0.0.1", "dropped {}", "c"));
    }

    @Test
    void admit_morePeersThanRemembered_theOthersShareALine() {
        for (int i = 0; i < DropLog.MAX_PEERS; i++) {
            assertEquals(0, log.admit("peer " + i));
        }
        int admitted = 0;
        for (int i = 0; i < 10_000; i++) {
            if (log.admit("stranger " + i) >= 0) {
                admitted++;
            }
        }

        assertEquals(1, admitted, "peers beyond those remembered cost one line per interval together");
    }

    @Test
    void admit_peersQuietForAnInterval_areForgottenForNewOnes() {
        for (int i = 0; i < DropLog.MAX_PEERS; i++) {
            log.admit("peer " + i);
        }
        now.addAndGet(INTERVAL.toNanos());

        assertEquals(0, log.admit("newcomer"));
        assertEquals(0, log.admit("another newcomer"), "the quiet peers made room");
    }
}
