package io.zeroagents.nameserver.federation;

import static io.zeroagents.nameserver.TestEntries.owner;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.zeroagents.nameserver.federation.storage.StoredEntry;
import io.zeroagents.nameserver.protocol.AgentEntry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The rule that picks one entry per name when a split federation heals, without Hazelcast. */
class MergeRuleTest {

    private static StoredEntry entry(String host, long registeredAt, long version, long deadline, boolean removed) {
        return entry(host, host, registeredAt, version, deadline, removed);
    }

    /** An entry under a host id, registered with the secret of {@code secretOf}. */
    private static StoredEntry entry(String host, String secretOf, long registeredAt, long version, long deadline,
                                     boolean removed) {
        return StoredEntry.newBuilder()
                .setAgent(AgentEntry.newBuilder().setName("Twin").setHostId(host))
                .setOwnerDigest(owner(secretOf).digest())
                .setRegisteredAtMs(registeredAt)
                .setVersion(version)
                .setLeaseDeadlineMs(deadline)
                .setRemoved(removed)
                .build();
    }

    private static void assertWinsBothWays(StoredEntry winner, StoredEntry loser) {
        assertSame(winner, MergeRule.winner(winner, loser));
        assertSame(winner, MergeRule.winner(loser, winner));
    }

    @Test
    void differentHosts_earlierRegistrationWins() {
        assertWinsBothWays(entry("host-z", 1_000, 1, 9_000, false), entry("host-a", 1_001, 50, 99_000, false));
    }

    @Test
    void differentHosts_sameRegistrationTime_smallerHostIdWins() {
        assertWinsBothWays(entry("host-a", 1_000, 1, 9_000, false), entry("host-b", 1_000, 7, 9_500, false));
    }

    @Test
    void differentHosts_liveEntryWinsOverTheOthersTombstone() {
        assertWinsBothWays(entry("host-b", 5_000, 1, 9_000, false), entry("host-a", 1_000, 9, 20_000, true));
    }

    @Test
    void sameHost_higherVersionWins_whatEverTheDeadline() {
        assertWinsBothWays(entry("host-a", 1_000, 8, 9_000, false), entry("host-a", 1_000, 7, 12_000, false));
    }

    @Test
    void sameHost_newerTombstoneWinsOverStaleLiveCopy() {
        assertWinsBothWays(entry("host-a", 1_000, 8, 9_000, true), entry("host-a", 1_000, 7, 8_000, false));
    }

    @Test
    void sameHost_sameVersion_laterDeadlineWins() {
        assertWinsBothWays(entry("host-a", 1_000, 7, 9_001, false), entry("host-a", 1_000, 7, 9_000, false));
    }

    @Test
    void sameHostIdAnotherSecret_isAnotherOwner_soTheEarlierRegistrationWinsWhateverItsVersion() {
        assertWinsBothWays(entry("host-a", 1_000, 1, 9_000, false),
                entry("host-a", "forger", 1_001, 50, 99_000, false));
    }

    @Test
    void anyOrderOfMerges_endsWithTheSameWinner() {
        List<StoredEntry> candidates = new ArrayList<>(List.of(
                entry("host-c", 3_000, 4, 9_000, false),
                entry("host-a", 2_000, 1, 7_000, true),
                entry("host-b", 2_500, 2, 8_000, false),
                entry("host-b", 2_500, 3, 8_500, false),
                entry("host-d", 2_500, 1, 8_500, false)));
        StoredEntry expected = candidates.get(3);
        Random random = new Random(42);
        for (int round = 0; round < 50; round++) {
            Collections.shuffle(candidates, random);
            StoredEntry kept = candidates.getFirst();
            for (StoredEntry next : candidates.subList(1, candidates.size())) {
                kept = MergeRule.winner(kept, next);
            }
            assertSame(expected, kept, candidates.toString());
        }
    }
}
