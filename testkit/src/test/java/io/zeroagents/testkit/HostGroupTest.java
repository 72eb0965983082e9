package io.zeroagents.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.lifecycle.Startable;

/** The group starts its hosts together and stops every one, on containers that need no Docker. */
@Timeout(30)
class HostGroupTest {
    /** A container that counts its starts and stops, and can be made to fail either. */
    private static final class FakeHost implements Startable {
        final AtomicInteger starts = new AtomicInteger();
        final AtomicInteger stops = new AtomicInteger();
        private final CountDownLatch allStarting;
        private final RuntimeException startFailure;
        private final RuntimeException stopFailure;

        FakeHost(CountDownLatch allStarting, RuntimeException startFailure, RuntimeException stopFailure) {
            this.allStarting = allStarting;
            this.startFailure = startFailure;
            this.stopFailure = stopFailure;
        }

        FakeHost(CountDownLatch allStarting) {
            this(allStarting, null, null);
        }

        @Override
        public void start() {
            starts.incrementAndGet();
            allStarting.countDown();
            try {
                // Returns only once every host is starting: a group that starts them one by one never gets there.
                if (!allStarting.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the other hosts did not start meanwhile");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (startFailure != null) {
                throw startFailure;
            }
        }

        @Override
        public void stop() {
            stops.incrementAndGet();
            if (stopFailure != null) {
                throw stopFailure;
            }
        }
    }

    @Test
    void start_threeHosts_startsThemAllAtOnceAndCloseStopsEach() {
        CountDownLatch allStarting = new CountDownLatch(3);
        List<FakeHost> fakes = List.of(new FakeHost(allStarting), new FakeHost(allStarting), new FakeHost(allStarting));

        try (HostGroup<FakeHost> group = HostGroup.start(fakes)) {
            assertSame(fakes.get(2), group.get(2));
            assertEquals(fakes, group.hosts());
            fakes.forEach(host -> assertEquals(1, host.starts.get()));
            fakes.forEach(host -> assertEquals(0, host.stops.get(), "stopped before the group closed"));
        }
        fakes.forEach(host -> assertEquals(1, host.stops.get()));
    }

    @Test
    void start_oneHostFailsToStart_stopsEveryHostAndThrowsItsFailure() {
        CountDownLatch allStarting = new CountDownLatch(2);
        IllegalStateException failure = new IllegalStateException("host-b would not start");
        List<FakeHost> fakes = List.of(new FakeHost(allStarting), new FakeHost(allStarting, failure, null));

        RuntimeException thrown = assertThrows(RuntimeException.class, () -> HostGroup.start(fakes));

        assertSame(failure, thrown);
        fakes.forEach(host -> assertEquals(1, host.stops.get()));
    }

    @Test
    void close_oneHostFailsToStop_stillStopsTheOthersAndThrows() {
        CountDownLatch allStarting = new CountDownLatch(3);
        IllegalStateException failure = new IllegalStateException("host-a would not stop");
        List<FakeHost> fakes = List.of(new FakeHost(allStarting, null, failure), new FakeHost(allStarting),
                new FakeHost(allStarting));
        HostGroup<FakeHost> group = HostGroup.start(fakes);

        RuntimeException thrown = assertThrows(RuntimeException.class, group::close);

        assertSame(failure, thrown);
        fakes.forEach(host -> assertEquals(1, host.stops.get()));
    }
}
