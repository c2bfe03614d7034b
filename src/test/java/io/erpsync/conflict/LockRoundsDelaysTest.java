package io.erpsync.conflict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

class LockRoundsDelaysTest {
    final LockRounds rounds = new LockRounds(List.of(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10)),
            Duration.ofSeconds(60));

    @Test
    void a_locked_item_gets_three_rounds_after_2_5_and_10_seconds() {
        assertTrue(rounds.another(0) && rounds.another(1) && rounds.another(2));
        assertFalse(rounds.another(3), "after the third round it is parked");
        assertEquals(Duration.ofSeconds(2), rounds.before(1, Optional.empty()));
        assertEquals(Duration.ofSeconds(5), rounds.before(2, Optional.empty()));
        assertEquals(Duration.ofSeconds(10), rounds.before(3, Optional.empty()));
    }

    @Test
    void a_longer_retry_after_wins_a_shorter_one_does_not_and_the_cap_holds() {
        assertEquals(Duration.ofSeconds(7), rounds.before(1, Optional.of(Duration.ofSeconds(7))));
        assertEquals(Duration.ofSeconds(5), rounds.before(2, Optional.of(Duration.ofSeconds(1))));
        assertEquals(Duration.ofSeconds(60), rounds.before(3, Optional.of(Duration.ofMinutes(10))));
    }

    @Test
    void every_round_but_the_first_try_and_the_last_probes_and_only_when_the_probe_is_on() {
        LockRounds probing = new LockRounds(List.of(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10)),
                Duration.ofSeconds(60), true);
        assertFalse(probing.probes(0), "a first try writes its batch as it is");
        assertTrue(probing.probes(1) && probing.probes(2));
        assertFalse(probing.probes(3), "the last round tries every item before it parks it");
        assertFalse(rounds.probes(1) || rounds.probes(2), "sync.retry.lock-probe=false");
    }

    @Test
    void without_lock_delays_a_locked_item_is_parked_at_once() {
        assertFalse(new LockRounds(List.of(), Duration.ofSeconds(60)).another(0));
    }
}
