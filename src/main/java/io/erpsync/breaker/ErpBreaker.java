package io.erpsync.breaker;

import io.erpsync.store.BreakerEvents;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;

/**
 * The Resilience4j circuit breaker that routes/segment-batches and routes/hot-items put around the
 * ERP (Camel's circuitBreaker EIP refers to it by name). It counts a call as failed only when the ERP
 * failed it past its own retries (server errors, throttling, timeouts, exhausted locks), never for an
 * item the ERP refused (400/404). State changes are logged and recorded in sync_breaker_event.
 */
public final class ErpBreaker {
    private static final Logger LOG = LoggerFactory.getLogger(ErpBreaker.class);

    private ErpBreaker() {
    }

    public static CircuitBreaker create(float failureRatePercent, int window, int minimumCalls, Duration openFor, int probes,
                                        BreakerEvents events, Clock clock) {
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .failureRateThreshold(failureRatePercent)
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(window)
                .minimumNumberOfCalls(minimumCalls)
                .waitDurationInOpenState(openFor)
                .permittedNumberOfCallsInHalfOpenState(probes)
                // half-open when the open duration is over, so operators see when probing may start
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .build();
        CircuitBreaker breaker = CircuitBreaker.of("erp", config);
        breaker.getEventPublisher().onStateTransition(e -> {
            float rate = breaker.getMetrics().getFailureRate();
            String from = e.getStateTransition().getFromState().name();
            String to = e.getStateTransition().getToState().name();
            if (e.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                LOG.error("ERP circuit breaker {} -> {}: {} % of the last calls failed past their retries; no ERP call for {}",
                        from, to, rate, openFor);
            } else {
                LOG.warn("ERP circuit breaker {} -> {}", from, to);
            }
            events.record(clock.instant(), from, to, rate);
        });
        return breaker;
    }
}
