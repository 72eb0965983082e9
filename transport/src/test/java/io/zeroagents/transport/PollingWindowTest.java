package io.zeroagents.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** When servers and agent loops poll rather than sleep ({@link PollingWindow}), on a clock the tests set. */
class PollingWindowTest {
    private static final long WINDOW = TimeUnit.MICROSECONDS.toNanos(200);
    /** The clock of each test starts after its window was made, as real work comes after. */
    private long t0;

    @Test
    void afterEachWork_noWorkYet_sleeps() {
        assertFalse(PollingWindow.afterEachWork(WINDOW).polling(System.nanoTime()));
    }

    @Test
    void afterEachWork_workEnded_pollsThroughTheWindowThenSleeps() {
        PollingWindow window = PollingWindow.afterEachWork(WINDOW);
        t0 = System.nanoTime();

        window.ended(t0);

        assertEquals(WINDOW, window.pollNanos(t0));
        assertEquals(WINDOW - 50, window.pollNanos(t0 + 50));
        assertFalse(window.polling(t0 + WINDOW));
    }

    @Test
    void afterWorkInARow_firstWork_doesNotPoll() {
        PollingWindow window = PollingWindow.afterWorkInARow(WINDOW);
        t0 = System.nanoTime();

        window.began(t0);
        window.ended(t0 + 10);

        assertFalse(window.polling(t0 + 20), "a first request is not one in a row");
    }

    @Test
    void afterWorkInARow_workBeganSoonAfterThePrevious_pollsFromItsEnd() {
        PollingWindow window = PollingWindow.afterWorkInARow(WINDOW);
        t0 = System.nanoTime();
        window.began(t0);
        window.ended(t0 + 10);

        window.began(t0 + 10 + PollingWindow.IN_A_ROW_NANOS - 1);
        long end = t0 + 20 + PollingWindow.IN_A_ROW_NANOS;
        window.ended(end);

        assertEquals(WINDOW, window.pollNanos(end));
        assertFalse(window.polling(end + WINDOW));
    }

    @Test
    void afterWorkInARow_workNotInARowAfterAWindowOpened_leavesTheWindowToItsEnd() {
        long window = TimeUnit.MILLISECONDS.toNanos(100);
        PollingWindow polling = PollingWindow.afterWorkInARow(window);
        t0 = System.nanoTime();
        polling.began(t0);
        polling.ended(t0 + 10);
        polling.began(t0 + 20);
        polling.ended(t0 + 30);

        long late = t0 + 30 + 2 * PollingWindow.IN_A_ROW_NANOS;
        polling.began(late);
        polling.ended(late + 10);

        assertEquals(t0 + 30 + window - (late + 10), polling.pollNanos(late + 10),
                "the window of the work in a row still ends when it would");
    }

    @Test
    void afterWorkInARow_workFarApart_neverPolls() {
        PollingWindow window = PollingWindow.afterWorkInARow(WINDOW);
        t0 = System.nanoTime();
        long now = t0;
        for (int i = 0; i < 5; i++) {
            window.began(now);
            window.ended(now + 10);
            assertFalse(window.polling(now + 20), "request " + i + " came " + PollingWindow.IN_A_ROW_NANOS
                    + " ns or more after the previous answer");
            now += PollingWindow.IN_A_ROW_NANOS + 20;
        }
    }

    @Test
    void zeroWindow_workInARow_neverPolls() {
        PollingWindow window = PollingWindow.afterWorkInARow(0);
        t0 = System.nanoTime();
        window.began(t0);
        window.ended(t0);
        window.began(t0 + 1);
        window.ended(t0 + 2);

        assertFalse(window.polling(t0 + 2));
        assertEquals(0, PollingWindow.afterEachWork(0).pollNanos(System.nanoTime()));
    }

    @Test
    void negativeWindow_refused() {
        assertThrows(IllegalArgumentException.class, () -> PollingWindow.afterEachWork(-1));
    }
}
