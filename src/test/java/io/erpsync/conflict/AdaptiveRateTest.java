package io.erpsync.conflict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.MovableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

class AdaptiveRateTest {
    final MovableClock clock = new MovableClock(Instant.parse("2026-03-03T08:00:00Z"));
    final AdaptiveRate rate = new AdaptiveRate(true, 20, 2, 0.5, 3, clock);

    @Test
    void a_clean_erp_gets_the_maximum() {
        assertEquals(20, rate.current());
        rate.answered(200);
        rate.answered(400);
        rate.answered(409);
        rate.answered(null);
        clock.advance(Duration.ofSeconds(5));
        assertEquals(20, rate.current());
        assertEquals(0, rate.decreases());
    }

    @Test
    void a_429_halves_the_rate_and_after_a_clean_spell_slow_start_doubles_it_back_to_the_maximum() {
        rate.answered(429);
        assertEquals(10, rate.current());
        clock.advance(Duration.ofMillis(999));
        assertEquals(10, rate.current(), "not yet a clean second");
        clock.advance(Duration.ofMillis(1));
        assertEquals(13, rate.current(), "within the clean spell: the additive step");
        clock.advance(Duration.ofMillis(500));
        assertEquals(13, rate.current());
        clock.advance(Duration.ofMillis(500));
        assertEquals(20, rate.current(), "two clean seconds: doubled (26), capped at the rate before the 429");
        clock.advance(Duration.ofSeconds(10));
        assertEquals(20, rate.current());
    }

    @Test
    void a_wall_clock_set_back_neither_holds_the_rate_up_through_429s_nor_stops_its_recovery() {
        rate.answered(429);
        assertEquals(10, rate.current());
        clock.advance(Duration.ofMinutes(-10));
        rate.answered(429);
        assertEquals(5, rate.current(), "a 429 after the clock went back still lowers the rate");
        assertEquals(2, rate.decreases());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(8, rate.current(), "and a clean second after it raises it again");
    }

    @Test
    void a_storm_of_answers_within_a_second_lowers_the_rate_once_a_second_down_to_the_floor() {
        AdaptiveRate slow = new AdaptiveRate(true, 20, 2, 0.5, 1, clock);
        slow.answered(429);
        slow.answered(503);
        slow.answered(429);
        assertEquals(10, slow.current(), "the answers to requests sent at the old rate count once");
        assertEquals(1, slow.decreases());
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(1));
            slow.answered(503);
        }
        assertEquals(2, slow.current(), "never below the floor");
        assertEquals(11, slow.decreases());
        clock.advance(Duration.ofMillis(999));
        slow.answered(200);
        assertEquals(2, slow.current(), "not yet a clean second");
        clock.advance(Duration.ofMillis(1));
        assertEquals(3, slow.current());
    }

    @Test
    void a_429_each_second_holds_the_rate_where_the_step_and_the_halving_meet() {
        for (int i = 0; i < 10; i++) {
            rate.answered(429);
            clock.advance(Duration.ofSeconds(1));
        }
        rate.answered(429);
        assertEquals(3, rate.current(), "(3 + 3) / 2");
    }

    @Test
    void a_429_during_recovery_halves_again_and_the_next_climb_is_additive() {
        AdaptiveRate r = new AdaptiveRate(true, 40, 2, 0.5, 1, clock);
        r.answered(429);
        assertEquals(20, r.current());
        clock.advance(Duration.ofSeconds(2));
        assertEquals(40, r.current(), "21, then doubled to the rate before the 429");
        r.answered(429);
        assertEquals(20, r.current(), "the jump met a 429 at once: halved again");
        clock.advance(Duration.ofSeconds(3));
        assertEquals(23, r.current(), "the good value is forgotten: plain AIMD");
        assertEquals(2, r.decreases());
        for (int i = 0; i < 20; i++) {
            clock.advance(Duration.ofSeconds(1));
            assertTrue(r.current() <= 40, "never above the maximum");
        }
        assertEquals(40, r.current(), "a long clean spell: slow start towards the maximum");
    }

    @Test
    void after_a_429_slow_start_is_back_at_the_maximum_in_fewer_seconds_than_the_additive_step() {
        AdaptiveRate r = new AdaptiveRate(true, 40, 2, 0.5, 1, clock);
        r.answered(429);
        r.current();
        clock.advance(Duration.ofSeconds(1));
        r.answered(429);
        assertEquals(10, r.current(), "two 429s a second apart: a quarter");
        int seconds = 0;
        while (r.current() < 40 && seconds < 100) {
            clock.advance(Duration.ofSeconds(1));
            seconds++;
            assertTrue(r.current() <= 40);
        }
        assertEquals(40, r.current());
        assertTrue(seconds <= 8, "back in " + seconds + " s, where one a second takes 30");
    }

    @Test
    void a_429_restarts_the_clean_second() {
        rate.answered(429);
        clock.advance(Duration.ofMillis(900));
        rate.answered(429);
        assertEquals(10, rate.current(), "within the second: no second decrease");
        clock.advance(Duration.ofMillis(900));
        assertEquals(10, rate.current(), "the clean second counts from the last 429");
        clock.advance(Duration.ofMillis(100));
        assertEquals(13, rate.current());
    }

    @Test
    void switched_off_the_rate_is_the_maximum() {
        AdaptiveRate off = new AdaptiveRate(false, 20, 2, 0.5, 3, clock);
        off.answered(429);
        assertEquals(20, off.current());
        assertEquals(0, off.decreases());
    }

    @Test
    void wrong_settings_are_refused_naming_the_key() {
        assertTrue(refused(0, 1, 0.5, 1).contains("erp.max-requests-per-second"));
        assertTrue(refused(20, 0, 0.5, 1).contains("erp.rate.floor"));
        assertTrue(refused(20, 21, 0.5, 1).contains("erp.rate.floor"));
        assertTrue(refused(20, 2, 0, 1).contains("erp.rate.decrease"));
        assertTrue(refused(20, 2, 1, 1).contains("erp.rate.decrease"));
        assertTrue(refused(20, 2, 0.5, 0).contains("erp.rate.increase"));
        AdaptiveRate edge = new AdaptiveRate(true, 1, 1, 0.99, 1, clock);
        edge.answered(429);
        assertEquals(1, edge.current());
        assertEquals(20, new AdaptiveRate(true, 20, 20, 0.5, 1, clock).current());
    }

    private String refused(int max, int floor, double decrease, int increase) {
        return assertThrows(IllegalStateException.class, () -> new AdaptiveRate(true, max, floor, decrease, increase, clock)).getMessage();
    }
}
