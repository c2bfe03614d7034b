package io.erpsync.breaker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.core.FailureClass;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The breaker's verdict is about updates: the share of failed item updates in a window of updates. */
class UpdateBreakerTest {
    final List<String> transitions = new ArrayList<>();

    UpdateBreaker breaker(int window, int minimum, int probes) {
        return new UpdateBreaker(30, window, minimum, Duration.ofMinutes(5), probes, (at, from, to, rate) -> transitions.add(from + "->" + to),
                Clock.systemUTC());
    }

    static List<FailureClass> locks(int n) {
        return Collections.nCopies(n, FailureClass.RECORD_LOCKED);
    }

    @Test
    void batches_with_a_few_locked_items_each_never_open_it() {
        UpdateBreaker b = breaker(200, 50, 10);
        for (int batch = 0; batch < 40; batch++) {
            b.report(49, locks(1));
        }
        assertEquals(CircuitBreaker.State.CLOSED, b.state());
        assertEquals(2.0f, b.failureRate(), 0.01);
    }

    @Test
    void a_batch_with_a_quarter_locked_does_not_open_it_even_when_its_locks_come_first_in_the_window() {
        UpdateBreaker b = breaker(200, 50, 10);
        // one batch of 100 with 25 locked: judged at 50 updates, where the even mix shows 25 %, not 50 %
        b.report(75, locks(25));
        assertEquals(CircuitBreaker.State.CLOSED, b.state());
    }

    @Test
    void forty_percent_of_updates_failing_opens_it_at_the_minimum() {
        UpdateBreaker b = breaker(200, 50, 10);
        b.report(30, locks(20));
        assertEquals(CircuitBreaker.State.OPEN, b.state());
        assertEquals(List.of("CLOSED->OPEN"), transitions);
        assertEquals(false, b.permits(), "no batch reaches the ERP while it is open");
    }

    @Test
    void refusals_for_our_own_data_are_not_reported_and_an_empty_batch_gives_its_probe_back() {
        UpdateBreaker b = breaker(10, 5, 1);
        b.report(3, List.of());
        b.report(0, List.of());
        assertEquals(CircuitBreaker.State.CLOSED, b.state());
        assertEquals(-1.0f, b.failureRate(), "fewer updates than the minimum: no verdict yet");
    }

    @Test
    void a_closed_breaker_lets_every_batch_through() {
        UpdateBreaker b = breaker(200, 50, 10);
        for (int batch = 0; batch < 20; batch++) {
            assertTrue(b.permits(), "batch " + batch);
        }
        assertEquals(CircuitBreaker.State.CLOSED, b.state());
    }

    @Test
    void each_update_of_a_batch_counts_once() {
        UpdateBreaker b = breaker(200, 5, 10);
        b.report(8, locks(2));
        assertEquals(20.0f, b.failureRate(), 0.001, "2 of 10");
        b.report(4, locks(0));
        assertEquals(2 * 100.0f / 14, b.failureRate(), 0.001, "2 of 14");
        assertEquals(CircuitBreaker.State.CLOSED, b.state());
    }

    /** The share of failures in the last {@code window} updates after one batch, with a breaker that opens only at 100 %. */
    static float lastShare(int window, int landed, int failed) {
        UpdateBreaker b = new UpdateBreaker(100, window, window, Duration.ofMinutes(5), 1, (at, from, to, rate) -> { }, Clock.systemUTC());
        b.report(landed, locks(failed));
        return b.failureRate();
    }

    @Test
    void a_batchs_failures_are_spread_evenly_among_its_successes() {
        // 8 landed, 2 failed: S S F S S S S F S S, so the last 2 updates hold none, the last 3 one, the last 8 both
        List<Float> tails = new ArrayList<>();
        for (int window = 2; window <= 10; window++) {
            tails.add(Math.round(lastShare(window, 8, 2) * 10) / 10f);
        }
        assertEquals(List.of(0f, 33.3f, 25f, 20f, 16.7f, 14.3f, 25f, 22.2f, 20f), tails);
        // 3 landed, 3 failed: F S F S F S
        assertEquals(33.3f, Math.round(lastShare(3, 3, 3) * 10) / 10f);
        assertEquals(50f, lastShare(2, 3, 3));
    }

    @Test
    void a_half_open_breaker_gets_the_probe_back_from_a_batch_without_updates() {
        UpdateBreaker b = new UpdateBreaker(30, 10, 5, Duration.ofMillis(50), 1, (at, from, to, rate) -> transitions.add(from + "->" + to),
                Clock.systemUTC());
        b.report(0, locks(5));
        assertEquals(CircuitBreaker.State.OPEN, b.state());
        await().atMost(5, TimeUnit.SECONDS).until(() -> b.state() == CircuitBreaker.State.HALF_OPEN);

        assertTrue(b.permits(), "the one probe");
        assertFalse(b.permits(), "one probe at a time");
        b.report(0, List.of());
        assertTrue(b.permits(), "the batch had nothing to update: the probe is free again");
        assertEquals(CircuitBreaker.State.HALF_OPEN, b.state());

        b.report(1, List.of());
        assertEquals(CircuitBreaker.State.CLOSED, b.state(), "the probe landed");
        assertEquals(List.of("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED"), transitions);
    }
}
