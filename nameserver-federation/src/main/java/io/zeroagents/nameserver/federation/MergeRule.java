package io.zeroagents.nameserver.federation;

import io.zeroagents.nameserver.federation.storage.StoredEntry;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Which of two entries for one name survives when a split federation heals: the rule every member
 * applies, so that all of them keep the same winner.
 *
 * <p>In order:
 * <ol>
 *   <li>Two copies of the same owner's entry (the same {@code owner_digest}, the digest of the
 *       registering host's secret; host ids are labels and decide nothing): the higher version
 *       (every change increments it, and only the side of the partition where the host's name
 *       server lives changes it), then the later lease deadline. So a renewal, an address change or
 *       a removal made during the partition wins over the stale copy on the other side.
 *   <li>Different owners, one entry a tombstone (the name was freed): the live entry.
 *   <li>Different owners, both live: the earlier registration, then the lexicographically
 *       smaller host id. The host that held the name first keeps it; the other one loses it.
 *   <li>Different owners, both tombstones: the later lease deadline.
 * </ol>
 * Exact ties are broken by the entries' bytes, so the order is total and the result does not
 * depend on which side is merging into which.
 */
final class MergeRule {

    /** Orders entries of one name from the winner to the loser. */
    static final Comparator<StoredEntry> PRECEDENCE = MergeRule::compare;

    private MergeRule() {
    }

    /**
     * Returns the entry that survives.
     *
     * @param a one entry
     * @param b the other, for the same name
     * @return {@code a} or {@code b}
     */
    static StoredEntry winner(StoredEntry a, StoredEntry b) {
        return PRECEDENCE.compare(a, b) <= 0 ? a : b;
    }

    /**
     * Says why the winner won, for the log.
     *
     * @param winner the entry kept
     * @param loser  the entry dropped
     * @return a short reason
     */
    static String reason(StoredEntry winner, StoredEntry loser) {
        if (sameOwner(winner, loser)) {
            return "the newer copy of the same host's entry";
        }
        if (winner.getRemoved() != loser.getRemoved()) {
            return "the other host had released the name";
        }
        if (winner.getRegisteredAtMs() != loser.getRegisteredAtMs()) {
            return "earlier registration";
        }
        return "same registration time, smaller host id";
    }

    /**
     * Whether two entries of one name were registered with the same host secret.
     *
     * @param a one entry
     * @param b the other
     * @return true if their owner digests are equal
     */
    static boolean sameOwner(StoredEntry a, StoredEntry b) {
        return a.getOwnerDigest().equals(b.getOwnerDigest());
    }

    // Negative when a wins.
    private static int compare(StoredEntry a, StoredEntry b) {
        String hostA = a.getAgent().getHostId();
        String hostB = b.getAgent().getHostId();
        int order;
        if (sameOwner(a, b)) {
            order = Long.compareUnsigned(b.getVersion(), a.getVersion());
            if (order == 0) {
                order = Long.compare(b.getLeaseDeadlineMs(), a.getLeaseDeadlineMs());
            }
        } else if (a.getRemoved() != b.getRemoved()) {
            order = a.getRemoved() ? 1 : -1;
        } else if (a.getRemoved()) {
            order = Long.compare(b.getLeaseDeadlineMs(), a.getLeaseDeadlineMs());
        } else {
            order = Long.compare(a.getRegisteredAtMs(), b.getRegisteredAtMs());
            if (order == 0) {
                order = hostA.compareTo(hostB);
            }
        }
        return order != 0 ? order : Arrays.compareUnsigned(a.toByteArray(), b.toByteArray());
    }
}
