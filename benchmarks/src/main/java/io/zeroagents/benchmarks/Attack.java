package io.zeroagents.benchmarks;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What one of the soak test's floods did, counted by its attacker thread and read by the report:
 * the connections it opened (a completed handshake, or for the connection flood an accepted TCP
 * connection), those the target closed or refused, and the bytes it wrote.
 *
 * @param name   what the flood sends, e.g. {@code unending message → name server}
 * @param target the endpoint it attacks
 */
record Attack(String name, String target, AtomicLong connections, AtomicLong closedByTarget, AtomicLong failures,
              AtomicLong bytes) {

    Attack(String name, String target) {
        this(name, target, new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong());
    }

    /** One line for the terminal and the report. */
    String describe() {
        return String.format(java.util.Locale.ROOT, "%s (%s): %,d connections, %,d closed by the target, "
                + "%,d failed to connect or handshake, %,d bytes written", name, target, connections.get(),
                closedByTarget.get(), failures.get(), bytes.get());
    }
}
