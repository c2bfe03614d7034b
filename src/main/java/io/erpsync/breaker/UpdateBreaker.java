package io.erpsync.breaker;

import io.erpsync.core.FailureClass;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The ERP circuit breaker, judged on item updates, not calls: "more than 30 % of the updates fail,
 * pause for 5 minutes". A batch of 50 that lands is 50 good updates; one locked item is one bad
 * update, not one bad call beside one good one. It is a Resilience4j breaker whose count-based window
 * holds updates (Camel's circuitBreaker EIP records one outcome per exchange, so the lanes ask this
 * breaker for permission and report each item's outcome). Which outcomes count is
 * {@link io.erpsync.core.FailureClass#countsAgainstErp()}. State changes are logged and recorded in sync_breaker_event.
 */
public final class UpdateBreaker {
    private static final Logger LOG = LoggerFactory.getLogger(UpdateBreaker.class);

    private final CircuitBreaker breaker;

    /** Where state changes are recorded (sync_breaker_event). */
    public interface Transitions {
        void record(Instant at, String from, String to, float failureRate);
    }

    public UpdateBreaker(float failureRatePercent, int windowUpdates, int minimumUpdates, Duration openFor, int probeUpdates,
                         Transitions events, Clock clock) {
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .failureRateThreshold(failureRatePercent)
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(windowUpdates)
                .minimumNumberOfCalls(Math.min(minimumUpdates, windowUpdates))
                .waitDurationInOpenState(openFor)
                .permittedNumberOfCallsInHalfOpenState(probeUpdates)
                // half-open when the open duration is over, so operators see when probing may start
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .build();
        this.breaker = CircuitBreaker.of("erp", config);
        breaker.getEventPublisher().onStateTransition(e -> {
            float rate = breaker.getMetrics().getFailureRate();
            String from = e.getStateTransition().getFromState().name();
            String to = e.getStateTransition().getToState().name();
            if (e.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                LOG.error("ERP circuit breaker {} -> {}: {} % of the last item updates failed; no ERP call for {}", from, to, rate, openFor);
            } else {
                LOG.warn("ERP circuit breaker {} -> {}", from, to);
            }
            events.record(clock.instant(), from, to, rate);
        });
    }

    /**
     * Whether a batch may go to the ERP now: always while closed, never while open, and while half-open
     * only as many batches as there are probe updates (the first outcomes decide).
     */
    public boolean permits() {
        return breaker.tryAcquirePermission();
    }

    /**
     * The outcomes of one batch's updates, recorded together and evenly mixed, so that the window
     * never holds a lump of one batch's failures that its successes would have balanced (a batch's
     * locks are met one request before its other items land). A batch that was let through and had no
     * update (all unchanged, say) gives its half-open permission back.
     */
    public synchronized void report(int landed, List<FailureClass> failed) {
        if (landed == 0 && failed.isEmpty()) {
            breaker.releasePermission();
            return;
        }
        int total = landed + failed.size();
        int failuresSoFar = 0;
        for (int i = 0; i < total; i++) {
            // a failure where the even share of failures so far passes the next half (Bresenham's line)
            if (failuresSoFar < failed.size() && 2L * (i + 1) * failed.size() >= (2L * failuresSoFar + 1) * total) {
                breaker.onError(0, TimeUnit.NANOSECONDS, new UpdateFailed(failed.get(failuresSoFar++)));
            } else {
                breaker.onSuccess(0, TimeUnit.NANOSECONDS);
            }
        }
    }

    /** What Resilience4j records for a failed update: its class, no stack. */
    static final class UpdateFailed extends RuntimeException {
        UpdateFailed(FailureClass why) {
            super(why.name(), null, false, false);
        }
    }

    public CircuitBreaker.State state() {
        return breaker.getState();
    }

    /** The share of failed updates in the window, in percent (-1 before minimum-updates). */
    public float failureRate() {
        return breaker.getMetrics().getFailureRate();
    }
}
