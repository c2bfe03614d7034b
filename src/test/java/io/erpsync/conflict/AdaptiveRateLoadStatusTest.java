package io.erpsync.conflict;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.erpsync.MovableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

/** The storefront's own word on its load (sfdc_load_status) lowers its rate before it refuses. */
class AdaptiveRateLoadStatusTest {
    final MovableClock clock = new MovableClock(Instant.parse("2026-03-03T08:00:00Z"));
    final AdaptiveRate rate = new AdaptiveRate(true, 20, 2, 0.5, 3, clock);

    @Test
    void warn_and_throttle_lower_the_rate_as_a_429_does() {
        rate.answered(200, "WARN");
        assertEquals(10, rate.current());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(13, rate.current());
        rate.answered(503, "throttle");
        assertEquals(6, rate.current());
        assertEquals(2, rate.decreases());
    }

    @Test
    void a_throttle_word_on_an_answer_that_went_through_lowers_the_rate_too() {
        rate.answered(200, "THROTTLE");
        assertEquals(10, rate.current());
    }

    @Test
    void an_answer_without_a_load_word_is_judged_by_its_status() {
        rate.answered(200, null);
        rate.answered(200, "OK");
        assertEquals(20, rate.current());
        rate.answered(429, null);
        assertEquals(10, rate.current());
    }
}
