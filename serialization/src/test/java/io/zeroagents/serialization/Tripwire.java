package io.zeroagents.serialization;

/**
 * Test support: a class that records being initialized, to prove a payload naming it never makes
 * a decoder load it. Nothing in the tests refers to it except by name.
 */
public final class Tripwire {
    static {
        TripwireState.INITIALIZED.set(true);
    }

    /** Would be called if a decoder instantiated the class. */
    public Tripwire() {
        TripwireState.INSTANTIATED.set(true);
    }
}
