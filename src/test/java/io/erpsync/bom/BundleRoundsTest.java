package io.erpsync.bom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.conflict.LockRounds;
import io.erpsync.core.FailureClass;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A bundle write put off: a busy parent takes the lock rounds, a throttled call or the storefront down
 * the back-off rounds, a longer Retry-After wins; after the last round it is parked with the reason.
 */
class BundleRoundsTest {
    static final Instant NOW = Instant.parse("2026-05-01T08:00:00Z");
    final BundleRounds rounds = new BundleRounds(new LockRounds(List.of(Duration.ofSeconds(2), Duration.ofSeconds(5)), Duration.ofSeconds(60)),
            2, (round, retryAfter) -> retryAfter.filter(ra -> ra.toSeconds() > round).orElse(Duration.ofSeconds(round)));

    static BundleWrites.Again busy(String retryAfter) {
        return new BundleWrites.Again(FailureClass.RECORD_LOCKED, 409, "ConcurrentModificationException: busy", "ProductImportJob", retryAfter,
                "Storefront bundle b, bundled product p");
    }

    static BundleWrites.Again throttled(FailureClass fc, Integer status, String retryAfter) {
        return new BundleWrites.Again(fc, status, "QuotaExceededException: Too many", null, retryAfter, "Storefront bundle b, bundled product p");
    }

    @Test
    void a_busy_parent_takes_the_lock_rounds_in_turn() {
        BundleRounds.Next first = rounds.next(busy(null), 0, 0, NOW);
        BundleRounds.Next second = rounds.next(busy(null), 1, 0, NOW);

        assertEquals(new BundleRounds.Next(BundleRounds.LOCK, 1, Duration.ofSeconds(2), null), first);
        assertEquals(new BundleRounds.Next(BundleRounds.LOCK, 2, Duration.ofSeconds(5), null), second);
    }

    @Test
    void a_longer_retry_after_wins_over_a_lock_round() {
        assertEquals(Duration.ofSeconds(9), rounds.next(busy("9"), 0, 0, NOW).delay());
    }

    @Test
    void a_busy_parent_after_the_last_lock_round_is_parked_with_its_holder() {
        BundleRounds.Next next = rounds.next(busy(null), 2, 1, NOW);

        assertNull(next.delay());
        assertEquals(FailureClass.RECORD_LOCKED, next.parked().failureClass());
        assertEquals("ProductImportJob", next.parked().holder());
        assertEquals(409, next.parked().status());
        assertEquals("Storefront bundle b, bundled product p still busy after 2 lock rounds (held by ProductImportJob): "
                + "ConcurrentModificationException: busy", next.parked().reason());
    }

    @Test
    void a_busy_parent_whose_holder_is_not_named_is_parked_without_one() {
        BundleWrites.Again anonymous = new BundleWrites.Again(FailureClass.RECORD_LOCKED, 409, "ConcurrentModificationException: busy", null,
                null, "Storefront bundle b, bundled product p");

        assertEquals("Storefront bundle b, bundled product p still busy after 2 lock rounds: ConcurrentModificationException: busy",
                rounds.next(anonymous, 2, 0, NOW).parked().reason());
    }

    @Test
    void a_throttled_call_backs_off_and_its_retry_after_counts() {
        assertEquals(new BundleRounds.Next(BundleRounds.BACKOFF, 1, Duration.ofSeconds(1), null),
                rounds.next(throttled(FailureClass.THROTTLED, 429, null), 0, 0, NOW));
        assertEquals(new BundleRounds.Next(BundleRounds.BACKOFF, 2, Duration.ofSeconds(4), null),
                rounds.next(throttled(FailureClass.THROTTLED, 503, "4"), 2, 1, NOW), "the lock rounds spent do not count");
    }

    @Test
    void a_call_still_throttled_after_the_back_off_rounds_is_parked() {
        BundleRounds.Next next = rounds.next(throttled(FailureClass.THROTTLED, 429, "1"), 0, 2, NOW);

        assertEquals(FailureClass.THROTTLED, next.parked().failureClass());
        assertEquals(429, next.parked().status());
        assertNull(next.parked().holder());
        assertEquals("Storefront bundle b, bundled product p kept throttling (HTTP 429) past 2 back-off rounds: "
                + "QuotaExceededException: Too many", next.parked().reason());
    }

    @Test
    void the_storefront_down_is_parked_as_failing_after_the_back_off_rounds() {
        BundleRounds.Next next = rounds.next(throttled(FailureClass.SERVER_ERROR, null, null), 0, 2, NOW);

        assertEquals(FailureClass.SERVER_ERROR, next.parked().failureClass());
        assertTrue(next.parked().reason().startsWith("Storefront bundle b, bundled product p kept failing past 2 back-off rounds"),
                next.parked().reason());
        assertNull(next.parked().status());
        assertEquals(Optional.empty(), Optional.ofNullable(next.delay()));
    }
}
