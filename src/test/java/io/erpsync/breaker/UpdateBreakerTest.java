package io.erpsync.breaker;

import io.erpsync.core.FailureClass;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
