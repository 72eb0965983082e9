package io.zeroagents.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SequenceLedgerTest {
    @Test
    void delivered_messagesOutOfOrderAcrossPhases_countedInThePhaseOfTheirNumber() {
        SequenceLedger ledger = new SequenceLedger();
        for (long sequence : new long[] {0, 2, 1, 5, 3, 4, 9}) {
            ledger.record(sequence);
        }

        // Phases [0, 3), [3, 6), [6, 10): the last lost 6, 7 and 8.
        assertEquals(3, ledger.delivered(0, 3));
        assertEquals(3, ledger.delivered(3, 6));
        assertEquals(1, ledger.delivered(6, 10));
        assertEquals(0, ledger.lost(0, 6));
        assertEquals(3, ledger.lost(6, 10));
    }

    @Test
    void record_sameNumberTwice_deliveredOnceAndCountedAsDuplicate() {
        SequenceLedger ledger = new SequenceLedger();
        ledger.record(7);
        ledger.record(7);

        assertEquals(1, ledger.delivered());
        assertEquals(1, ledger.duplicates());
        assertEquals(0, ledger.lost(7, 8));
    }

    @Test
    void record_noSequenceNumber_countedAsForeignNotDelivered() {
        SequenceLedger ledger = new SequenceLedger();
        ledger.record(SequenceLedger.sequenceOf(new byte[] {1, 2, 3}));

        assertEquals(0, ledger.delivered());
        assertEquals(1, ledger.foreign());
    }

    @Test
    void lost_emptyPhase_isZero() {
        assertEquals(0, new SequenceLedger().lost(5, 5));
    }

    @Test
    void sequenceOf_payloadOfAnySize_readsTheNumberItWasMadeWith() {
        assertEquals(123_456_789_012L, SequenceLedger.sequenceOf(SequenceLedger.payload(123_456_789_012L, 64)));
        assertEquals(8, SequenceLedger.payload(1, 2).length);
    }
}
