package io.zeroagents.serialization;

import java.util.concurrent.atomic.AtomicBoolean;

/** Where {@link Tripwire} reports, so that reading the flags does not initialize it. */
final class TripwireState {
    static final AtomicBoolean INITIALIZED = new AtomicBoolean();
    static final AtomicBoolean INSTANTIATED = new AtomicBoolean();

    private TripwireState() {
    }
}
